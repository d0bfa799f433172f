"""Bass lines: roots and fifths under the harmony, in the genre's (or prompt's) style."""

from __future__ import annotations

__all__ = ["bass_style", "write_bass"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.compose.rhythm import kick_steps
from livetimbre.music.notes import NoteEvent, clamp_velocity

_PROMPT_STYLES = (
    ("walking", ("walking",)),
    ("octave", ("octave", "octaves")),
    ("offbeat", ("offbeat", "off-beat")),
    ("sustained", ("sustained", "long", "held", "drone", "sub", "808")),
    ("syncopated", ("syncopated", "funky", "slap")),
    ("pulse", ("pulsing", "pulse", "driving", "eighths", "rolling")),
)

_SYNCOPATION = "x..x..x.x.x..x.."


def bass_style(d: Direction) -> str:
    """The style the prompt names, else the genre's."""
    for style, words in _PROMPT_STYLES:
        if d.theme.has(*words):
            return style
    return d.genre.arrangement.bass_style


def _root(pc: int, low: int = 33) -> int:
    """The pitch of class `pc` in the bass octave starting at `low` (A1 by default)."""
    return low + (pc - low) % 12


def _onsets(style: str, d: Direction) -> list[float]:
    """Note start positions within one bar, in beats."""
    beats, step = d.beats_per_bar, d.step
    steps = d.meter.steps_per_bar
    if style == "pulse" or style == "octave":
        return [i * 0.5 for i in range(beats * 2)] if d.theme.density > 0.3 else list(range(beats))
    if style == "offbeat":
        return [i + 0.5 for i in range(beats)]
    if style == "walking":
        return [float(i) for i in range(beats)]
    if style == "sustained":
        return [0.0]
    if style == "syncopated":
        return [i * step for i, ch in enumerate(_SYNCOPATION[:steps]) if ch == "x"]
    return [s * step for s in kick_steps(d)]


def write_bass(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """A bass line for the clip."""
    style = bass_style(d)
    rng = d.rng("bass")
    onsets = _onsets(style, d)
    low = 28 if d.mood == "dark" else 33
    notes: list[NoteEvent] = []
    for bar in range(d.bars):
        bar_start = bar * d.beats_per_bar
        starts = [bar_start + o for o in onsets]
        for span in spans:  # make sure every chord change gets a note
            if bar_start <= span.start < bar_start + d.beats_per_bar and span.start not in starts:
                starts.append(span.start)
        starts.sort()
        for i, start in enumerate(starts):
            nxt = starts[i + 1] if i + 1 < len(starts) else bar_start + d.beats_per_bar
            chord = chord_at(spans, start)
            root = _root(chord.root, low)
            pitch = root
            if style == "octave" and i % 2 == 1:
                pitch = root + 12
            elif style == "walking":
                tones = [root, root + chord.intervals[1], root + 7, root + 12]
                pitch = tones[i % 4] if i < len(starts) - 1 else root + rng.choice((-1, 1, 7))
                if i == 0:
                    pitch = root
            elif style in ("syncopated", "follow-kick") and i > 0 and rng.random() < 0.3:
                pitch = root + rng.choice((7, 12, 10 if 3 in chord.intervals else 7))
            gap = nxt - start
            length = gap * (0.95 if style in ("sustained", "walking") else 0.8)
            if d.theme.texture == "staccato":
                length = min(length, 0.3)
            accent = 1.0 if (start - bar_start) % 1 == 0 else 0.88
            velocity = d.velocity(100 * accent, bar) + rng.uniform(-4, 4)
            notes.append(NoteEvent(d.swung(start), length, pitch, clamp_velocity(velocity)))
    return notes
