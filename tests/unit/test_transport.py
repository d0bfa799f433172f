"""Frames ↔ bars, drift-free bar lines, quantization and tempo changes (engine.transport)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from livetimbre.engine.transport import Transport
from livetimbre.errors import ValueProblem
from livetimbre.music.tempo import quantum_in_bars
from livetimbre.music.theory import parse_meter
from livetimbre.music.values import QUANTIZE_CHOICES


def _half_up(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def _exact_bar(sample_rate: int, bpm: str, beats: int = 4) -> Fraction:
    """Samples per bar computed independently: beats × 60 × rate / tempo."""
    return Fraction(sample_rate * 60 * beats) / Fraction(bpm)


def test_bar_is_96000_frames_at_48k_120_bpm() -> None:
    t = Transport(48000, 120, "4/4")
    assert t.samples_per_bar == 96000
    assert t.samples_per_meter_beat == 24000
    assert [t.frame_at(k) for k in range(5)] == [0, 96000, 192000, 288000, 384000]
    assert t.frame_at(Fraction(1, 4)) == 24000
    assert t.clip_frames(4) == 384000


def test_frame_at_bar_at_round_trip() -> None:
    t = Transport(44100, 107, "4/4")
    for bar in [Fraction(0), Fraction(1), Fraction(7, 4), Fraction(1000), Fraction(123, 16)]:
        frame = t.frame_at(bar)
        # the frame is the nearest sample to the exact position
        assert abs(t.bar_at(frame) - bar) * t.samples_per_bar <= Fraction(1, 2)
    for frame in [0, 1, 12345, 98915, 98916, 10**7 + 3]:
        assert t.frame_at(t.bar_at(frame)) == frame


def test_bar_at_exact_values() -> None:
    t = Transport(48000, 120, "4/4")
    assert t.bar_at(0) == 0
    assert t.bar_at(96000) == 1
    assert t.bar_at(120000) == Fraction(5, 4)
    assert t.bar_beat(0) == (1, 1)
    assert t.bar_beat(120000) == (2, 2)
    assert t.bar_beat(95999) == (1, 4)


@pytest.mark.parametrize(
    ("sample_rate", "bpm"),
    [(44100, "107"), (44100, "133.33"), (48000, "107"), (48000, "133.33"), (44100, "130")],
)
def test_fractional_bar_lines_do_not_drift(sample_rate: int, bpm: str) -> None:
    t = Transport(sample_rate, float(bpm), "4/4")
    exact = _exact_bar(sample_rate, bpm)
    assert exact.denominator != 1  # the bar really is fractional
    assert t.samples_per_bar == exact
    for k in range(10001):
        assert t.frame_at(k) == _half_up(k * exact), k
    # no drift: bar 10000 is within half a sample of the exact position
    assert abs(t.frame_at(10000) - 10000 * exact) <= Fraction(1, 2)
    # a naive float accumulation of rounded bars would be far off
    assert t.frame_at(10000) != 10000 * round(exact)


@pytest.mark.parametrize(
    ("quantize", "meter", "expected"),
    [
        ("8M", "4/4", Fraction(8)), ("4M", "4/4", Fraction(4)), ("2M", "3/4", Fraction(2)),
        ("1M", "6/8", Fraction(1)), ("1m", "4/4", Fraction(1)),
        ("1/2", "4/4", Fraction(1, 2)), ("1/4", "4/4", Fraction(1, 4)),
        ("1/8", "4/4", Fraction(1, 8)), ("1/16", "4/4", Fraction(1, 16)),
        ("1/2", "3/4", Fraction(2, 3)), ("1/4", "3/4", Fraction(1, 3)),
        ("1/8", "3/4", Fraction(1, 6)), ("1/16", "3/4", Fraction(1, 12)),
        ("1/2", "6/8", Fraction(2, 3)), ("1/4", "6/8", Fraction(1, 3)),
        ("1/8", "6/8", Fraction(1, 6)), ("1/16", "6/8", Fraction(1, 12)),
        ("1/4", "7/8", Fraction(2, 7)), ("1/8", "7/8", Fraction(1, 7)),
    ],
)
def test_quantum_in_bars(quantize: str, meter: str, expected: Fraction) -> None:
    assert quantum_in_bars(quantize, parse_meter(meter)) == expected


def test_quantum_none_and_bad() -> None:
    assert quantum_in_bars("none", parse_meter("4/4")) is None
    with pytest.raises(ValueProblem, match="3M"):
        quantum_in_bars("3M", parse_meter("4/4"))


# Frames that are not themselves grid points of any quantization at these tempos.
_PROBE_FRAMES = [1, 777, 30001, 95999, 96001, 150_000, 1_234_567, 9_999_991]


def _on_grid(bar: Fraction, quantum: Fraction) -> bool:
    """Whole-bar grids count from bar 0; grids finer than a bar start on every bar line."""
    offset = bar if quantum >= 1 else bar - math.floor(bar)
    return (offset / quantum).denominator == 1


def _grid_point_before(bar: Fraction, quantum: Fraction) -> Fraction:
    if quantum >= 1 or bar != math.floor(bar):
        return bar - quantum
    steps = math.ceil(1 / quantum)  # the last point of the bar before
    return bar - 1 + (steps - 1) * quantum


@pytest.mark.parametrize("quantize", QUANTIZE_CHOICES)
@pytest.mark.parametrize(("sample_rate", "bpm", "meter"),
                         [(48000, 120.0, "4/4"), (44100, 107.0, "4/4"), (44100, 133.33, "6/8"),
                          (48000, 100.0, "7/8"), (44100, 97.0, "5/4"), (48000, 90.0, "3/4")])
def test_next_boundary_is_the_first_grid_point_after(
    quantize: str, sample_rate: int, bpm: float, meter: str
) -> None:
    t = Transport(sample_rate, bpm, meter)
    quantum = quantum_in_bars(quantize, t.meter)
    for frame in _PROBE_FRAMES:
        got_frame, got_bar = t.next_boundary(frame, quantize)
        assert got_frame >= frame
        if quantum is None:
            assert (got_frame, got_bar) == (frame, t.bar_at(frame))
            continue
        assert _on_grid(got_bar, quantum)
        assert got_frame == t.frame_at(got_bar)
        assert t.frame_at(_grid_point_before(got_bar, quantum)) < frame  # the first one


def test_a_quarter_note_grid_starts_again_on_every_seven_eight_bar_line() -> None:
    t = Transport(48000, 100, "7/8")  # a quarter is 0.6 s = 28800 frames, a bar 100800
    points = []
    frame = 0
    while frame <= 2 * 100800:
        frame, bar = t.next_boundary(frame, "1/4")
        points.append((frame, bar))
        frame += 1
    assert [f for f, _ in points] == [0, 28800, 57600, 86400, 100800,
                                      129600, 158400, 187200, 201600]
    assert points[4][1] == 1 and points[3][1] == Fraction(6, 7)


def test_next_boundary_examples() -> None:
    t = Transport(48000, 120, "4/4")
    assert t.next_boundary(30001, "1M") == (96000, Fraction(1))
    assert t.next_boundary(30001, "1/4") == (48000, Fraction(2, 4))
    assert t.next_boundary(30001, "1/16") == (30000 + 6000, Fraction(6, 16))
    assert t.next_boundary(30001, "4M") == (384000, Fraction(4))
    assert t.next_boundary(400000, "8M") == (768000, Fraction(8))
    assert t.next_boundary(30001, "none") == (30001, Fraction(30001, 96000))


def test_next_boundary_on_a_grid_frame_returns_it_at_whole_sample_tempo() -> None:
    t = Transport(48000, 120, "4/4")
    for k in range(1, 20):
        assert t.next_boundary(t.frame_at(k), "1M") == (96000 * k, Fraction(k))
        assert t.next_boundary(96000 * k + 1, "1M") == (96000 * (k + 1), Fraction(k + 1))


def test_next_boundary_on_a_grid_frame_returns_it_at_fractional_tempo() -> None:
    t = Transport(44100, 107, "4/4")
    for k in range(1, 200):
        frame = t.frame_at(k)
        assert t.next_boundary(frame, "1M") == (frame, Fraction(k)), k


def test_set_tempo_moves_later_bar_lines() -> None:
    t = Transport(48000, 120, "4/4")
    t.set_tempo(90, 4)
    assert t.tempo == 90
    assert t.frame_at(4) == 384000
    assert t.samples_per_bar == 128000
    assert [t.frame_at(k) for k in range(4, 8)] == [384000, 512000, 640000, 768000]
    assert t.bar_at(512000) == 5


def test_set_tempo_from_fractional_bar_line_anchors_exactly() -> None:
    t = Transport(44100, 107, "4/4")
    bar3 = t.frame_at(3)
    t.set_tempo(133.33, 3)
    assert t.frame_at(3) == bar3
    exact = _exact_bar(44100, "133.33")
    for k in range(3, 500):
        assert t.frame_at(k) == bar3 + _half_up((k - 3) * exact)


def test_set_tempo_keeps_earlier_bar_lines() -> None:
    t = Transport(48000, 120, "4/4")
    before = [t.frame_at(k) for k in range(5)]
    t.set_tempo(90, 4)
    assert [t.frame_at(k) for k in range(5)] == before == [0, 96000, 192000, 288000, 384000]
    assert t.bar_at(288000) == 3


def test_set_tempo_rejects_bad_tempo_and_keeps_state() -> None:
    t = Transport(48000, 120, "4/4")
    with pytest.raises(ValueProblem):
        t.set_tempo(0, 2)
    assert t.tempo == 120
    assert t.frame_at(3) == 288000


def test_transport_rejects_bad_construction() -> None:
    with pytest.raises(ValueProblem):
        Transport(48000, 10000, "4/4")
    with pytest.raises(ValueProblem):
        Transport(48000, 120, "4/3")


@pytest.mark.parametrize(
    ("meter", "bpm", "seconds"),
    [("7/8", 100, Fraction(21, 10)), ("6/8", 120, Fraction(3, 2)), ("3/4", 120, Fraction(3, 2)),
     ("5/4", 120, Fraction(5, 2)), ("12/8", 120, Fraction(3)), ("4/4", 120, Fraction(2)),
     ("5/8", 150, Fraction(1)), ("3/16", 60, Fraction(3, 4))],
)
def test_tempo_counts_quarter_notes_in_every_meter(meter: str, bpm: int, seconds: Fraction
                                                  ) -> None:
    """A bar of N/D at T BPM lasts N × 4/D quarter notes of 60/T s (7/8 at 100: 7 × 0.3 s)."""
    for rate in (48000, 44100):
        t = Transport(rate, bpm, meter)
        assert t.samples_per_bar == seconds * rate
        assert [t.frame_at(k) for k in range(3)] == [_half_up(k * seconds * rate)
                                                      for k in range(3)]
        assert t.samples_per_quarter == Fraction(60 * rate, bpm)
        unit = int(meter.split("/")[1])
        assert t.samples_per_meter_beat == Fraction(60 * rate, bpm) * 4 / unit


def test_a_seven_eight_bar_at_100_bpm_is_100800_frames_at_48k() -> None:
    t = Transport(48000, 100, "7/8")
    assert t.frame_at(1) - t.frame_at(0) == 100800 == 7 * 14400  # 7 eighths of 0.3 s
    assert t.bar_beat(100800 - 1) == (1, 7) and t.bar_beat(100800) == (2, 1)
