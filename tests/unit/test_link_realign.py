"""Stretched bars for clock followers (Ableton Link): Transport.stretch_bar, the engine's
Realign command and the client's mirror of it, at exact sample positions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from livetimbre.engine.client import AudioClient
from livetimbre.engine.commands import ChangeTempo, Realign, StartClip, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.events import EventKind
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.server import AudioConfig
from livetimbre.engine.transport import Transport
from livetimbre.session.model import SlotKey

SR = 48000
BAR = 96000  # 4/4 at 120 BPM
FADE = 144  # the engine's 3 ms crossfade


def _engine() -> Engine:
    return Engine(SR, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=0.0)


def _two_bar_clip() -> LoopClip:
    """Bar 0 holds 0.25, bar 1 holds 0.5: the output says which bar of the clip plays."""
    audio = np.full((2 * BAR, 2), 0.25, np.float32)
    audio[BAR:] = 0.5
    return LoopClip(audio, 2, SlotKey("a", "x"))


def _start(engine: Engine, at_bar: int) -> None:
    engine.submit(StoreClip(1, _two_bar_clip()))
    engine.submit(StartClip("a", 1, at_bar=at_bar))


def _run(engine: Engine, frames: int, block: int = 1000) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, block):
        engine.process(min(block, frames - start), out[start:start + block])
    return out


def test_a_stretched_bar_moves_every_later_bar_line_and_keeps_earlier_ones() -> None:
    t = Transport(SR, 120, "4/4")
    assert t.stretch_bar(2, 3 * BAR - 480)  # 10 ms short
    assert [t.frame_at(k) for k in range(6)] == [0, BAR, 2 * BAR, 3 * BAR - 480,
                                                 4 * BAR - 480, 5 * BAR - 480]
    # Within the stretched bar the position runs on evenly: no jump anywhere.
    assert t.bar_at(2 * BAR) == 2 and t.bar_at(3 * BAR - 480) == 3
    assert t.bar_at(2 * BAR + (BAR - 480) // 2) == Fraction(5, 2)
    assert t.tempo == 120 and t.samples_per_bar == BAR


def test_a_stretch_is_refused_before_the_latest_change_or_beyond_half_a_bar() -> None:
    t = Transport(SR, 120, "4/4")
    t.set_tempo(100, 4)
    assert not t.stretch_bar(3, 4 * BAR)  # before the tempo change at bar 4
    assert not t.stretch_bar(5, t.frame_at(5) + BAR // 2 - 1)
    assert not t.stretch_bar(5, t.frame_at(5) + 3 * 115200 // 2 + 1)
    assert [t.frame_at(k) for k in (4, 5, 6)] == [4 * BAR, 4 * BAR + 115200, 4 * BAR + 230400]


def test_a_tempo_change_on_a_stretched_bar_starts_where_the_bar_ends() -> None:
    for stretch_first in (True, False):
        t = Transport(SR, 120, "4/4")
        end = 3 * BAR + 960
        if stretch_first:
            assert t.stretch_bar(2, end)
            t.set_tempo(100, 2)
        else:
            t.set_tempo(100, 2)
            assert t.stretch_bar(2, end)
        assert [t.frame_at(k) for k in (2, 3, 4)] == [2 * BAR, end, end + 115200]
        assert t.tempo == 100


def test_realign_plays_one_bar_short_and_the_clip_follows_the_moved_bar_lines() -> None:
    engine = _engine()
    _start(engine, at_bar=0)
    out = _run(engine, BAR + 5000)
    end = 3 * BAR - 4800  # bar 2 is 100 ms short
    engine.submit(Realign(2, end))
    out = np.concatenate([out, _run(engine, 5 * BAR - out.shape[0])])
    realigns = [e for e in engine.events if e.kind is EventKind.REALIGN]
    assert [(e.frame, e.bar, e.end) for e in realigns] == [(2 * BAR, 2, end)]
    left = out[:, 0]
    assert np.all(left[2 * BAR + FADE:end] == 0.25)  # clip bar 0, cut short
    assert np.all(left[end + FADE:end + BAR] == 0.5)  # clip bar 1 from the new bar line
    assert np.all(left[end + BAR + FADE:end + 2 * BAR] == 0.25)  # the loop goes on from there


def test_realign_plays_one_bar_long() -> None:
    engine = _engine()
    _start(engine, at_bar=0)
    engine.submit(Realign(2, 3 * BAR + 4800))
    out = _run(engine, 5 * BAR)
    left = out[:, 0]
    assert np.all(left[2 * BAR + FADE:3 * BAR] == 0.25)
    assert np.all(left[3 * BAR + 4800 + FADE:4 * BAR + 4800] == 0.5)
    assert engine.transport.frame_at(4) == 4 * BAR + 4800


def test_realign_arriving_after_its_bar_line_is_dropped() -> None:
    engine = _engine()
    _run(engine, 2 * BAR + 1)
    engine.submit(Realign(2, 3 * BAR - 480))
    _run(engine, BAR)
    assert not any(e.kind == "realign" for e in engine.events)
    assert engine.transport.frame_at(3) == 3 * BAR


def test_realign_applies_before_a_launch_on_the_same_bar_line() -> None:
    engine = _engine()
    _start(engine, at_bar=2)  # submitted first
    end = 3 * BAR - 4800
    engine.submit(Realign(2, end))
    left = _run(engine, 4 * BAR)[:, 0]
    assert np.all(left[2 * BAR + FADE:end] == 0.25)
    assert np.all(left[end + FADE:end + BAR] == 0.5)  # clip bar 1 starts on the moved line


def test_commands_scheduled_further_ahead_keep_their_bar_when_bar_lines_move() -> None:
    engine = _engine()
    _start(engine, at_bar=3)
    engine.submit(Realign(2, 3 * BAR + 960))
    engine.submit(ChangeTempo(100, at_bar=4))
    _run(engine, 5 * BAR)
    launches = [(e.frame, e.bar) for e in engine.events if e.kind == "launch"]
    assert launches == [(3 * BAR + 960, 3)]


def test_the_client_mirror_replays_realign_events_exactly() -> None:
    engine = Engine(44100, 107.0, "4/4", ["a"])
    start = engine.transport.frame_at(2)
    engine.submit(ChangeTempo(133.0, at_bar=2))
    engine.submit(Realign(2, start + 90001))
    _run(engine, engine.transport.frame_at(3))
    engine.submit(Realign(5, engine.transport.frame_at(5) + 70000))
    _run(engine, engine.transport.frame_at(9) - engine.frame)
    assert [e.kind for e in engine.events] == ["tempo", "realign", "realign"]
    client = AudioClient(AudioConfig(44100, 107.0, "4/4", ("a",), "1M", 256, "null", None))
    for event in engine.events:
        client._observe(event)
    assert [client.transport.frame_at(k) for k in range(12)] == [
        engine.transport.frame_at(k) for k in range(12)]
    assert client.transport.frame_at(3) == start + 90001
