"""Chords, pads and textures: the harmony voiced for each role's job."""

from __future__ import annotations

__all__ = ["chord_style", "write_chords", "write_pad", "write_texture"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.harmony import ChordSpan, voice_chord
from livetimbre.music.notes import NoteEvent, clamp_velocity

_PROMPT_STYLES = (
    ("arpeggio", ("arpeggio", "arpeggios", "arpeggiated", "arp")),
    ("offbeat", ("skank", "offbeat", "off-beat", "upstrokes")),
    ("stabs", ("stabs", "stab", "staccato", "chops", "chopped")),
    ("comp", ("comp", "comping", "jazzy")),
    ("sustained", ("sustained", "held", "long", "swells", "lush")),
)

_STAB_STEPS = (0, 3, 6, 10)
_COMP_BEATS = (0.0, 1.5)


def chord_style(d: Direction) -> str:
    """The style the prompt names, else the genre's."""
    for style, words in _PROMPT_STYLES:
        if d.theme.has(*words):
            return style
    return d.genre.arrangement.chord_style


def _center(d: Direction, base: int) -> int:
    return base + (-4 if d.mood == "dark" else 4 if d.mood == "bright" else 0)


def _hits(style: str, d: Direction, span: ChordSpan) -> list[tuple[float, float]]:
    """(onset, length) pairs in beats within a chord span."""
    end = span.start + span.beats
    hits: list[tuple[float, float]] = []
    bar_starts = [b * d.beats_per_bar for b in range(d.bars)]
    if style == "offbeat":
        beat = span.start + 0.5
        while beat < end:
            hits.append((beat, 0.3))
            beat += 1.0
    elif style == "stabs":
        for bar_start in bar_starts:
            for s in _STAB_STEPS:
                t = bar_start + s * d.step
                if span.start <= t < end and s < d.meter.steps_per_bar:
                    hits.append((t, 0.35))
    elif style == "comp":
        for bar_start in bar_starts:
            for b in _COMP_BEATS:
                t = bar_start + b
                if span.start <= t < end and b < d.beats_per_bar:
                    hits.append((t, 0.9))
    else:
        hits.append((span.start, span.beats * 0.97))
    return hits


def write_chords(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Voiced chords in the genre's or prompt's comping style."""
    style = chord_style(d)
    if style == "arpeggio":
        from livetimbre.compose.melody import write_arpeggio

        return write_arpeggio(d, spans)
    rng = d.rng("chords")
    center = _center(d, 62)
    notes: list[NoteEvent] = []
    for span in spans:
        pitches = voice_chord(span.chord, center, 50, 80)
        for onset, length in _hits(style, d, span):
            bar = int(onset // d.beats_per_bar)
            base = 88 if style == "sustained" else 96
            for p in pitches:
                velocity = d.velocity(base, bar) + rng.uniform(-4, 4)
                notes.append(NoteEvent(d.swung(onset), length, p, clamp_velocity(velocity)))
    return notes


def write_pad(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Wide sustained chords: the voicing plus its root an octave down."""
    rng = d.rng("pad")
    center = _center(d, 60)
    notes: list[NoteEvent] = []
    for span in spans:
        pitches = voice_chord(span.chord, center, 48, 84)
        root = 48 + (span.chord.root - 48) % 12
        bar = int(span.start // d.beats_per_bar)
        for p in sorted({root, *pitches}):
            velocity = d.velocity(78, bar) + rng.uniform(-3, 3)
            notes.append(NoteEvent(span.start, span.beats * 0.99, p, clamp_velocity(velocity)))
    return notes


def write_texture(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Sparse, soft, high scale tones over a tonic drone (when asked for)."""
    rng = d.rng("texture")
    high = d.key.scale_pitches(72, 96)
    notes: list[NoteEvent] = []
    if d.theme.has("drone") or d.theme.texture == "sustained":
        tonic = 48 + (d.key.tonic - 48) % 12
        for p in (tonic, tonic + 7):
            notes.append(NoteEvent(0.0, d.total_beats * 0.99, p, 70))
    count = max(1, round(d.total_beats * (0.15 + 0.5 * d.theme.density) / 2))
    slots = sorted(rng.sample(range(d.total_beats * 2), min(count, d.total_beats * 2)))
    for slot in slots:
        beat = slot / 2
        pitch = rng.choice(high)
        bar = int(beat // d.beats_per_bar)
        length = min(rng.choice((1.0, 2.0, 3.0)), d.total_beats - beat)
        notes.append(NoteEvent(beat, length, pitch, clamp_velocity(d.velocity(64, bar))))
    return notes
