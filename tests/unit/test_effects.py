"""Engine effects: the layer filter (smoothed: no zipper), the delay and reverb sends,
the master's stutter and tape stop, and their events (a performance replays exactly)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import lfilter

from livetimbre.engine.commands import SetEffect, StartClip, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.events import EventKind
from livetimbre.engine.filter import biquad
from livetimbre.engine.master_fx import TAPESTOP_BEATS
from livetimbre.engine.mixer import LoopClip

pytestmark = pytest.mark.timeout(120)
SR = 48000
BLOCK = 256
MINUS_60_DB = 10 ** (-60 / 20)


def _engine(layers: tuple[str, ...] = ("a",)) -> Engine:
    return Engine(SR, 120.0, "4/4", list(layers), master_gain_db=0.0, ceiling_db=0.0,
                  block_size=BLOCK)


def _tone_clip(engine: Engine, hz: tuple[float, ...], level: float = 0.25) -> LoopClip:
    """A loop of whole cycles of each tone (so it loops without a seam)."""
    frames = engine.transport.clip_frames(1)
    t = np.arange(frames) / SR
    wave = sum(level * np.sin(2 * np.pi * (round(f * frames / SR) * SR / frames) * t)
               for f in hz)
    return LoopClip(np.repeat(np.asarray(wave, np.float32)[:, None], 2, axis=1), 1)


def _play(engine: Engine, clip: LoopClip, layer: str = "a") -> None:
    engine.submit(StoreClip(1, clip))
    engine.submit(StartClip(layer, 1, at_bar=0))


def _run(engine: Engine, frames: int, each_block: object = None) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    for start in range(0, frames, BLOCK):
        if callable(each_block):
            each_block(start)
        engine.process(min(BLOCK, frames - start), out[start:start + BLOCK])
    return out


def _steps(audio: np.ndarray) -> float:
    """The largest second difference: what a step (a click, a zipper) shows up in."""
    return float(np.abs(np.diff(audio[:, 0], 2)).max())


def _level_db(audio: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(audio[:, 0] ** 2)) + 1e-12))


def _sweep(jump: bool = False) -> tuple[np.ndarray, float]:
    """A knob swept like a MIDI CC (128 steps over half a second) from 12 kHz down to
    300 Hz, resonance 0.5, over a low tone (or, with `jump`, a pad jumping from one to
    the other); and the largest step the tone has under any static setting on the way."""
    frames = SR
    own = 0.0
    cutoffs = [12000 * (300 / 12000) ** (i / 127) for i in range(128)]
    if jump:
        cutoffs = [cutoffs[0]] * 64 + [cutoffs[-1]] * 64
    for hz in [*cutoffs[::16], cutoffs[-1]]:
        engine = _engine()
        engine.submit(SetEffect("a", "resonance", 0.5))
        engine.submit(SetEffect("a", "cutoff", hz))
        _play(engine, _tone_clip(engine, (110.0,)))
        own = max(own, _steps(_run(engine, frames // 4)[SR // 10:]))
    engine = _engine()
    engine.submit(SetEffect("a", "resonance", 0.5))
    engine.submit(SetEffect("a", "cutoff", cutoffs[0]))
    _play(engine, _tone_clip(engine, (110.0,)))

    def turn(start: int) -> None:
        step = (start - SR // 4) * 128 // (SR // 2)
        if 0 <= step < 128:
            engine.submit(SetEffect("a", "cutoff", cutoffs[step]))

    return _run(engine, frames, turn), own


@pytest.mark.parametrize("jump", [False, True], ids=["cc-sweep", "pad-jump"])
def test_a_moved_cutoff_adds_no_step_above_minus_60_dbfs(jump: bool) -> None:
    out, own = _sweep(jump=jump)
    assert _steps(out[SR // 10:]) <= own + MINUS_60_DB


def test_the_step_check_sees_a_naive_filter() -> None:
    """The check above fails a filter that swaps coefficients under a stale internal
    state (a transposed direct form carried across the jump): the classic zipper."""
    _, own = _sweep(jump=True)
    engine = _engine()
    tone = _tone_clip(engine, (110.0,)).audio[:, 0].astype(np.float64)
    state = np.zeros(2)
    out = []
    for start in range(0, len(tone), BLOCK):
        cutoff = 12000.0 if start < len(tone) // 2 else 300.0
        b, a = biquad(1, cutoff, 0.7071 * (12 / 0.7071) ** 0.5, SR)
        y, state = lfilter(b, a, tone[start:start + BLOCK], zi=state)
        out.append(y)
    naive = np.concatenate(out)[:, None]
    assert _steps(naive[SR // 10:]) > own + MINUS_60_DB


@pytest.mark.parametrize(("mode", "kept", "cut"), [("lowpass", 100.0, 5000.0),
                                                   ("highpass", 5000.0, 100.0)])
def test_the_filter_passes_one_side_of_the_cutoff(mode: str, kept: float, cut: float) -> None:
    levels = {}
    for hz in (kept, cut):
        engine = _engine()
        engine.submit(SetEffect("a", "filter", 1.0 if mode == "lowpass" else 2.0))
        engine.submit(SetEffect("a", "cutoff", 700.0))
        _play(engine, _tone_clip(engine, (hz,)))
        levels[hz] = _level_db(_run(engine, SR // 2)[SR // 4:])
    dry = _level_db(_run(_played(_engine(), kept), SR // 2)[SR // 4:])
    assert abs(levels[kept] - dry) < 1.0
    assert levels[cut] < dry - 30


def _played(engine: Engine, hz: float) -> Engine:
    _play(engine, _tone_clip(engine, (hz,)))
    return engine


def test_an_open_filter_is_bypassed_bit_for_bit() -> None:
    plain = _run(_played(_engine(), 440.0), SR // 4)
    engine = _played(_engine(), 440.0)
    engine.submit(SetEffect("a", "cutoff", 800.0))

    def reopen(start: int) -> None:
        if start == BLOCK * 8:
            engine.submit(SetEffect("a", "cutoff", 20000.0))

    out = _run(engine, SR // 4, reopen)
    assert engine.channels["a"].effects.filter.bypassed  # type: ignore[union-attr]
    assert np.array_equal(out[-BLOCK * 4:], plain[-BLOCK * 4:])


CLICK = 1000


def _click(engine: Engine) -> LoopClip:
    audio = np.zeros((engine.transport.clip_frames(4), 2), np.float32)
    audio[CLICK] = 0.5  # after the launch's fade-in
    return LoopClip(audio, 4)


def test_the_delay_repeats_on_the_beat_grid() -> None:
    engine = _engine()
    engine.submit(SetEffect("a", "delay", 1.0))
    engine.submit(SetEffect(None, "feedback", 0.5))
    _play(engine, _click(engine))
    out = _run(engine, SR * 2)
    beat = SR // 2  # 120 BPM
    echo = round(0.75 * beat)  # the default: a dotted eighth
    peaks = [int(i) - CLICK for i in np.flatnonzero(np.abs(out[:, 0]) > 0.01)]
    assert peaks[0] == 0 and echo in peaks and 2 * echo in peaks
    assert abs(out[CLICK + 2 * echo, 0]) < abs(out[CLICK + echo, 0])  # each repeat quieter
    assert not any(0 < p < echo for p in peaks)


def test_the_delay_follows_its_time_in_beats() -> None:
    engine = _engine()
    engine.submit(SetEffect("a", "delay", 1.0))
    engine.submit(SetEffect(None, "delay_time", 0.5))
    _play(engine, _click(engine))
    out = _run(engine, SR)
    assert abs(out[CLICK + SR // 4, 0]) > 0.1  # half a beat at 120 BPM


def _tail_seconds(room: float) -> float:
    engine = _engine()
    engine.submit(SetEffect("a", "reverb", 1.0))
    engine.submit(SetEffect(None, "room", room))
    _play(engine, _click(engine))
    out = _run(engine, SR * 4)
    loud = np.flatnonzero(np.abs(out[1:, 0]) > 1e-3)
    return float(loud[-1] - CLICK) / SR if loud.size else 0.0


def test_the_reverb_rings_longer_in_a_larger_room() -> None:
    small, large = _tail_seconds(0.1), _tail_seconds(0.9)
    assert 0.05 < small < large


def test_the_stutter_loops_a_slice_from_its_grid_point() -> None:
    engine = _played(_engine(), 333.0)
    engine.submit(SetEffect("a", "cutoff", 20000.0))
    slice_frames = SR // 2 // 4  # a 1/16 at 120 BPM

    def press(start: int) -> None:
        if start == BLOCK * 10:
            engine.submit(SetEffect(None, "stutter", 0.25))

    out = _run(engine, SR, press)
    start = next(e.frame for e in engine.events if e.kind == EventKind.FX)
    engaged = -(-start // slice_frames) * slice_frames  # the next 1/16 grid point
    loop = out[engaged:engaged + slice_frames]
    for k in (1, 2, 3):  # after each seam's crossfade, the slice again
        again = out[engaged + k * slice_frames:engaged + (k + 1) * slice_frames]
        assert np.allclose(again[200:], loop[200:], atol=1e-6)
    live = _run(_played(_engine(), 333.0), SR)
    assert not np.allclose(out[engaged + slice_frames + 200:engaged + 2 * slice_frames],
                           live[engaged + slice_frames + 200:engaged + 2 * slice_frames])


def test_a_stutter_leaves_without_a_click_and_plays_live_again() -> None:
    engine = _played(_engine(), 333.0)

    def press(start: int) -> None:
        if start == BLOCK * 10:
            engine.submit(SetEffect(None, "stutter", 0.125))
        if start == BLOCK * 60:
            engine.submit(SetEffect(None, "stutter", 0.0))

    out = _run(engine, SR, press)
    live = _run(_played(_engine(), 333.0), SR)
    assert np.allclose(out[BLOCK * 62:], live[BLOCK * 62:], atol=1e-6)
    assert _steps(out) <= _steps(live) + MINUS_60_DB * 50  # seams crossfade


def test_the_tape_stop_slows_to_silence_in_two_beats() -> None:
    engine = _played(_engine(), 333.0)

    def press(start: int) -> None:
        if start == BLOCK * 4:
            engine.submit(SetEffect(None, "tapestop", 1.0))

    out = _run(engine, SR * 2, press)
    halt = BLOCK * 4 + round(TAPESTOP_BEATS * SR / 2)
    assert np.abs(out[halt:]).max() == 0.0
    assert _level_db(out[BLOCK * 4:BLOCK * 40]) > -20
    # slowing down: the zero crossings spread apart
    early = np.flatnonzero(np.diff(np.signbit(out[BLOCK * 4:BLOCK * 4 + 4800, 0])))
    late = np.flatnonzero(np.diff(np.signbit(out[halt - 14400:halt - 9600, 0])))
    assert len(late) < len(early) / 2


def test_effect_changes_are_logged_and_replay_exactly() -> None:
    """The event log of a performance, replayed at its frames, bounces the same audio."""
    engine = _played(_engine(("a", "b")), 220.0)
    moves = {3: ("a", "cutoff", 900.0), 9: ("a", "resonance", 0.6), 15: (None, "room", 0.9),
             16: ("a", "reverb", 0.4), 30: ("a", "delay", 0.5), 44: (None, "stutter", 0.5),
             70: (None, "stutter", 0.0), 80: ("a", "filter", 2.0)}

    def perform(start: int) -> None:
        if start // BLOCK in moves and start % BLOCK == 0:
            layer, param, value = moves[start // BLOCK]
            engine.submit(SetEffect(layer, param, value))

    live = _run(engine, SR * 2, perform)
    logged = [e for e in engine.events if e.kind == EventKind.FX]
    assert [(e.layer or None, e.param, e.value) for e in logged] == list(moves.values())
    assert all(e.frame == block * BLOCK for e, block in zip(logged, moves, strict=True))
    bounce = _played(_engine(("a", "b")), 220.0)
    for event in logged:
        bounce.submit(SetEffect(event.layer or None, event.param, event.value or 0.0,
                                at_frame=event.frame))
    assert np.array_equal(_run(bounce, SR * 2), live)


def test_a_value_already_set_is_not_logged_again() -> None:
    engine = _engine()
    engine.submit(SetEffect("a", "cutoff", 900.0))
    engine.submit(SetEffect("a", "cutoff", 900.0))
    _run(engine, BLOCK)
    assert len([e for e in engine.events if e.kind == EventKind.FX]) == 1
    assert engine.events[0].as_dict()["param"] == "cutoff"


def test_switching_from_tape_stop_to_stutter_crossfades() -> None:
    engine = _played(_engine(), 333.0)

    def press(start: int) -> None:
        if start == BLOCK * 4:
            engine.submit(SetEffect(None, "tapestop", 1.0))
        if start == BLOCK * 30:  # mid-slowdown, loud: straight into a stutter
            engine.submit(SetEffect(None, "tapestop", 0.0))
            engine.submit(SetEffect(None, "stutter", 0.25))

    out = _run(engine, SR, press)
    live = _run(_played(_engine(), 333.0), SR)
    assert _steps(out[BLOCK * 29:]) <= _steps(live) + MINUS_60_DB * 50
    slice_frames = SR // 8
    engaged = -(-(BLOCK * 30) // slice_frames) * slice_frames  # its grid point
    loop = out[engaged:engaged + slice_frames]
    again = out[engaged + slice_frames:engaged + 2 * slice_frames]
    assert np.allclose(again[200:], loop[200:], atol=1e-6)
