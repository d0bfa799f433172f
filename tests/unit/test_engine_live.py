"""Engine behaviour the live performance needs: tempo changes, re-render swaps, new layers."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from livetimbre.engine.commands import AddChannel, ChangeTempo, StartClip, StoreClip, SwapClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.events import EventKind
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.transport import Transport
from livetimbre.session.model import SlotKey

RATE = 48000
MARKED = SlotKey("a", "marked")


def _bar_marked_clip(tempo: float, bars: int) -> LoopClip:
    """A clip whose bar j starts with an impulse of height j + 1, else silence."""
    transport = Transport(RATE, tempo, "4/4")
    audio = np.zeros((transport.clip_frames(bars), 2), np.float32)
    clip = LoopClip(audio, bars, MARKED, transport.samples_per_bar)
    for j in range(bars):
        audio[clip.bar_offset(j)] = j + 1
    return clip


def _run(engine: Engine, frames: int, block: int = 256) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, block):
        n = min(block, frames - start)
        engine.process(n, out[start:start + n])
    return out


def test_tempo_change_keeps_an_old_clip_in_time_bar_by_bar() -> None:
    engine = Engine(RATE, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=60.0)
    engine.submit(StoreClip(1, _bar_marked_clip(120.0, 4)))
    engine.submit(StartClip("a", 1, at_bar=0))
    engine.submit(ChangeTempo(150.0, at_bar=2))
    out = _run(engine, engine.transport.frame_at(2) + 8 * 76800)
    transport = engine.transport
    assert transport.tempo == 150.0
    for bar in range(0, 9):
        frame = transport.frame_at(bar)
        expected = bar % 4 + 1
        # Crossfaded jumps scale the first sample by the fade's first value.
        assert out[frame, 0] > 0.0, f"bar {bar} does not start at its bar line"
        assert abs(out[frame, 0] / expected - out[frame, 1] / expected) < 1e-6
    # No stray impulse: only bar lines carry sound above the fade tail.
    loud = np.flatnonzero(np.abs(out[:, 0]) > 0.5)
    assert set(loud) <= {transport.frame_at(b) + d for b in range(9) for d in range(0, 200)}


def test_swap_happens_at_the_next_loop_start_only_for_the_slot_it_replaces() -> None:
    engine = Engine(RATE, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=60.0)
    old = _bar_marked_clip(120.0, 2)
    engine.submit(StoreClip(1, old))
    engine.submit(StartClip("a", 1, at_bar=0))
    _run(engine, 100_000)  # into bar 2 of the first pass
    new = SlotKey("a", "new")
    engine.submit(StoreClip(2, LoopClip(np.full_like(old.audio, 0.25), 2, new)))
    engine.submit(StoreClip(3, LoopClip(old.audio, 2, SlotKey("a", "other"))))
    engine.submit(SwapClip("a", 2, replaces=MARKED))
    engine.submit(SwapClip("a", 3, replaces=SlotKey("a", "not-playing")))
    _run(engine, 300_000)
    swaps = [e for e in engine.events if e.kind is EventKind.SWAP]
    assert [(e.frame, e.bar, e.slot) for e in swaps] == [(192000, Fraction(2), new)]


def test_channels_added_while_running_play() -> None:
    engine = Engine(RATE, 120.0, "4/4", [], master_gain_db=0.0, ceiling_db=60.0)
    _run(engine, 1000)
    engine.submit(AddChannel(engine.new_channel("late")))
    engine.submit(StoreClip(1, LoopClip(np.full((96000, 2), 0.5, np.float32), 1)))
    engine.submit(StartClip("late", 1))
    out = _run(engine, 200_000)
    assert "late" in engine.channels
    first = int(np.flatnonzero(out[:, 0])[0]) + 1000
    assert first == 96000
