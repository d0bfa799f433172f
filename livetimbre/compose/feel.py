"""Timing feel and touch: swing, push and pull, a player's spread, strums and rolls.

The writers put notes on the grid; `perform` plays them the way the genre and the prompt
ask. Every change is seeded, so a clip is the same each time it is rendered.
"""

from __future__ import annotations

__all__ = ["perform", "spread_chord", "swing_time"]

from collections.abc import Iterable

from livetimbre.compose.direction import Direction
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Meter

_BACKBEAT_DRUMS = {37, 38, 39, 40}  # rim, snare, clap, snare 2: where a laid-back feel sits
_ANCHORS = {36}  # the kick holds the grid


def swing_time(beat: float, amount: float, unit: int, meter: Meter) -> float:
    """Move the off-beat note of each pair of 1/`unit` notes later: amount 1 puts it on
    the triplet (two thirds of the pair, 'MPC 66 %'); 0 leaves it straight."""
    if amount <= 0:
        return beat
    note = meter.unit / unit  # length of the swung note value, in beats
    pair = 2 * note
    base = (beat // pair) * pair
    t = beat - base
    d = amount * note / 3
    if t < note:
        return base + t * (note + d) / note
    return base + (note + d) + (t - note) * (note - d) / note


def _within(beat: float, total: float) -> float:
    """Keep a moved note inside the loop: a note pushed ahead of the clip's first beat
    starts on it (so a launch still lands on the bar), one dragged past the end stays
    just before it."""
    return min(max(beat, 0.0), total - 1e-6)


def perform(notes: Iterable[NoteEvent], d: Direction, *, drums: bool = False) -> list[NoteEvent]:
    """The notes as played: swung, pushed or laid back, with the genre's spread of
    timing and velocity scaled by the prompt's looseness."""
    rng = d.rng("perform")
    looseness = d.theme.looseness
    jitter = d.ms_to_beats(d.genre.rhythm.humanize_ms * looseness)
    push = d.ms_to_beats(d.theme.push_ms)
    laid_back = d.ms_to_beats(d.genre.rhythm.laid_back_ms)
    velocity_spread = 3.0 * looseness
    unit = d.genre.rhythm.swing_unit
    out = []
    for note in notes:
        start = swing_time(note.start, d.swing, unit, d.meter) + push
        if drums and note.pitch in _BACKBEAT_DRUMS:
            start += laid_back
        anchor = 0.35 if (drums and note.pitch in _ANCHORS) else 1.0
        if jitter > 0:
            start += rng.gauss(0.0, jitter * anchor)
        velocity = note.velocity + (rng.gauss(0.0, velocity_spread) if looseness else 0.0)
        out.append(NoteEvent(_within(start, d.total_beats), note.duration, note.pitch,
                             clamp_velocity(velocity)))
    return out


def spread_chord(pitches: list[int], start: float, length: float, velocity: float,
                 spread: float, upstroke: bool = False) -> list[NoteEvent]:
    """A chord whose notes start `spread` beats apart: low to high (a downstroke or a
    roll) or high to low (`upstroke`); the top voice speaks a little louder."""
    order = sorted(pitches, reverse=upstroke)
    notes = []
    for index, pitch in enumerate(order):
        offset = index * spread
        top = 4 if pitch == max(pitches) else 0
        notes.append(NoteEvent(start + offset, max(0.05, length - offset), pitch,
                               clamp_velocity(velocity + top - 2 * index * (spread > 0))))
    return notes
