"""The mixing desk's processors and the section grid: EQ bands give their gain where they
should, the compressor turns loud passages down more than quiet ones, a processed loop
still joins seamlessly, and tiled loops start every pass on its bar line."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import sosfreqz

from livetimbre.genres import GenreRegistry
from livetimbre.planner.longform import plan_track
from livetimbre.track.dsp import Band, Compressor, apply_eq, compress, cyclic, eq_sos
from livetimbre.track.sections import bar_frame, tile

RATE = 48000


@pytest.mark.parametrize(("band", "hz", "gain_db"), [
    (Band(kind="peak", hz=1000, gain_db=6, q=1), 1000, 6.0),
    (Band(kind="peak", hz=1000, gain_db=-4, q=1), 1000, -4.0),
    (Band(kind="peak", hz=1000, gain_db=6, q=1), 100, 0.0),
    (Band(kind="lowshelf", hz=200, gain_db=5), 30, 5.0),
    (Band(kind="lowshelf", hz=200, gain_db=5), 5000, 0.0),
    (Band(kind="highshelf", hz=4000, gain_db=-3), 16000, -3.0),
    (Band(kind="highshelf", hz=4000, gain_db=-3), 300, 0.0),
    (Band(kind="highpass", hz=100), 20, -28.0),
])
def test_eq_bands(band: Band, hz: float, gain_db: float) -> None:
    sos = eq_sos([band], RATE)
    assert sos is not None
    _w, h = sosfreqz(sos, worN=[hz], fs=RATE)
    assert abs(20 * np.log10(abs(h[0])) - gain_db) < 0.6


def test_compressor_turns_loud_passages_down() -> None:
    t = np.arange(RATE) / RATE
    tone = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    audio = np.stack([tone, tone], axis=1) * np.where(t < 0.5, 0.02, 0.8)[:, None]
    out, reduction = compress(audio.astype(np.float32), RATE,
                              Compressor(threshold_db=-20, ratio=4, knee_db=0))
    quiet = np.abs(out[1000:20000]).max() / np.abs(audio[1000:20000]).max()
    loud = np.abs(out[30000:46000]).max() / np.abs(audio[30000:46000]).max()
    assert quiet == pytest.approx(1.0, abs=0.02)
    assert 20 * np.log10(loud) < -8 and reduction > 8


def test_a_processed_loop_still_joins() -> None:
    rng = np.random.default_rng(1)
    loop = rng.standard_normal((RATE, 2)).astype(np.float32) * 0.1
    sos = eq_sos([Band(kind="highpass", hz=200), Band(kind="peak", hz=2000, gain_db=6)], RATE)
    once = cyclic(lambda x: apply_eq(x, sos), loop, RATE // 2)
    twice = apply_eq(np.concatenate([loop] * 4), sos)
    # in steady state, a pass of the long run equals the processed loop
    assert np.allclose(twice[2 * RATE:3 * RATE], once, atol=1e-4)


def test_tiled_passes_start_on_bar_lines(genres: GenreRegistry) -> None:
    plan = plan_track("synthwave", genres, seed=1)  # 104 BPM: a bar is no whole frame count
    loop = np.zeros((bar_frame(2, RATE, plan) + 1, 2), np.float32)
    loop[0] = 1.0  # a click on the loop's first frame
    start, end = bar_frame(8, RATE, plan), bar_frame(16, RATE, plan)
    audio = tile(loop, 2, 8, start - 100, end, RATE, plan)
    clicks = np.flatnonzero(audio[:, 0]) + start - 100
    assert list(clicks) == [bar_frame(b, RATE, plan) for b in range(8, 16, 2)]


@pytest.mark.parametrize(("frames", "taps"), [(0, 10), (5, 7), (1000, 50), (300_000, 100_000)])
def test_convolve_matches_direct_convolution(frames: int, taps: int) -> None:
    from scipy.signal import oaconvolve

    from livetimbre.track.dsp import convolve

    rng = np.random.default_rng(frames + taps)
    audio = (rng.standard_normal((frames, 2)) * 0.1).astype(np.float32)
    ir = (rng.standard_normal((taps, 2)) * 0.01).astype(np.float32)
    out = convolve(audio, ir)
    assert out.shape == (frames + taps - 1, 2) and out.dtype == np.float32
    if frames:
        for channel in range(2):
            expected = oaconvolve(audio[:, channel].astype(np.float64), ir[:, channel])
            assert np.abs(out[:, channel] - expected).max() < 1e-5
