"""The engine and mixer: sample-exact launches, loops, fades and the mixer strip."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest

from livetimbre.engine.commands import (
    ChangeQuantize,
    ChangeTempo,
    ClipId,
    ForgetClip,
    Realign,
    SetChannel,
    StartClip,
    StartScene,
    StopChannel,
    StoreClip,
    SwapClip,
)
from livetimbre.engine.engine import Engine
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.mixer import LoopClip, crossfade_curves, release_curve
from livetimbre.music.values import DEFAULT_RELEASE_MS
from livetimbre.session.model import SlotKey

SR = 48000


def _engine(tempo: float = 120.0, layers: tuple[str, ...] = ("a", "b"), sample_rate: int = SR,
            fade_ms: float = 3.0) -> Engine:
    # unity master gain and a 0 dBFS ceiling, so output = sum of layers exactly
    return Engine(sample_rate, tempo, "4/4", list(layers), master_gain_db=0.0, ceiling_db=0.0,
                  fade_ms=fade_ms)


_ids = itertools.count(1)


def _store(engine: Engine, clip: LoopClip) -> ClipId:
    """Put `clip` in the engine's clip table under a new id."""
    clip_id = next(_ids)
    engine.submit(StoreClip(clip_id, clip))
    return clip_id


def _start(engine: Engine, layer: str, clip: LoopClip, quantize: str | None = None,
           at_bar: int | None = None) -> None:
    engine.submit(StartClip(layer, _store(engine, clip), quantize, at_bar))


def _impulse_clip(engine: Engine, bars: int = 1, value: float = 0.5,
                  slot: SlotKey | None = None) -> LoopClip:
    audio = np.zeros((engine.transport.clip_frames(bars), 2), np.float32)
    audio[0] = value
    return LoopClip(audio, bars, slot)


def _dc_clip(engine: Engine, left: float, right: float, bars: int = 1) -> LoopClip:
    audio = np.zeros((engine.transport.clip_frames(bars), 2), np.float32)
    audio[:, 0] = left
    audio[:, 1] = right
    return LoopClip(audio, bars)


def _run(engine: Engine, frames: int, blocks: tuple[int, ...] = (100, 257)) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    position, i = 0, 0
    while position < frames:
        n = min(blocks[i % len(blocks)], frames - position)
        engine.process(n, out[position:position + n])
        position += n
        i += 1
    return out


def _fade(engine: Engine) -> int:
    return max(1, round(3.0 * engine.sample_rate / 1000))


def test_crossfade_curves_are_equal_power() -> None:
    for length in (1, 7, 144, 1000):
        fade_in, fade_out = crossfade_curves(length)
        assert fade_in.shape == fade_out.shape == (length, 1)
        total = fade_in.astype(np.float64) ** 2 + fade_out.astype(np.float64) ** 2
        assert np.max(np.abs(total - 1.0)) < 1e-6
        assert np.all(np.diff(fade_in[:, 0]) >= 0) and np.all(np.diff(fade_out[:, 0]) <= 0)
        np.testing.assert_allclose(fade_in[::-1], fade_out, atol=1e-7)


@pytest.mark.parametrize("blocks", [(100, 257), (257,), (1, 255), (4096, 33)])
def test_quantized_launch_lands_exactly_on_the_next_bar(blocks: tuple[int, ...]) -> None:
    engine = _engine()
    start = 30001  # mid-bar
    pre = engine.process(start)
    assert not pre.any()
    _start(engine, "a", _impulse_clip(engine, slot=SlotKey("a", "imp")), quantize="1M")
    out = _run(engine, 3 * 96000, blocks)
    nonzero = np.flatnonzero(out[:, 0]) + start
    assert list(nonzero) == [96000, 192000, 288000]
    first_gain = float(crossfade_curves(_fade(engine))[0][0, 0])  # the launch fades in
    assert out[96000 - start, 0] == pytest.approx(0.5 * first_gain, rel=1e-6)
    assert out[192000 - start, 0] == pytest.approx(0.5, rel=1e-6)
    assert list(engine.events) == [
        EngineEvent(96000, Fraction(1), EventKind.LAUNCH, "a", SlotKey("a", "imp"))]


def test_quantized_launch_at_fractional_tempo_lands_on_rounded_bar_frame() -> None:
    engine = _engine(tempo=133.33, layers=("a",), sample_rate=44100)
    engine.process(50001)
    _start(engine, "a", _impulse_clip(engine), quantize="1M")
    out = _run(engine, 60000)
    bar1 = engine.transport.frame_at(1)
    assert bar1 == 79382  # 79381.98… rounded
    assert list(np.flatnonzero(out[:, 0]) + 50001) == [bar1]
    assert (engine.events[0].frame, engine.events[0].bar) == (bar1, Fraction(1))


def test_launch_submitted_exactly_on_a_bar_line_starts_there() -> None:
    engine = _engine(layers=("a",))
    engine.process(96000)
    _start(engine, "a", _impulse_clip(engine), quantize="1M")
    out = _run(engine, 1000)
    assert out[0, 0] > 0
    assert engine.events[0].frame == 96000


def test_launch_submitted_exactly_on_a_rounded_bar_line_starts_there() -> None:
    engine = _engine(tempo=107.0, layers=("a",), sample_rate=44100)
    bar1 = engine.transport.frame_at(1)
    assert bar1 > engine.transport.samples_per_bar  # rounded up
    engine.process(bar1)
    _start(engine, "a", _impulse_clip(engine), quantize="1M")
    _run(engine, 1000)
    assert [e.frame for e in engine.events] == [bar1]


@pytest.mark.parametrize(
    ("quantize", "frame"), [("1/4", 48000), ("1/16", 30000 + 6000), ("2M", 192000),
                            ("none", 30001)],
)
def test_launch_quantize_choices(quantize: str, frame: int) -> None:
    engine = _engine()
    engine.process(30001)
    _start(engine, "a", _impulse_clip(engine), quantize=quantize)
    out = _run(engine, 200000)
    assert np.flatnonzero(out[:, 0])[0] + 30001 == frame
    assert engine.events[0].frame == frame


def test_engine_default_quantize_is_used() -> None:
    engine = Engine(SR, 120.0, "4/4", ["a"], quantize="1/2", master_gain_db=0.0, ceiling_db=0.0)
    engine.process(1000)
    _start(engine, "a", _impulse_clip(engine))
    _run(engine, 100000)
    assert engine.events[0].frame == 48000


def test_scene_launch_starts_clips_and_stops_others() -> None:
    engine = _engine(layers=("a", "b", "c"))
    fade = _fade(engine)
    # a: left-channel DC, later stopped; b: right-channel DC, started by the scene
    _start(engine, "a", _dc_clip(engine, 0.25, 0.0), at_bar=0)
    # Layers mapped to None stop; layers left out would play on.
    engine.submit(StartScene({"a": None, "b": _store(engine, _dc_clip(engine, 0.0, 0.25)),
                              "c": None}, scene="drop", at_bar=2))
    out = _run(engine, engine.transport.frame_at(3))
    bar2 = engine.transport.frame_at(2)
    assert bar2 == 192000
    left, right = out[:, 0].astype(np.float64), out[:, 1].astype(np.float64)
    # before bar 2: a plays (after its own fade-in), b is silent
    assert np.all(left[fade:bar2] == 0.25)
    assert not right[:bar2].any()
    # a stopped by the scene releases over the release fade, then is silent; b fades in
    # over the short crossfade
    release = round(DEFAULT_RELEASE_MS * SR / 1000)
    np.testing.assert_allclose(left[bar2:bar2 + release], 0.25 * release_curve(release)[:, 0],
                               rtol=1e-6, atol=1e-9)
    assert not left[bar2 + release:].any()
    assert np.all(right[bar2 + fade:] == 0.25)
    assert right[bar2] > 0
    events = [(e.frame, e.bar, e.kind, e.layer, e.scene) for e in engine.events]
    assert events == [
        (0, Fraction(0), "launch", "a", ""),
        (192000, Fraction(2), "stop", "a", ""),
        (192000, Fraction(2), "launch", "b", ""),
        (192000, Fraction(2), "scene", "", "drop"),
    ]
    assert engine.events[-1].as_dict() == {"frame": 192000, "bar": 2.0, "kind": "scene",
                                           "layer": "", "scene": "drop"}


def test_scene_launch_at_fractional_bar_starts_every_clip_on_that_frame() -> None:
    engine = _engine(tempo=107.0, layers=("a", "b"), sample_rate=44100)
    engine.process(12345)
    clip_a = _impulse_clip(engine, 1, 0.5)
    clip_b = LoopClip(clip_a.audio[:, ::-1].copy(), 1)  # the impulse on the right channel
    engine.submit(StartScene({"a": _store(engine, clip_a), "b": _store(engine, clip_b)},
                             scene="s", at_bar=2))
    out = _run(engine, engine.transport.frame_at(3) - 12345)
    bar2 = engine.transport.frame_at(2)
    assert bar2 == 197832  # 2 × 98915.887… rounded
    assert list(np.flatnonzero(out[:, 0]) + 12345) == [bar2]
    assert list(np.flatnonzero(out[:, 1]) + 12345) == [bar2]
    assert [(e.frame, e.bar, e.kind, e.layer) for e in engine.events] == [
        (bar2, Fraction(2), "launch", "a"), (bar2, Fraction(2), "launch", "b"),
        (bar2, Fraction(2), "scene", ""),
    ]


@pytest.mark.parametrize("bars", [1, 2])
def test_loop_launched_on_a_rounded_bar_stays_on_the_bar_grid(bars: int) -> None:
    engine = _engine(tempo=107.0, layers=("a",), sample_rate=44100)
    assert engine.transport.frame_at(1) != engine.transport.samples_per_bar
    _start(engine, "a", _impulse_clip(engine, bars=bars), at_bar=1)
    out = _run(engine, engine.transport.frame_at(21), (1001, 4099))
    expected = [engine.transport.frame_at(k) for k in range(1, 21, bars)]
    assert list(np.flatnonzero(out[:, 0])) == expected


def test_stop_releases_then_silence() -> None:
    engine = _engine()
    release = round(DEFAULT_RELEASE_MS * SR / 1000)
    _start(engine, "a", _dc_clip(engine, 0.5, 0.5), at_bar=0)
    engine.submit(StopChannel("a", at_bar=1))
    out = _run(engine, 2 * 96000)[:, 0]
    np.testing.assert_allclose(out[96000:96000 + release], 0.5 * release_curve(release)[:, 0],
                               rtol=1e-6, atol=1e-9)
    assert not out[96000 + release:].any()
    assert [e.kind for e in engine.events] == ["launch", "stop"]
    assert engine.events[1].frame == 96000
    # stopping a stopped layer logs nothing
    engine.submit(StopChannel("a", quantize="none"))
    _run(engine, 1000)
    assert len(engine.events) == 2


@pytest.mark.parametrize(("sample_rate", "tempo"), [(44100, 107.0), (44100, 133.33),
                                                    (48000, 120.0)])
def test_loop_repeats_exactly_on_bar_frames(sample_rate: int, tempo: float) -> None:
    engine = _engine(tempo=tempo, layers=("a",), sample_rate=sample_rate)
    _start(engine, "a", _impulse_clip(engine), at_bar=0)
    out = _run(engine, engine.transport.frame_at(50), (1001, 4099))
    expected = [engine.transport.frame_at(k) for k in range(50)]
    assert list(np.flatnonzero(out[:, 0])) == expected
    assert np.all(out[expected[1:], 0] == np.float32(0.5))


def test_loop_plays_clip_once_per_pass_when_bar_rounds_down() -> None:
    engine = _engine(tempo=130.0, layers=("a",), sample_rate=44100)
    assert engine.transport.samples_per_bar % 1 < Fraction(1, 2)
    _start(engine, "a", _impulse_clip(engine), at_bar=0)
    out = _run(engine, engine.transport.frame_at(50), (1001, 4099))
    expected = [engine.transport.frame_at(k) for k in range(50)]
    assert list(np.flatnonzero(out[:, 0])) == expected


def test_multi_bar_clip_loops_on_its_own_length() -> None:
    engine = _engine(tempo=107.0, layers=("a",), sample_rate=44100)
    _start(engine, "a", _impulse_clip(engine, bars=2), at_bar=0)
    out = _run(engine, engine.transport.frame_at(41), (777,))
    expected = [engine.transport.frame_at(k) for k in range(0, 41, 2)]
    assert list(np.flatnonzero(out[:, 0])) == expected


def test_relaunch_restarts_loop_at_new_bar() -> None:
    engine = _engine()
    clip = _impulse_clip(engine, bars=4)
    _start(engine, "a", clip, at_bar=0)
    _start(engine, "a", clip, at_bar=2)
    out = _run(engine, 7 * 96000)[:, 0]
    assert list(np.flatnonzero(out)) == [0, 192000, 576000]


def _steady(engine: Engine, frames: int = 2000) -> np.ndarray:
    """Run one block to let a gain ramp finish, then return the next steady block."""
    engine.process(512)
    return engine.process(frames)


def test_gain_mute_and_solo() -> None:
    engine = _engine()
    _start(engine, "a", _dc_clip(engine, 0.25, 0.25), at_bar=0)
    _start(engine, "b", _dc_clip(engine, 0.125, 0.125), at_bar=0)
    _run(engine, 1000)
    np.testing.assert_allclose(_steady(engine), 0.375, rtol=1e-6)
    engine.submit(SetChannel("a", gain_db=-6.0))
    np.testing.assert_allclose(_steady(engine), 0.25 * 10 ** (-6 / 20) + 0.125, rtol=1e-5)
    engine.submit(SetChannel("b", muted=True))
    np.testing.assert_allclose(_steady(engine), 0.25 * 10 ** (-6 / 20), rtol=1e-5)
    engine.submit(SetChannel("a", gain_db=0.0))
    engine.submit(SetChannel("b", muted=False, soloed=True))
    np.testing.assert_allclose(_steady(engine), 0.125, rtol=1e-6)
    engine.submit(SetChannel("a", soloed=True))
    np.testing.assert_allclose(_steady(engine), 0.375, rtol=1e-6)
    engine.submit(SetChannel("b", soloed=False, muted=True))
    np.testing.assert_allclose(_steady(engine), 0.25, rtol=1e-6)


def test_gain_changes_ramp_without_a_jump() -> None:
    engine = _engine(layers=("a",))
    _start(engine, "a", _dc_clip(engine, 0.5, 0.5), at_bar=0)
    _run(engine, 1000)
    engine.submit(SetChannel("a", muted=True))
    block = engine.process(256)[:, 0]
    assert block[0] == pytest.approx(0.5, rel=1e-6)
    assert block[-1] == pytest.approx(0.0, abs=1e-7)
    assert np.all(np.diff(block) <= 0)
    assert np.max(np.abs(np.diff(block))) < 0.5 / 200
    assert not engine.process(256).any()


def test_unknown_layers_are_ignored() -> None:
    engine = _engine(layers=("a",))
    _start(engine, "zzz", _impulse_clip(engine), at_bar=0)
    engine.submit(SetChannel("zzz", gain_db=-3))
    assert not _run(engine, 5000).any()
    assert list(engine.events) == []


def test_master_bus_gain_and_ceiling() -> None:
    engine = Engine(SR, 120.0, "4/4", ["a"], master_gain_db=-6.0, ceiling_db=-0.3)
    _start(engine, "a", _dc_clip(engine, 0.5, 0.5), at_bar=0)
    out = _run(engine, 10000)
    np.testing.assert_allclose(out[1000:, 0], 0.5 * 10 ** (-6 / 20), rtol=1e-5)
    loud = Engine(SR, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=-6.0)
    _start(loud, "a", _dc_clip(loud, 0.9, -0.9), at_bar=0)
    out = _run(loud, 20000)
    assert np.abs(out).max() <= 10 ** (-6 / 20) + 1e-6
    assert loud.master.limited_blocks >= 1


def test_process_into_given_buffer_and_large_blocks() -> None:
    engine = Engine(SR, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=0.0, max_block=1024)
    _start(engine, "a", _impulse_clip(engine), at_bar=1)
    buffer = np.ones((200000, 2), np.float32)
    result = engine.process(200000, buffer)
    assert result is buffer
    assert list(np.flatnonzero(buffer[:, 0])) == [96000, 192000]
    assert engine.frame == 200000


def test_clips_are_stored_started_by_id_and_forgotten() -> None:
    engine = _engine(layers=("a",))
    slot = SlotKey("a", "x")
    engine.submit(StoreClip(7, _impulse_clip(engine, slot=slot)))
    engine.submit(StartClip("a", 7, at_bar=1))
    engine.submit(ForgetClip(7))  # queued after the start, which keeps its clip
    out = _run(engine, 3 * 96000)
    assert list(np.flatnonzero(out[:, 0])) == [96000, 192000]
    assert [(e.kind, e.layer, e.slot) for e in engine.events] == [(EventKind.LAUNCH, "a", slot)]
    # A forgotten id starts nothing; the layer plays on.
    engine.submit(StartClip("a", 7, quantize="none"))
    out = _run(engine, 96000)
    assert len(engine.events) == 1 and list(np.flatnonzero(out[:, 0])) == [0]
    # Storing under a known id replaces the clip there.
    engine.submit(StoreClip(7, _impulse_clip(engine, value=0.25, slot=SlotKey("a", "y"))))
    engine.submit(StoreClip(7, _impulse_clip(engine, value=0.125, slot=SlotKey("a", "z"))))
    engine.submit(StartClip("a", 7, quantize="1M"))
    out = _run(engine, 2 * 96000)
    assert engine.events[-1].slot == SlotKey("a", "z")
    assert out[96000, 0] == pytest.approx(0.125, rel=1e-6)


def test_change_quantize_takes_effect_in_queue_order() -> None:
    engine = _engine()
    engine.process(1000)
    _start(engine, "a", _impulse_clip(engine))  # queued before the change: the next bar
    engine.submit(ChangeQuantize("1/4"))
    assert engine.quantize == "1M"  # nothing changes until the engine takes its queue
    _start(engine, "b", _impulse_clip(engine))  # after it: the next beat
    _run(engine, 100_000)
    assert engine.quantize == "1/4"
    assert [(e.layer, e.frame) for e in engine.events] == [("b", 24000), ("a", 96000)]


def test_events_are_typed_and_json_friendly() -> None:
    engine = _engine(layers=("a",))
    slot = SlotKey("a", "x")
    _start(engine, "a", _impulse_clip(engine, slot=slot), at_bar=0)
    engine.submit(ChangeTempo(150.0, at_bar=1))
    end = 96000 + 2 * 76800 - 480  # bar 2 (76800 frames at 150 BPM) 10 ms short
    engine.submit(Realign(2, end))
    _run(engine, 50_000)
    swap = _store(engine, _impulse_clip(engine, value=0.25, slot=slot))  # a re-render
    engine.submit(SwapClip("a", swap, replaces=slot))
    engine.submit(SwapClip("a", swap, replaces=SlotKey("a", "other")))  # not playing: ignored
    engine.submit(StartScene({"a": None}, scene="end", at_bar=3))
    _run(engine, end + 1000 - engine.frame)
    assert list(engine.events) == [
        EngineEvent(0, Fraction(0), EventKind.LAUNCH, "a", slot),
        EngineEvent(96000, Fraction(1), EventKind.TEMPO, tempo=150.0),
        EngineEvent(96000, Fraction(1), EventKind.SWAP, "a", slot),
        EngineEvent(172800, Fraction(2), EventKind.REALIGN, end=end),
        EngineEvent(end, Fraction(3), EventKind.STOP, "a"),
        EngineEvent(end, Fraction(3), EventKind.SCENE, scene="end"),
    ]
    dicts = [e.as_dict() for e in engine.events]
    assert dicts[0] == {"frame": 0, "bar": 0.0, "kind": "launch", "layer": "a", "slot": "a@x"}
    assert dicts[1] == {"frame": 96000, "bar": 1.0, "kind": "tempo", "layer": "",
                        "tempo": 150.0}
    assert dicts[3] == {"frame": 172800, "bar": 2.0, "kind": "realign", "layer": "",
                        "end": end}
    assert dicts[4] == {"frame": end, "bar": 3.0, "kind": "stop", "layer": "a"}
    assert json.loads(json.dumps(dicts)) == dicts
