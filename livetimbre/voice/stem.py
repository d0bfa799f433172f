"""The vocal stem, mixed as a singer's channel is: a high-pass for rumble and
breath pops, a de-esser, a 3:1 compressor, and a reverb send with a tempo-timed
pre-delay. Offline, whole-buffer, deterministic; nothing in it ducks the voice.

The processors are small numpy/scipy designs of their own: the mixing desk's in
`track.dsp` sit in a layer above this one.
"""

from __future__ import annotations

__all__ = ["STEM_PEAK", "mix_vocal_stem"]

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import butter, oaconvolve, sosfilt

from livetimbre.errors import ValueProblem
from livetimbre.voice.score import VoiceType
from livetimbre.voice.singing.voices import VOICE_STYLES

STEM_PEAK = 0.891  # −1 dBFS: the stem's loudest sample, at most
_SIBILANCE_HZ = (4500.0, 9000.0)
_DEESS_OVER_DB = -12.0  # sibilance band louder than this against the whole: compressed
_DEESS_RATIO = 5.0
_THRESHOLD_DB = -24.0
_RATIO = 3.0
_ATTACK_S = 0.005
_RELEASE_S = 0.1
_MAKEUP_DB = 4.0
_REVERB_S = 1.6
_SEND_DB = -13.0
_REVERB_SEED = 7


def _envelope_db(x: np.ndarray, rate: int) -> np.ndarray:
    """RMS level (dB) over the attack time, held for the release time."""
    attack = max(1, round(_ATTACK_S * rate))
    release = max(1, round(_RELEASE_S * rate))
    level = 10 * np.log10(uniform_filter1d(x * x, attack) + 1e-12)
    held = maximum_filter1d(level, release, origin=-(release // 2))
    return np.asarray(uniform_filter1d(held, attack))


def _deess(x: np.ndarray, rate: int) -> np.ndarray:
    """Turn the sibilance band down where it stands out from the whole voice."""
    high = min(_SIBILANCE_HZ[1], 0.45 * rate)
    sos = butter(2, (_SIBILANCE_HZ[0], high), "bandpass", fs=rate, output="sos")
    band = sosfilt(sos, x)
    over = _envelope_db(band, rate) - _envelope_db(x, rate) - _DEESS_OVER_DB
    cut = np.maximum(over, 0.0) * (1 - 1 / _DEESS_RATIO)
    return np.asarray(x - band * (1 - 10 ** (-cut / 20)))


def _compress(x: np.ndarray, rate: int) -> np.ndarray:
    over = _envelope_db(x, rate) - _THRESHOLD_DB
    cut = np.maximum(over, 0.0) * (1 - 1 / _RATIO)
    return np.asarray(x * 10 ** ((_MAKEUP_DB - cut) / 20))


def _reverb(x: np.ndarray, rate: int, tempo: float) -> np.ndarray:
    """A stereo return: a 1/32-note pre-delay (15–80 ms), then two decorrelated,
    darkening noise decays (−60 dB at `_REVERB_S`), cut to the input's length."""
    rng = np.random.default_rng(_REVERB_SEED)
    pre = round(float(np.clip(60.0 / tempo / 8, 0.015, 0.08)) * rate)
    t = np.arange(round(_REVERB_S * rate)) / rate
    tail = rng.standard_normal((t.size, 2)) * np.exp(-6.91 * t / _REVERB_S)[:, None]
    dark = butter(1, min(5000.0, 0.45 * rate), "lowpass", fs=rate, output="sos")
    tail = 0.5 * tail + 0.5 * sosfilt(dark, tail, axis=0)
    tail /= np.sqrt(np.sum(tail**2, axis=0, keepdims=True))
    ir = np.concatenate([np.zeros((pre, 2)), tail])
    return np.asarray(oaconvolve(x[:, None], ir, axes=0)[: x.size])


def mix_vocal_stem(voice: np.ndarray, *, sample_rate: int, tempo: float,
                   voice_type: VoiceType | None = None) -> np.ndarray:
    """`voice` (mono) mixed to a stereo float32 stem of the same length: high-pass
    (90–120 Hz by `voice_type`, 100 Hz when not given), de-esser, 3:1 compressor,
    reverb send; its peak at most `STEM_PEAK`."""
    x = np.asarray(voice, np.float64).reshape(-1)
    if not 8000 <= sample_rate <= 192000:
        raise ValueProblem(f"sample rate {sample_rate} Hz is outside 8000–192000 "
                           "(vocal stem)")
    if not (np.isfinite(tempo) and 20 <= tempo <= 400):
        raise ValueProblem(f"tempo {tempo} BPM is outside 20–400 (vocal stem)")
    if not np.all(np.isfinite(x)):
        raise ValueProblem("the voice to mix has samples that are not finite numbers")
    if x.size == 0:
        return np.zeros((0, 2), np.float32)
    corner = VOICE_STYLES[voice_type].highpass_hz if voice_type else 100.0
    x = sosfilt(butter(4, corner, "highpass", fs=sample_rate, output="sos"), x)
    x = _compress(_deess(x, sample_rate), sample_rate)
    wet = _reverb(x, sample_rate, tempo) * 10 ** (_SEND_DB / 20)
    out = x[:, None] + wet
    peak = float(np.abs(out).max())
    if peak > STEM_PEAK:
        out *= STEM_PEAK / peak
    return out.astype(np.float32)
