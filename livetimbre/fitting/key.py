"""The key of a loop, and how far to shift it into the session's key.

The key is estimated from the loop's chroma (librosa's constant-Q chroma, summed over
the loop) matched against the Krumhansl-Kessler major and minor profiles; the shift is
the smallest transposition (−6 to +5 semitones) that puts the loop's scale on the
session's (keys compared through their relative major, so A minor into C major moves
nothing). Pitch shifting keeps the duration (Rubber Band).
"""

from __future__ import annotations

__all__ = ["KeyEstimate", "estimate_key", "semitones_between", "shift_pitch"]

from dataclasses import dataclass

import numpy as np

from livetimbre.fitting.beats import ANALYSIS_RATE, to_analysis_rate
from livetimbre.fitting.stretch import rubberband_available
from livetimbre.music.theory import Key

_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
# Where each mode's tonic sits in its relative major scale (semitones above its tonic).
_FROM_MAJOR = {"major": 0, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7,
               "minor": 9, "harmonic minor": 9, "locrian": 11}
_HEADROOM = 0.9


@dataclass(frozen=True)
class KeyEstimate:
    """The estimated key and how sure (the profile correlation, −1 to 1)."""

    key: Key
    correlation: float


def estimate_key(audio: np.ndarray, sample_rate: int) -> KeyEstimate | None:
    """The key of `audio` ((frames,) or (frames, channels)); None when it has no pitch
    content to speak of (silence, noise, drums only)."""
    import librosa

    mono = to_analysis_rate(audio, sample_rate)
    if mono.size < 2048 or float(np.abs(mono).max()) < 1e-4:
        return None
    chroma = librosa.feature.chroma_cqt(y=mono, sr=ANALYSIS_RATE, hop_length=512)
    profile = chroma.sum(axis=1)
    if float(profile.std()) < 1e-6 * float(profile.mean() + 1e-12):
        return None
    best: tuple[float, Key] | None = None
    for tonic in range(12):
        for mode, template in (("major", _MAJOR), ("minor", _MINOR)):
            score = float(np.corrcoef(profile, np.roll(template, tonic))[0, 1])
            if best is None or score > best[0]:
                best = (score, Key(tonic, mode))
    assert best is not None
    return KeyEstimate(best[1], round(best[0], 3))


def semitones_between(source: Key, target: Key) -> int:
    """The transposition (−6 to +5) that moves `source`'s scale onto `target`'s."""
    here = (source.tonic - _FROM_MAJOR.get(source.mode, 0)) % 12
    there = (target.tonic - _FROM_MAJOR.get(target.mode, 0)) % 12
    shift = (there - here) % 12
    return shift - 12 if shift > 5 else shift


def shift_pitch(audio: np.ndarray, sample_rate: int, semitones: int) -> tuple[np.ndarray, str]:
    """(`audio` (frames, channels) moved by `semitones`, same length; the method): Rubber
    Band, or unchanged with 'none' when it is missing or there is nothing to shift."""
    if semitones == 0 or not rubberband_available():
        return audio, "none"
    import pyrubberband

    peak = float(np.abs(audio).max()) or 1.0
    scaled = audio.astype(np.float64) * (_HEADROOM / peak)
    out = pyrubberband.pitch_shift(scaled, sample_rate, semitones, rbargs={"--crisp": "5"})
    out = np.asarray(out, dtype=np.float64).reshape(out.shape[0], -1) * (peak / _HEADROOM)
    if out.shape[0] < audio.shape[0]:
        out = np.concatenate([out, np.zeros((audio.shape[0] - out.shape[0], out.shape[1]))])
    return out[: audio.shape[0]].astype(np.float32), "rubberband"
