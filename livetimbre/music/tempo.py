"""Tempo arithmetic shared by the planner and the engine: exact bar lengths in samples
and quantization grids in bars.

A tempo counts beats of the meter per minute.
"""

from __future__ import annotations

__all__ = ["bar_samples", "clip_frames", "quantum_in_bars"]

import math
from fractions import Fraction

from livetimbre.music.theory import Meter
from livetimbre.music.values import check_quantize


def bar_samples(sample_rate: int, tempo: float, meter: Meter) -> Fraction:
    """Exact (fractional) samples in one bar of `meter` at `tempo` beats per minute."""
    bpm = Fraction(tempo).limit_denominator(1_000_000)
    return Fraction(sample_rate * 60 * meter.beats) / bpm


def clip_frames(bars: int, sample_rate: int, tempo: float, meter: Meter) -> int:
    """Frames in a clip of `bars` bars, rounded up so every pass of the loop fits in the
    buffer whichever way the bar lines it spans were rounded."""
    return math.ceil(bars * bar_samples(sample_rate, tempo, meter))


def quantum_in_bars(quantize: str, meter: Meter) -> Fraction | None:
    """The quantization grid in bars: '2M' → 2, '1/4' in 4/4 → 1/4, 'none' → None."""
    q = check_quantize(quantize)
    if q == "none":
        return None
    if q.endswith("M"):
        return Fraction(int(q[:-1]))
    denominator = int(q.split("/")[1])
    return Fraction(meter.unit, denominator * meter.beats)
