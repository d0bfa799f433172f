"""Loudness normalisation, the true-peak limiter and QA figures (livetimbre.mastering)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from livetimbre.mastering import master
from livetimbre.mastering.limiter import limit
from livetimbre.mastering.meters import db, integrated_lufs, sample_peak_db, true_peak_db
from livetimbre.mastering.qa import clip_report, track_report

SR = 48000


def _noise_and_tone(seconds: float = 4.0, noise: float = 0.05, tone: float = 0.3,
                    seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(SR * seconds)) / SR
    sig = noise * rng.standard_normal((t.size, 2)) + tone * np.sin(2 * np.pi * 440 * t)[:, None]
    return sig.astype(np.float32)


@pytest.mark.parametrize(
    ("target", "noise", "tone"),
    [(-14.0, 0.05, 0.3), (-9.0, 0.2, 0.05), (-20.0, 0.3, 0.3), (-8.0, 0.02, 0.002)],
)
def test_master_reaches_target_under_ceiling(target: float, noise: float, tone: float) -> None:
    audio = _noise_and_tone(noise=noise, tone=tone)
    result = master(audio, SR, target)
    assert result.audio.shape == audio.shape
    assert result.audio.dtype == np.float32
    assert abs(integrated_lufs(result.audio, SR) - target) <= 0.5
    assert abs(result.lufs - target) <= 0.5
    assert true_peak_db(result.audio) <= -1.0
    assert result.true_peak_db <= -1.0
    assert result.input_lufs == pytest.approx(integrated_lufs(audio, SR))


def test_master_limits_loud_peaks() -> None:
    audio = _noise_and_tone(noise=0.2, tone=0.05)
    result = master(audio, SR, -8.0)
    assert result.max_reduction_db > 0.5  # noise this loud has to be limited
    assert true_peak_db(result.audio) <= -1.0


def test_master_passes_silence_through() -> None:
    silence = np.zeros((SR * 2, 2), np.float32)
    result = master(silence, SR)
    assert not result.audio.any()
    assert result.lufs == float("-inf") and result.gain_db == 0.0


@pytest.mark.parametrize("ceiling_db", [-1.0, -3.0, -6.0])
def test_limit_never_exceeds_ceiling(ceiling_db: float) -> None:
    rng = np.random.default_rng(3)
    loud = (3 * rng.uniform(-1, 1, (SR, 2))).astype(np.float32)
    loud[1000] = [8.0, -8.0]  # an isolated spike
    out, reduction = limit(loud, SR, ceiling_db)
    ceiling = 10 ** (ceiling_db / 20)
    assert out.shape == loud.shape
    assert true_peak_db(out) <= ceiling_db + 1e-3
    assert np.abs(out).max() <= ceiling * (1 + 1e-6)
    assert reduction == pytest.approx(-20 * math.log10(ceiling / 8.0), abs=3.0)
    sample_out, _ = limit(loud, SR, ceiling_db, true_peak=False)
    assert np.abs(sample_out).max() <= ceiling * (1 + 1e-6)


def test_limit_leaves_quiet_audio_alone() -> None:
    quiet = _noise_and_tone(seconds=1.0, noise=0.01, tone=0.1)
    out, reduction = limit(quiet, SR, -1.0)
    assert reduction == 0.0
    np.testing.assert_array_equal(out, quiet)


def test_limit_only_touches_the_neighbourhood_of_a_peak() -> None:
    t = np.arange(SR * 2) / SR
    audio = (0.1 * np.sin(2 * np.pi * 220 * t)[:, None] * np.ones((1, 2))).astype(np.float32)
    audio[SR] = [1.5, 1.5]
    out, _ = limit(audio, SR, -1.0)
    window = int(0.2 * SR)  # look-ahead 5 ms + hold 40 ms, with margin
    np.testing.assert_array_equal(out[: SR - window], audio[: SR - window])
    np.testing.assert_array_equal(out[SR + window:], audio[SR + window:])


def test_meters() -> None:
    assert db(1.0) == 0.0 and db(0.0) == float("-inf")
    assert db(0.5) == pytest.approx(-6.0206, abs=1e-4)
    t = np.arange(SR * 3) / SR
    sine = (0.5 * np.sin(2 * np.pi * 997 * t)[:, None] * np.ones((1, 2))).astype(np.float32)
    assert sample_peak_db(sine) == pytest.approx(-6.02, abs=0.01)
    assert true_peak_db(sine) == pytest.approx(-6.02, abs=0.05)
    # BS.1770: a 997 Hz sine at 0 dBFS peak in one channel is -3 LUFS; two channels add 3 dB
    assert integrated_lufs(sine, SR) == pytest.approx(-6.0, abs=0.3)
    assert integrated_lufs(sine[: SR // 4], SR) == float("-inf")  # under 0.4 s


def test_true_peak_sees_inter_sample_peaks() -> None:
    # a quarter-sample-rate sine sampled at ±45°: samples at 0.707, true peak 1.0
    n = np.arange(SR)
    wave = np.sin(2 * np.pi * n / 4 + np.pi / 4).astype(np.float32)
    audio = np.stack([wave, wave], axis=1)
    assert sample_peak_db(audio) == pytest.approx(-3.01, abs=0.01)
    assert true_peak_db(audio) > -0.5


def test_clip_report_flags_silence_and_seams() -> None:
    silent = clip_report(np.zeros((1000, 2), np.float32))
    assert silent["silent"] is True
    quiet = clip_report(np.full((1000, 2), 1e-4, np.float32))  # -80 dBFS
    assert quiet["silent"] is True
    tone = _noise_and_tone(seconds=1.0, noise=0.0, tone=0.5)
    report = clip_report(tone)
    assert report["silent"] is False
    assert report["peak_dbfs"] == pytest.approx(-6.02, abs=0.01)
    assert report["rms_dbfs"] == pytest.approx(-9.03, abs=0.02)
    assert report["seam_ok"] is True  # 440 Hz fits a second exactly
    ramp = np.repeat(np.linspace(0.0, 0.5, 1000, dtype=np.float32)[:, None], 2, axis=1)
    report = clip_report(ramp)  # tiny steps inside, a 0.5 jump when it wraps
    assert report["seam_jump"] == pytest.approx(0.5)
    assert report["max_step"] == pytest.approx(0.5 / 999, abs=1e-5)
    assert report["seam_ok"] is False


def test_track_report_dc_offset() -> None:
    audio = _noise_and_tone(seconds=2.0)
    assert track_report(audio, SR)["dc_offset"] < 0.002
    shifted = audio + np.array([0.1, -0.25], np.float32)
    report = track_report(shifted, SR)
    assert report["dc_offset"] == pytest.approx(0.25, abs=0.002)
    assert report["duration_s"] == 2.0
    assert report["sample_peak_dbfs"] == pytest.approx(sample_peak_db(shifted), abs=0.01)


def _full_envelope(audio: np.ndarray) -> np.ndarray:
    """The true-peak envelope as resample_poly gives it, over the whole signal."""
    from scipy.signal import resample_poly

    envelope = np.zeros(audio.shape[0], np.float32)
    for channel in range(audio.shape[1]):
        up = np.abs(resample_poly(np.ascontiguousarray(audio[:, channel]), 4, 1))
        for phase in range(4):
            np.maximum(envelope, up[phase::4][:audio.shape[0]], out=envelope)
        np.maximum(envelope, np.abs(audio[:, channel]), out=envelope)
    return envelope


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_true_peak_envelope_is_exact_wherever_it_can_reach_the_floor(seed: int) -> None:
    """Oversampling only near loud samples changes no value that matters: where the full
    envelope reaches the floor the values are identical, elsewhere they stay under it."""
    from livetimbre.mastering.meters import true_peak_envelope

    rng = np.random.default_rng(seed)
    rate = 48000
    audio = (rng.standard_normal((3 * rate, 2)) * 0.05).astype(np.float32)
    for at in rng.integers(0, audio.shape[0] - 64, 12):  # bursts, some near each other
        audio[at:at + 64] *= np.float32(rng.uniform(4, 18))
    audio[:5] = np.float32(0.9)  # at the very start, and a sign flip (an inter-sample peak)
    audio[-3:] = np.float32([0.8, -0.8, 0.8])[:, None]
    full = _full_envelope(audio)
    for floor in (0.05, 0.2, 0.5, float(np.abs(audio).max())):
        part = true_peak_envelope(audio, floor=floor)
        loud = full >= floor
        assert np.array_equal(part[loud], full[loud])
        assert (part[~loud] < floor).all()
    assert true_peak_db(audio) == db(float(full.max()))


@pytest.mark.parametrize(("seconds", "quiet"), [(0.41, 1.0), (3.0, 1e-3), (7.0, 0.01)])
def test_integrated_lufs_agrees_with_pyloudnorm(seconds: float, quiet: float) -> None:
    import pyloudnorm

    rng = np.random.default_rng(5)
    rate = 44100
    audio = (rng.standard_normal((int(seconds * rate), 2)) * 0.2).astype(np.float32)
    audio[: audio.shape[0] // 3] *= np.float32(quiet)  # gated-out blocks
    expected = pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float64))
    assert integrated_lufs(audio, rate) == pytest.approx(expected, abs=1e-9)
    assert integrated_lufs(np.zeros((rate, 2), np.float32), rate) == float("-inf")


@pytest.mark.parametrize("seed", [4, 5])
def test_true_peak_of_a_limited_signal_from_its_changes_only(seed: int) -> None:
    from livetimbre.mastering.meters import true_peak_db_near, true_peak_envelope

    rng = np.random.default_rng(seed)
    rate = 48000
    audio = (rng.standard_normal((2 * rate, 2)) * 0.1).astype(np.float32)
    audio[:: rate // 7] *= np.float32(9.0)
    for floor_db in (-1.6, -6.0, -30.0):
        floor = 10 ** (floor_db / 20)
        envelope = true_peak_envelope(audio, floor=floor)
        limited, _ = limit(audio, rate, -1.1, peaks=envelope)
        assert np.array_equal(limited, limit(audio, rate, -1.1)[0])
        assert true_peak_db_near(limited, audio, envelope, floor) == true_peak_db(limited)
    quiet = audio * np.float32(0.01)  # nothing to limit, peak under the floor: measured whole
    envelope = true_peak_envelope(quiet, floor=0.5)
    assert true_peak_db_near(quiet, quiet, envelope, 0.5) == true_peak_db(quiet)
