"""Measuring audio: spectral figures (centroid, roll-off, RMS), a tempo estimate (onset
autocorrelation), a key estimate (chroma against Krumhansl-Kessler profiles), loudness
over time (momentary 400 ms and short-term 3 s LUFS, ITU-R BS.1770 K-weighting) and how
much of a set of notes lies in a key."""

from __future__ import annotations

__all__ = ["estimate_key", "estimate_tempo", "loudness_curve", "notes_in_key", "spectral"]

import math
from collections.abc import Iterable

import numpy as np
from scipy.signal import sosfilt, stft

from livetimbre.music.notes import Part
from livetimbre.music.theory import parse_key

_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
_NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def _mono(audio: np.ndarray) -> np.ndarray:
    return np.asarray(audio.mean(axis=1) if audio.ndim == 2 else audio, np.float32)


def _spectrogram(audio: np.ndarray, rate: int, size: int = 4096, hop: int = 2048
                 ) -> tuple[np.ndarray, np.ndarray]:
    freqs, _times, spec = stft(_mono(audio), fs=rate, nperseg=size, noverlap=size - hop,
                               boundary=None, padded=False)
    return freqs, np.abs(spec)


def spectral(audio: np.ndarray, rate: int) -> dict[str, float]:
    """Mean spectral centroid and 85 % roll-off (Hz) and RMS (dBFS)."""
    freqs, mag = _spectrogram(audio, rate)
    power = mag**2
    total = power.sum(axis=0) + 1e-12
    centroid = float(np.mean((freqs[:, None] * power).sum(axis=0) / total))
    cumulative = np.cumsum(power, axis=0) / total
    rolloff = float(np.mean(freqs[np.argmax(cumulative >= 0.85, axis=0)]))
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    return {"centroid_hz": round(centroid, 1), "rolloff_hz": round(rolloff, 1),
            "rms_dbfs": round(20 * math.log10(rms), 2) if rms > 0 else -200.0}


def estimate_tempo(audio: np.ndarray, rate: int, low: float = 60.0, high: float = 200.0
                   ) -> float:
    """The tempo (BPM) whose beat period best explains the onset envelope."""
    hop = 512
    _f, mag = _spectrogram(audio, rate, 1024, hop)
    flux = np.maximum(0.0, np.diff(np.log1p(100 * mag), axis=1)).sum(axis=0)
    flux -= flux.mean()
    if flux.size < 16 or not flux.any():
        return 0.0
    spectrum = np.fft.rfft(flux, 2 * flux.size)
    corr = np.fft.irfft(spectrum * np.conj(spectrum))[:flux.size]
    frame_rate = rate / hop
    lags = np.arange(int(frame_rate * 60 / high), int(frame_rate * 60 / low) + 1)
    lags = lags[lags < corr.size]
    if lags.size == 0:
        return 0.0
    best = lags[int(np.argmax(corr[lags]))]
    # parabolic interpolation around the peak for a finer period
    if 0 < best < corr.size - 1:
        a, b, c = corr[best - 1], corr[best], corr[best + 1]
        shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
    else:
        shift = 0.0
    return round(float(60 * frame_rate / (best + shift)), 2)


def _chroma(audio: np.ndarray, rate: int) -> np.ndarray:
    freqs, mag = _spectrogram(audio, rate, 8192, 4096)
    keep = (freqs > 55) & (freqs < 4000)
    pitch = np.round(12 * np.log2(freqs[keep] / 440.0) + 69).astype(int) % 12
    energy = (mag[keep] ** 2).sum(axis=1)
    chroma = np.bincount(pitch, weights=energy, minlength=12)
    return np.asarray(chroma / (chroma.sum() + 1e-12))


def estimate_key(audio: np.ndarray, rate: int) -> tuple[str, float]:
    """(key name, correlation) of the chroma's best major/minor profile."""
    chroma = _chroma(audio, rate)
    best = ("C major", -2.0)
    for tonic in range(12):
        for mode, profile in (("major", _MAJOR), ("minor", _MINOR)):
            r = float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1])
            if r > best[1]:
                best = (f"{_NAMES[tonic]} {mode}", r)
    return best[0], round(best[1], 3)


def notes_in_key(parts: Iterable[Part], key: str) -> float:
    """The share of note time (pitched parts) on the key's scale; 1.0 with no notes."""
    scale = set(parse_key(key).scale_pitches(0, 127))
    inside = total = 0.0
    for part in parts:
        if part.channel == 9:
            continue
        for note in part.notes:
            total += note.duration
            inside += note.duration if note.pitch in scale else 0.0
    return round(inside / total, 4) if total else 1.0


def _k_weighting(rate: int) -> np.ndarray:
    """BS.1770 K-weighting (pre-filter shelf + RLB high-pass) as second-order sections,
    designed for `rate` as pyloudnorm does."""
    def shelf(gain_db: float, q: float, fc: float) -> list[float]:
        a = 10 ** (gain_db / 40)
        w0 = 2 * math.pi * fc / rate
        alpha = math.sin(w0) / (2 * q)
        cos = math.cos(w0)
        b0 = a * ((a + 1) + (a - 1) * cos + 2 * math.sqrt(a) * alpha)
        b1 = -2 * a * ((a - 1) + (a + 1) * cos)
        b2 = a * ((a + 1) + (a - 1) * cos - 2 * math.sqrt(a) * alpha)
        a0 = (a + 1) - (a - 1) * cos + 2 * math.sqrt(a) * alpha
        a1 = 2 * ((a - 1) - (a + 1) * cos)
        a2 = (a + 1) - (a - 1) * cos - 2 * math.sqrt(a) * alpha
        return [b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0]

    def highpass(q: float, fc: float) -> list[float]:
        w0 = 2 * math.pi * fc / rate
        alpha = math.sin(w0) / (2 * q)
        cos = math.cos(w0)
        a0 = 1 + alpha
        return [(1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0, 1.0,
                -2 * cos / a0, (1 - alpha) / a0]

    return np.array([shelf(4.0, 1 / math.sqrt(2), 1500.0), highpass(0.5, 38.0)])


def loudness_curve(audio: np.ndarray, rate: int, window_s: float, hop_s: float = 0.1
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(times in s, LUFS) of K-weighted mean square over `window_s` windows (0.4 s:
    momentary, 3 s: short-term), every `hop_s`; silence reads -70."""
    weighted = sosfilt(_k_weighting(rate), audio.astype(np.float64), axis=0)
    power = np.square(weighted).sum(axis=1)
    cumulative = np.concatenate([[0.0], np.cumsum(power)])
    window = max(1, round(window_s * rate))
    hop = max(1, round(hop_s * rate))
    ends = np.arange(window, audio.shape[0] + 1, hop)
    if ends.size == 0:
        return np.zeros(0), np.zeros(0)
    mean = (cumulative[ends] - cumulative[ends - window]) / window
    lufs = -0.691 + 10 * np.log10(np.maximum(mean, 1e-7))
    return ends / rate, np.maximum(lufs, -70.0)
