"""Broken-chord figures for keyboards: the Alberti bass (low, high, middle, high in a
close voicing) of the harpsichord and classical piano, and the romantic pianist's left
hand, rising from the root through the fifth and octave to the tenth and back."""

from __future__ import annotations

__all__ = ["FIGURES", "write_figure"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform
from livetimbre.compose.form import bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at, register_for, voice_lead
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Chord

FIGURES = frozenset({"alberti", "broken"})
"""The figure styles this module writes."""


def _alberti(pitches: list[int], index: int, answer: bool) -> int:
    order = (0, 1, 2, 1) if answer else (0, 2, 1, 2)  # low-high-middle-high
    close = sorted(pitches)[:3] if len(pitches) >= 3 else sorted(pitches) * 3
    return close[order[index % 4]]


def _ladder(chord: Chord, root: int) -> list[int]:
    """Root, fifth, octave, tenth, twelfth: the left hand's span."""
    third = chord.intervals[1] if len(chord.intervals) > 1 else 7
    fifth = chord.intervals[2] if len(chord.intervals) > 2 else 7
    return [root, root + fifth, root + 12, root + 12 + third, root + 12 + fifth]


def _broken(chord: Chord, root: int, index: int, count: int, answer: bool) -> int:
    ladder = _ladder(chord, root)
    cycle = ladder + ladder[-2:0:-1]  # up and back down
    if answer:  # the answer turns at the octave
        cycle = ladder[:4] + ladder[2:0:-1]
    if count <= len(cycle):
        cycle = cycle[:count]
    return cycle[index % len(cycle)]


def write_figure(d: Direction, spans: list[ChordSpan], style: str) -> list[NoteEvent]:
    """The clip's harmony as a running broken-chord figure in eighths (16ths for a busy
    Alberti); the last bar of a phrase ends on a held chord."""
    low, high = register_for(d.program, d.bank)
    fast = style == "alberti" and d.density > 0.65
    grid = 1 if fast else 2
    count = d.steps_per_bar // grid
    notes: list[NoteEvent] = []
    previous: list[int] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * d.beats_per_bar
        rng = d.rng(f"figure-{form.variant}")
        answer = form.label in ("B", "B2")
        closing = form.label == "F"
        # an ornament, where the seed puts it: one note of the figure split in two
        turn = rng.randrange(count) if form.label not in ("A", "F") and grid == 2 else -1
        for k in range(count):
            step = k * grid
            start = bar_start + step * d.step
            chord = chord_at(spans, start)
            if style == "alberti":
                pitches = voice_lead(chord, previous, low + 8 + d.register / 2, low, high)
                previous = pitches
                pitch = _alberti(pitches, k, answer)
            else:
                bottom = max(33, low - 12 + d.register // 2)
                root = bottom + (chord.root - bottom) % 12
                pitch = _broken(chord, root, k, count, answer)
            if closing and step >= d.steps_per_bar // 2:
                break
            length = grid * d.step * (1.6 if style == "broken" else 0.9)
            velocity = d.velocity(78, form.bar, step) + rng.uniform(-4, 4)
            if k == turn:  # the chord tone, then the scale step above it
                above = min(p for p in d.key.scale_pitches(pitch + 1, pitch + 3))
                notes.append(NoteEvent(start, d.step * 0.9, pitch, clamp_velocity(velocity)))
                notes.append(NoteEvent(start + d.step, d.step * 0.9, above,
                                       clamp_velocity(velocity - 6)))
                continue
            notes.append(NoteEvent(start, length, pitch, clamp_velocity(velocity)))
        if closing:  # the cadence: the chord held for the bar's second half
            at = bar_start + (d.steps_per_bar // 2) * d.step
            chord = chord_at(spans, at)
            held = voice_lead(chord, previous, low + 8, low, high)
            for pitch in held:
                notes.append(NoteEvent(at, d.beats_per_bar / 2 * 0.95, pitch,
                                       clamp_velocity(d.velocity(74, form.bar))))
    return perform(notes, d)
