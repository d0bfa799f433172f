"""Transport: frames ↔ bars and beats at any tempo and meter, and quantization.

Tempo counts quarter notes per minute in every meter (`music.tempo`); positions are in
bars, and composed parts count the meter's own beat (a 1/D note in N/D).

Bar lines fall on the rounded exact positions `anchor + round(bars × samples_per_bar)`
computed with exact fractions, so a tempo whose bar is not a whole number of samples
never drifts. A tempo change moves the anchor to a bar line; so does a stretched bar
(one bar played short or long to move later bar lines onto an outside clock's grid).
"""

from __future__ import annotations

__all__ = ["Transport"]

import bisect
import math
from dataclasses import dataclass
from fractions import Fraction

from livetimbre.music.tempo import bar_samples, quantum_in_bars, quarters_per_bar
from livetimbre.music.theory import Meter, parse_meter
from livetimbre.music.values import check_tempo


def _round_half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))



@dataclass(frozen=True)
class _Segment:
    """From `frame` (bar position `bar`) on, bars last `samples_per_bar` samples."""

    frame: int
    bar: Fraction
    samples_per_bar: Fraction
    tempo: float
    stretched: bool = False  # one short or long bar, followed by a segment at `bar` + 1


class Transport:
    """The engine's musical clock; all positions are exact, frames are integers.

    A tempo map of segments, each starting on a bar line, keeps every earlier bar line
    where it was when the tempo changes.
    """

    def __init__(self, sample_rate: int, tempo: float, meter: str | Meter = "4/4") -> None:
        self.sample_rate = sample_rate
        self.meter = meter if isinstance(meter, Meter) else parse_meter(meter)
        tempo = check_tempo(tempo)
        self._segments = [_Segment(0, Fraction(0), self._bar_length(tempo), tempo)]

    def _bar_length(self, tempo: float) -> Fraction:
        return bar_samples(self.sample_rate, tempo, self.meter)

    @property
    def tempo(self) -> float:
        """The tempo of the latest segment (the current one once it is reached)."""
        return self._segments[-1].tempo

    @property
    def samples_per_bar(self) -> Fraction:
        """Exact (fractional) samples in one bar at the latest tempo."""
        return self._segments[-1].samples_per_bar

    @property
    def samples_per_meter_beat(self) -> Fraction:
        """Exact samples in one beat of the meter (a 1/D note in N/D) at the latest tempo:
        the unit composed parts count in."""
        return self.samples_per_bar / self.meter.beats

    @property
    def samples_per_quarter(self) -> Fraction:
        """Exact samples in one quarter note (what the tempo counts) at the latest tempo."""
        return self.samples_per_bar / quarters_per_bar(self.meter)

    def _segment_for_bar(self, bar: Fraction | int) -> _Segment:
        index = bisect.bisect_right([s.bar for s in self._segments], bar) - 1
        return self._segments[max(0, index)]

    def _segment_for_frame(self, frame: int) -> _Segment:
        index = bisect.bisect_right([s.frame for s in self._segments], frame) - 1
        return self._segments[max(0, index)]

    def frame_at(self, bar: Fraction | int) -> int:
        """The sample on which bar position `bar` (counted from 0) falls."""
        seg = self._segment_for_bar(bar)
        return seg.frame + _round_half_up((bar - seg.bar) * seg.samples_per_bar)

    def bar_at(self, frame: int) -> Fraction:
        """The exact bar position of `frame`."""
        seg = self._segment_for_frame(frame)
        return seg.bar + (frame - seg.frame) / seg.samples_per_bar

    def bar_beat(self, frame: int) -> tuple[int, int]:
        """1-based (bar, beat of the meter) of `frame`, as a display shows it (7/8 counts
        beats 1 to 7)."""
        position = self.bar_at(frame)
        bar = math.floor(position)
        beat = math.floor((position - bar) * self.meter.beats)
        return bar + 1, beat + 1

    def next_boundary(self, frame: int, quantize: str) -> tuple[int, Fraction]:
        """The first grid point whose (rounded) frame is at or after `frame`.

        A grid finer than a bar starts again on every bar line, so its last step in a bar
        may be short (quarter notes in 7/8: bar positions 0, 2/7, 4/7, 6/7, 1, ...).
        """
        quantum = quantum_in_bars(quantize, self.meter)
        if quantum is None:
            return frame, self.bar_at(frame)
        per_bar = math.ceil(1 / quantum) if quantum < 1 else 1

        def point(k: int) -> Fraction:
            if per_bar == 1:
                return k * quantum
            return k // per_bar + (k % per_bar) * quantum

        position = self.bar_at(frame)
        if per_bar == 1:
            k = math.ceil(position / quantum)
        else:
            bar = math.floor(position)
            k = bar * per_bar + math.ceil((position - bar) / quantum)
        while k > 0 and self.frame_at(point(k - 1)) >= frame:
            k -= 1  # an earlier grid point rounded up onto or past `frame`
        while self.frame_at(point(k)) < frame:
            k += 1
        return self.frame_at(point(k)), point(k)

    def set_tempo(self, tempo: float, at_bar: Fraction | int) -> None:
        """Change tempo from bar position `at_bar` on; earlier bar lines stay where they are.

        `at_bar` must not be before the latest tempo change.
        """
        tempo = check_tempo(tempo)
        at = Fraction(at_bar)
        if self._stretched(at):
            at = self._segments[-1].bar  # the stretched bar keeps its end; the tempo follows it
        if at < self._segments[-1].bar:
            raise ValueError(f"tempo change at bar {at} is before the last one")
        segment = _Segment(self.frame_at(at), at, self._bar_length(tempo), tempo)
        if at == self._segments[-1].bar:
            self._segments[-1] = segment
        else:
            self._segments.append(segment)

    def stretch_bar(self, bar: int, end: int) -> bool:
        """Make bar `bar` end on frame `end`, a short or long bar at an unchanged tempo, so
        every later bar line moves by the same amount; earlier bar lines stay.

        Returns False, changing nothing, if `bar` is before the latest change or the bar
        would be shorter than half a bar or longer than one and a half.
        """
        at = Fraction(bar)
        last = self._segments[-1]
        start = self.frame_at(at)
        if at < last.bar or not last.samples_per_bar / 2 <= end - start <= (
            last.samples_per_bar * 3 / 2
        ):
            return False
        stretched = _Segment(start, at, Fraction(end - start), last.tempo, stretched=True)
        after = _Segment(end, at + 1, last.samples_per_bar, last.tempo)
        kept = self._segments[:-1] if at == last.bar else self._segments
        self._segments = [*kept, stretched, after]  # one swap: readers see all or nothing
        return True

    def _stretched(self, bar: Fraction) -> bool:
        """Whether `bar` is a stretched bar (which the latest segment follows)."""
        segments = self._segments
        return len(segments) >= 2 and segments[-2].stretched and segments[-2].bar == bar

    def clip_frames(self, bars: int) -> int:
        """Frames in a clip of `bars` bars at the latest tempo.

        Rounded up, so every pass of the loop fits in the buffer, whichever way the
        bar lines it spans were rounded.
        """
        return math.ceil(bars * self.samples_per_bar)
