"""Measurements: integrated loudness (ITU-R BS.1770 via pyloudnorm) and true peak."""

from __future__ import annotations

__all__ = ["db", "integrated_lufs", "sample_peak_db", "true_peak_db", "true_peak_envelope"]

import math

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

OVERSAMPLE = 4


def db(linear: float) -> float:
    """Linear amplitude → dB (−inf for silence)."""
    return 20 * math.log10(linear) if linear > 0 else float("-inf")


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS; −inf for silence or audio under 0.4 s."""
    if audio.shape[0] < int(0.4 * sample_rate):
        return float("-inf")
    value = float(pyloudnorm.Meter(sample_rate).integrated_loudness(audio.astype(np.float64)))
    return value if math.isfinite(value) else float("-inf")


def true_peak_envelope(audio: np.ndarray) -> np.ndarray:
    """Per original sample, the largest |value| of the 4× oversampled signal near it."""
    frames = audio.shape[0]
    envelope = np.zeros(frames, np.float32)
    for channel in range(audio.shape[1]):
        signal = np.ascontiguousarray(audio[:, channel], dtype=np.float32)
        upsampled = resample_poly(signal, OVERSAMPLE, 1)
        np.abs(upsampled, out=upsampled)
        for phase in range(OVERSAMPLE):  # strided maxima: much faster than max(axis=1)
            np.maximum(envelope, upsampled[phase::OVERSAMPLE][:frames], out=envelope)
        np.maximum(envelope, np.abs(audio[:, channel]), out=envelope)
    return envelope


def true_peak_db(audio: np.ndarray) -> float:
    """True peak in dBTP (4× oversampled, as BS.1770 Annex 2 suggests)."""
    if audio.size == 0:
        return float("-inf")
    return db(float(true_peak_envelope(audio).max()))


def sample_peak_db(audio: np.ndarray) -> float:
    return db(float(np.abs(audio).max())) if audio.size else float("-inf")
