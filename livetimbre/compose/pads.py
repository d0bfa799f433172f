"""Pads and note textures: the harmony held wide, or sparse high tones over a drone.

(Noise textures — rain, vinyl, wind, risers — are synthesized, not composed.)
"""

from __future__ import annotations

__all__ = ["write_pad", "write_texture"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform, spread_chord
from livetimbre.compose.form import bar_forms
from livetimbre.compose.harmony import ChordSpan, register_for, voice_lead
from livetimbre.music.notes import NoteEvent, clamp_velocity


def _drone(d: Direction, low: int, velocity: float) -> list[NoteEvent]:
    tonic = low + (d.key.tonic - low) % 12
    fifth = tonic + 7 if (d.key.tonic + 7) % 12 in {(d.key.tonic + i) % 12
                                                    for i in d.key.intervals} else tonic + 12
    return [NoteEvent(0.0, d.total_beats * 0.99, p, clamp_velocity(velocity))
            for p in (tonic, fifth)]


def write_pad(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Wide held chords with the root an octave down; some changes anticipated, answers
    re-voiced higher; 'pulse' gates them in eighths, 'rolled' spreads them."""
    low, high = register_for(d.program, d.bank)
    center = (low + high) / 2 + d.register / 2
    if d.theme.wants("drone"):
        return _drone(d, low, d.velocity(76, 0))
    rng = d.rng("pad")
    forms = bar_forms(d.bars)
    notes: list[NoteEvent] = []
    previous: list[int] = []
    for span in spans:
        bar = int(span.start // d.beats_per_bar)
        form = forms[min(bar, len(forms) - 1)]
        lift = 4 if form.label in ("B", "B2") else 0
        pitches = voice_lead(span.chord, previous, center + lift, low, high)
        previous = pitches
        root = low + (span.chord.root - low) % 12
        voicing = sorted({root, *pitches})
        start = span.start
        if span.start > 0 and rng.random() < 0.35:
            start -= d.step * rng.choice((1, 2))  # the change lands a 16th or 8th early
        length = span.start + span.beats - start
        velocity = d.velocity(74, bar, d.step_of(span.start)) + rng.uniform(-6, 6)
        if d.theme.wants("pulse"):
            beat = start
            while beat < span.start + span.beats - 1e-9:
                notes.extend(spread_chord(voicing, beat, 2 * d.step * 0.8, velocity, 0.0))
                beat += 2 * d.step
            continue
        spread = d.ms_to_beats(40) if d.theme.wants("roll") else 0.0
        notes.extend(spread_chord(voicing, start, length * min(1.0, 0.99 *
                                                                 d.theme.articulation),
                                  velocity, spread))
    return perform(notes, d)


def write_texture(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Sparse, soft, high scale tones (climbing for a riser) over a tonic drone when
    asked for one."""
    rng = d.rng("texture")
    base = 72 + d.register
    high = d.key.scale_pitches(base, base + 24)
    notes: list[NoteEvent] = []
    if d.theme.wants("drone") or d.theme.wants("sustained"):
        notes.extend(_drone(d, 48, 70))
    count = max(1, round(d.total_beats * (0.15 + 0.5 * d.density) / 2))
    slots = sorted(rng.sample(range(d.total_beats * 2), min(count, d.total_beats * 2)))
    riser = d.theme.wants("riser")
    for n, slot in enumerate(slots):
        beat = slot / 2
        if riser:
            pitch = high[min(len(high) - 1, n * len(high) // max(1, len(slots)))]
        else:
            pitch = rng.choice(high)
        bar = int(beat // d.beats_per_bar)
        length = min(rng.choice((1.0, 2.0, 3.0)), d.total_beats - beat)
        velocity = d.velocity(60 + (30 * n / max(1, len(slots)) if riser else 0), bar)
        notes.append(NoteEvent(beat, length, pitch, clamp_velocity(velocity)))
    return perform(notes, d)
