"""Stops release, never cut: the engine rendered block by block (frame counts, no wall
clock), its output compared with the clip's own continuation."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from livetimbre.engine.commands import SetRelease, StartClip, StartScene, StopChannel, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.mixer import LoopClip, release_curve
from livetimbre.music.values import DEFAULT_RELEASE_MS

SR = 48000
BAR = 96000  # 4/4 at 120 BPM
STEP_LIMIT = 10 ** (-60 / 20)  # −60 dBFS
BLOCKS = (256, 100, 999, 64)


def _engine(sample_rate: int = SR) -> Engine:
    # unity master gain and a 0 dBFS ceiling: the output is the layer exactly
    return Engine(sample_rate, 120.0, "4/4", ["a"], master_gain_db=0.0, ceiling_db=0.0)


def _run(engine: Engine, frames: int) -> np.ndarray:
    out = np.zeros((frames, 2), np.float32)
    position = 0
    for block in itertools.cycle(BLOCKS):
        if position >= frames:
            break
        n = min(block, frames - position)
        engine.process(n, out[position:position + n])
        engine.drop_retired()
        position += n
    return out


def _sine_clip(engine: Engine, hz: float, level: float, bars: int = 1) -> LoopClip:
    frames = engine.transport.clip_frames(bars)
    t = np.arange(frames) / engine.sample_rate
    wave = (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return LoopClip(np.stack([wave, wave], axis=1), bars)


def _play(clip: LoopClip, frames: int, stop: StopChannel | None = None,
          release_ms: float | None = None, sample_rate: int = SR) -> np.ndarray:
    engine = _engine(sample_rate)
    if release_ms is not None:
        engine.submit(SetRelease("a", release_ms))
    engine.submit(StoreClip(1, clip))
    engine.submit(StartClip("a", 1, at_bar=0))
    if stop is not None:
        engine.submit(stop)
    return _run(engine, frames)[:, 0].astype(np.float64)


def _added_steps(stopped: np.ndarray, continued: np.ndarray) -> np.ndarray:
    """How much larger each sample-to-sample step is with the stop than without it."""
    return np.abs(np.diff(stopped)) - np.abs(np.diff(continued))


@pytest.mark.parametrize("sample_rate", [44100, 48000])
def test_a_full_scale_stop_steps_less_than_minus_60_dbfs(sample_rate: int) -> None:
    """A constant full-scale clip has no steps of its own: every step is the stop's."""
    engine = _engine(sample_rate)
    frames = engine.transport.clip_frames(1)
    clip = LoopClip(np.full((frames, 2), 0.999, np.float32), 1)
    bar1 = engine.transport.frame_at(1)
    out = _play(clip, 2 * frames, StopChannel("a", at_bar=1), sample_rate=sample_rate)
    fade_in = round(0.003 * sample_rate)
    steps = np.abs(np.diff(out[fade_in:]))
    assert steps.max() <= STEP_LIMIT, 20 * math.log10(steps.max())
    release = round(DEFAULT_RELEASE_MS * sample_rate / 1000)
    assert out[bar1 - 1] == pytest.approx(0.999)
    assert out[bar1 + release - 2] > 0 and not out[bar1 + release - 1:].any()


@pytest.mark.parametrize(("hz", "level"), [(41.2, 0.95), (110.0, 0.5), (880.0, 0.3)])
def test_a_stop_adds_no_step_over_minus_60_dbfs_to_the_clips_own(hz: float, level: float
                                                                  ) -> None:
    clip = _sine_clip(_engine(), hz, level)
    continued = _play(clip, 2 * BAR)
    stopped = _play(clip, 2 * BAR, StopChannel("a", at_bar=Fraction(3, 2)))
    stop = BAR + BAR // 2
    np.testing.assert_array_equal(stopped[:stop], continued[:stop])
    assert _added_steps(stopped, continued).max() <= STEP_LIMIT
    assert not stopped[stop + round(DEFAULT_RELEASE_MS * SR / 1000):].any()


def test_a_hard_cut_would_fail_the_same_measure() -> None:
    """The measure can fail: a clip ending in a cut adds the sine's level as a step."""
    clip = _sine_clip(_engine(), 110.0, 0.5)
    continued = _play(clip, BAR)
    cut = continued.copy()
    cut[BAR // 2 + 50:] = 0.0
    assert _added_steps(cut, continued).max() > 100 * STEP_LIMIT


@pytest.mark.parametrize("release_ms", [5.0, 250.0, 1200.0])
def test_the_release_lasts_what_the_layer_is_set_to(release_ms: float) -> None:
    engine = _engine()
    clip = LoopClip(np.full((engine.transport.clip_frames(1), 2), 0.5, np.float32), 1)
    out = _play(clip, 2 * BAR, StopChannel("a", at_bar=1), release_ms=release_ms)
    frames = round(release_ms * SR / 1000)
    np.testing.assert_allclose(out[BAR:BAR + frames], 0.5 * release_curve(frames)[:, 0],
                               rtol=1e-6, atol=1e-9)
    assert out[BAR + frames - 2] > 0 and not out[BAR + frames - 1:].any()


def test_a_scene_that_leaves_a_layer_out_releases_it() -> None:
    engine = _engine()
    clip = _sine_clip(engine, 55.0, 0.9)
    continued = _play(clip, 2 * BAR)
    engine.submit(SetRelease("a", 100))
    engine.submit(StoreClip(1, clip))
    engine.submit(StartClip("a", 1, at_bar=0))
    engine.submit(StartScene({"a": None}, scene="quiet", at_bar=1))
    stopped = _run(engine, 2 * BAR)[:, 0].astype(np.float64)
    assert _added_steps(stopped, continued).max() <= STEP_LIMIT
    assert stopped[BAR + 4700] != 0 and not stopped[BAR + 4800:].any()  # 100 ms = 4800


def test_panic_stops_at_once_over_the_short_fade() -> None:
    engine = _engine()
    clip = LoopClip(np.full((engine.transport.clip_frames(1), 2), 0.5, np.float32), 1)
    engine.submit(StoreClip(1, clip))
    engine.submit(StartClip("a", 1, at_bar=0))
    out = _run(engine, 30000)
    engine.submit(StopChannel("a", quantize="none", panic=True))
    after = _run(engine, 1000)[:, 0]
    assert out[-1, 0] == 0.5
    assert after[0] > 0 and not after[144:].any()  # 3 ms at 48 kHz


def test_a_stop_on_the_end_of_a_loop_pass_plays_the_clips_tail() -> None:
    engine = _engine()
    frames = engine.transport.clip_frames(1)
    tail = np.linspace(0.25, 0.0, 3000, dtype=np.float32)[:, None].repeat(2, axis=1)
    clip = LoopClip(np.full((frames, 2), 0.25, np.float32), 1, tail=tail)
    out = _play(clip, 3 * BAR, StopChannel("a", at_bar=2))
    np.testing.assert_array_equal(out[2 * BAR:2 * BAR + 3000], tail[:, 0])
    assert not out[2 * BAR + 3000:].any()
    # mid-pass, the same clip releases instead
    mid = _play(clip, 3 * BAR, StopChannel("a", at_bar=Fraction(5, 2)))
    release = round(DEFAULT_RELEASE_MS * SR / 1000)
    np.testing.assert_allclose(mid[5 * BAR // 2:5 * BAR // 2 + release],
                               0.25 * release_curve(release)[:, 0], rtol=1e-6, atol=1e-9)


def test_a_release_set_while_playing_applies_to_the_next_stop_and_retires_the_old_curve(
) -> None:
    engine = _engine()
    clip = LoopClip(np.full((engine.transport.clip_frames(1), 2), 0.5, np.float32), 1)
    engine.submit(StoreClip(1, clip))
    engine.submit(StartClip("a", 1, at_bar=0))
    _run(engine, 1000)
    engine.submit(SetRelease("a", 10))
    engine.submit(StopChannel("a", at_bar=1))
    out = _run(engine, BAR)[:, 0]
    assert engine.channels["a"].release_frames == 480
    assert out[BAR - 1000 + 478] > 0 and not out[BAR - 1000 + 479:].any()
