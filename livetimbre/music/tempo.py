"""Tempo arithmetic shared by the planner and the engine: exact bar lengths in samples
and quantization grids in bars.

A tempo counts quarter notes per minute in every meter, as Ableton Live, Link and MIDI
clock count it: a bar of N/D at T BPM lasts N × (4/D) quarter notes, N × (4/D) × 60/T
seconds (7/8 at 100 BPM: 3.5 quarters, 2.1 s). The meter's own beat, a 1/D note (the
unit composed parts count in), lasts 4/D quarter notes.
"""

from __future__ import annotations

__all__ = ["bar_samples", "clip_frames", "quantum_in_bars", "quarters_per_bar"]

import math
from fractions import Fraction

from livetimbre.music.theory import Meter
from livetimbre.music.values import check_quantize


def quarters_per_bar(meter: Meter) -> Fraction:
    """Quarter notes in one bar: 4 in 4/4, 3 in 6/8, 7/2 in 7/8."""
    return Fraction(4 * meter.beats, meter.unit)


def bar_samples(sample_rate: int, tempo: float, meter: Meter) -> Fraction:
    """Exact (fractional) samples in one bar of `meter` at `tempo` quarter notes per minute."""
    bpm = Fraction(tempo).limit_denominator(1_000_000)
    return Fraction(sample_rate * 60) * quarters_per_bar(meter) / bpm


def clip_frames(bars: int, sample_rate: int, tempo: float, meter: Meter) -> int:
    """Frames in a clip of `bars` bars, rounded up so every pass of the loop fits in the
    buffer whichever way the bar lines it spans were rounded."""
    return math.ceil(bars * bar_samples(sample_rate, tempo, meter))


def quantum_in_bars(quantize: str, meter: Meter) -> Fraction | None:
    """The quantization grid in bars: '2M' → 2, '1/4' (a quarter note) → 1/4 in 4/4, 1/3
    in 6/8, 2/7 in 7/8; 'none' → None."""
    q = check_quantize(quantize)
    if q == "none":
        return None
    if q.endswith("M"):
        return Fraction(int(q[:-1]))
    denominator = int(q.split("/")[1])
    return Fraction(meter.unit, denominator * meter.beats)
