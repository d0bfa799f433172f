"""Transport: frames ↔ bars and beats at any tempo and meter, and quantization.

Bar lines fall on the rounded exact positions `anchor + round(bars × samples_per_bar)`
computed with exact fractions, so a tempo whose bar is not a whole number of samples
never drifts. A tempo change moves the anchor to a bar line.
"""

from __future__ import annotations

__all__ = ["Transport", "quantum_in_bars"]

import math
from fractions import Fraction

from livetimbre.compose.theory import Meter, parse_meter
from livetimbre.session.values import check_quantize, check_tempo


def _round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def quantum_in_bars(quantize: str, meter: Meter) -> Fraction | None:
    """The quantization grid in bars: '2M' → 2, '1/4' in 4/4 → 1/4, 'none' → None."""
    q = check_quantize(quantize)
    if q == "none":
        return None
    if q.endswith("M"):
        return Fraction(int(q[:-1]))
    denominator = int(q.split("/")[1])
    return Fraction(meter.unit, denominator * meter.beats)


class Transport:
    """The engine's musical clock; all positions are exact, frames are integers."""

    def __init__(self, sample_rate: int, tempo: float, meter: str | Meter = "4/4") -> None:
        self.sample_rate = sample_rate
        self.meter = meter if isinstance(meter, Meter) else parse_meter(meter)
        self.tempo = check_tempo(tempo)
        self._anchor_frame = 0
        self._anchor_bar = Fraction(0)
        self._samples_per_bar = self._bar_length(self.tempo)

    def _bar_length(self, tempo: float) -> Fraction:
        bpm = Fraction(tempo).limit_denominator(1_000_000)
        return Fraction(self.sample_rate * 60 * self.meter.beats) / bpm

    @property
    def samples_per_bar(self) -> Fraction:
        """Exact (fractional) samples in one bar at the current tempo."""
        return self._samples_per_bar

    @property
    def samples_per_beat(self) -> Fraction:
        return self._samples_per_bar / self.meter.beats

    def frame_at(self, bar: Fraction | int) -> int:
        """The sample on which bar position `bar` (counted from 0) falls."""
        return self._anchor_frame + _round_half_up((bar - self._anchor_bar) * self._samples_per_bar)

    def bar_at(self, frame: int) -> Fraction:
        """The exact bar position of `frame`."""
        return self._anchor_bar + (frame - self._anchor_frame) / self._samples_per_bar

    def bar_beat(self, frame: int) -> tuple[int, int]:
        """1-based (bar, beat) of `frame`, as a display shows it."""
        position = self.bar_at(frame)
        bar = math.floor(position)
        beat = math.floor((position - bar) * self.meter.beats)
        return bar + 1, beat + 1

    def next_boundary(self, frame: int, quantize: str) -> tuple[int, Fraction]:
        """The first grid point at or after `frame`: (its frame, its bar position)."""
        quantum = quantum_in_bars(quantize, self.meter)
        if quantum is None:
            return frame, self.bar_at(frame)
        k = math.ceil(self.bar_at(frame) / quantum)
        while self.frame_at(k * quantum) < frame:
            k += 1
        return self.frame_at(k * quantum), k * quantum

    def set_tempo(self, tempo: float, at_bar: Fraction | int) -> None:
        """Change tempo from bar position `at_bar` on (usually the next bar line)."""
        tempo = check_tempo(tempo)
        self._anchor_frame = self.frame_at(at_bar)
        self._anchor_bar = Fraction(at_bar)
        self.tempo = tempo
        self._samples_per_bar = self._bar_length(tempo)

    def clip_frames(self, bars: int) -> int:
        """Frames in a clip of `bars` bars at the current tempo (rounded exact length)."""
        return _round_half_up(bars * self._samples_per_bar)
