"""MIDI clock out schedules 24 ticks per quarter note on the engine's frames, in every
meter (the session's tempo counts quarter notes), without a running process."""

from __future__ import annotations

import itertools
from fractions import Fraction
from types import SimpleNamespace
from typing import Any

import pytest

from livetimbre.controllers.midi.clock import PPQN, TICK, ClockOut, ticks_per_bar
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.transport import Transport
from livetimbre.music.theory import parse_meter


class _Sender:
    def __init__(self) -> None:
        self.ticks: list[int] = []

    def schedule(self, stream: str, from_frame: int, events: list[Any]) -> None:
        assert stream == "clock"
        self.ticks = [f for f in self.ticks if f < from_frame]
        self.ticks += [frame for frame, _, _, data in events if data == bytes([TICK])]


def _ticks(meter: str, bpm: float, seconds: float, tempo_change: tuple[float, int] | None = None
           ) -> tuple[list[int], Transport]:
    """Tick frames scheduled while a 48 kHz engine plays `seconds` in 256-frame blocks."""
    transport = Transport(48000, bpm, meter)
    clock = SimpleNamespace(transport=transport, frame=0, sample_rate=48000)
    sender = _Sender()
    out = ClockOut(SimpleNamespace(clock=clock), sender, 0)  # type: ignore[arg-type]
    while clock.frame < seconds * 48000:
        if tempo_change is not None and clock.frame >= transport.frame_at(tempo_change[1]) - 256:
            bpm, bar = tempo_change
            transport.set_tempo(bpm, bar)  # as the engine does; its event reaches the clock
            out._follow(EngineEvent(transport.frame_at(bar), Fraction(bar), EventKind.TEMPO,
                                    tempo=bpm))
            tempo_change = None
        out.update()
        clock.frame += 256
    return sender.ticks, transport


@pytest.mark.parametrize(("meter", "ticks"), [("4/4", 96), ("3/4", 72), ("6/8", 72),
                                              ("7/8", 84), ("5/4", 120), ("12/8", 144)])
def test_a_bar_holds_24_ticks_per_quarter_note(meter: str, ticks: int) -> None:
    assert ticks_per_bar(parse_meter(meter)) == ticks


def test_clock_out_in_seven_eight_ticks_24_per_quarter_at_the_session_tempo() -> None:
    """7/8 at 100 BPM: a quarter is 0.6 s, so a tick every 0.025 s = 1200 frames; a bar
    (2.1 s, 100800 frames) holds 84 ticks, the first on its bar line."""
    frames, transport = _ticks("7/8", 100, 4.5)
    assert frames[:4] == [0, 1200, 2400, 3600]
    assert all(b - a == 1200 for a, b in itertools.pairwise(frames))
    assert frames[84] == transport.frame_at(1) == 100800
    assert frames[168] == transport.frame_at(2) == 201600
    seconds_per_tick = 60 / (100 * PPQN)
    assert frames[-1] - frames[0] == round((len(frames) - 1) * seconds_per_tick * 48000)


def test_clock_out_follows_a_tempo_change_from_its_bar_line_in_seven_eight() -> None:
    frames, transport = _ticks("7/8", 100, 6.0, tempo_change=(150, 2))
    bar2 = transport.frame_at(2)
    assert bar2 == 201600 and bar2 in frames
    after = [f for f in frames if f >= bar2]
    # 150 quarters a minute: a tick every 60 / (150 × 24) s = 800 frames; a bar 67200
    assert all(b - a == 800 for a, b in itertools.pairwise(after))
    assert frames.index(bar2) == 2 * 84
    assert transport.frame_at(3) - bar2 == 67200 == 84 * 800
    assert Fraction(transport.samples_per_quarter) == 19200
