"""Beats and downbeats in audio, for the fitter.

librosa's dynamic-programming tracker runs on a kick-weighted onset envelope (spectral
flux of the band below 180 Hz, plus half the full-band flux), with the session tempo
as its prior; each beat is then refined to its onset peak with sub-frame precision.
Downbeats are the beat phase with the most kick-band energy. `correct_octave` turns a
half- or double-tempo reading into the session's tempo; `confidence` (0-1) says how
regular and how salient the beats are (noise and ambient pads score near 0).

A neural tracker (beat_this, in the MusicGen backend) produces the same `BeatTrack`.
"""

from __future__ import annotations

__all__ = ["ANALYSIS_RATE", "BeatTrack", "confidence", "correct_octave", "onset_envelope",
           "track_beats"]

import math
from dataclasses import dataclass, replace

import numpy as np

ANALYSIS_RATE = 24000  # every signal is analysed at this rate, whatever its own
_HOP = 96  # 4 ms
_N_FFT = 512
FPS = ANALYSIS_RATE / _HOP
_KICK_HZ = 180.0
_REFINE_S = 0.03  # a beat moves to an onset peak at most this far away


@dataclass(frozen=True)
class BeatTrack:
    """Beats and downbeats (seconds, rising) found by `source`."""

    beats: np.ndarray
    downbeats: np.ndarray  # a subset of `beats`; empty when unknown
    confidence: float
    source: str
    detected_bpm: float  # the tempo read from the beats before any octave correction
    correction: float = 1.0  # the factor `correct_octave` applied (0.5, 1 or 2)

    @property
    def bpm(self) -> float:
        """The tempo of the beats (median interval); 0 with fewer than two beats."""
        if len(self.beats) < 2:
            return 0.0
        return 60.0 / float(np.median(np.diff(self.beats)))


def to_analysis_rate(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 at ANALYSIS_RATE."""
    import soxr

    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    if sample_rate != ANALYSIS_RATE:
        mono = soxr.resample(mono, sample_rate, ANALYSIS_RATE, quality="HQ")
    return np.asarray(mono, dtype=np.float32)


def onset_envelope(mono: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(kick-weighted onset envelope, kick-band flux), one value per 4 ms frame."""
    import librosa

    spectrum = np.abs(librosa.stft(mono, n_fft=_N_FFT, hop_length=_HOP, center=True))
    mel = librosa.feature.melspectrogram(S=spectrum, sr=ANALYSIS_RATE, n_mels=64, fmin=20.0,
                                         fmax=ANALYSIS_RATE / 2, power=1.0)
    compressed = np.log1p(100.0 * mel)
    flux = np.maximum(0.0, np.diff(compressed, axis=1, prepend=compressed[:, :1]))
    centres = librosa.mel_frequencies(n_mels=66, fmin=20.0, fmax=ANALYSIS_RATE / 2)[1:-1]
    kick = flux[centres < _KICK_HZ].sum(axis=0)
    full = flux.sum(axis=0)
    envelope = kick / (kick.max() + 1e-9) + 0.5 * full / (full.max() + 1e-9)
    return envelope.astype(np.float64), kick.astype(np.float64)


def _refine(frames: np.ndarray, envelope: np.ndarray) -> np.ndarray:
    """Beat times (s): each beat frame moved to the onset peak near it (if there is one),
    with parabolic interpolation between frames."""
    reach = round(_REFINE_S * FPS)
    typical = float(np.median(envelope[frames])) if len(frames) else 0.0
    times = []
    for frame in frames:
        lo, hi = max(1, frame - reach), min(len(envelope) - 1, frame + reach + 1)
        if hi <= lo:
            times.append(frame / FPS)
            continue
        peak = lo + int(np.argmax(envelope[lo:hi]))
        if envelope[peak] < 0.3 * typical or peak in (0, len(envelope) - 1):
            times.append(frame / FPS)
            continue
        a, b, c = envelope[peak - 1], envelope[peak], envelope[peak + 1]
        denominator = a - 2 * b + c
        shift = 0.5 * (a - c) / denominator if denominator < 0 else 0.0
        times.append((peak + float(np.clip(shift, -0.5, 0.5))) / FPS)
    return np.asarray(times, dtype=np.float64)


def _regularize(beats: np.ndarray) -> np.ndarray:
    """Drop beats closer than half a period to the previous one; fill gaps of 1.5 periods
    or more with evenly spaced beats."""
    if len(beats) < 3:
        return beats
    period = float(np.median(np.diff(beats)))
    kept = [beats[0]]
    for time in beats[1:]:
        gap = time - kept[-1]
        if gap < 0.5 * period:
            continue
        missing = round(gap / period) - 1
        if missing > 0:
            kept.extend(kept[-1] + gap * (k + 1) / (missing + 1) for k in range(missing))
        kept.append(time)
    return np.asarray(kept, dtype=np.float64)


def _at(times: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The largest value within ±12 ms of each time (values per frame)."""
    reach = max(1, round(0.012 * FPS))
    out = []
    for time in times:
        frame = round(time * FPS)
        lo, hi = max(0, frame - reach), min(len(values), frame + reach + 1)
        out.append(float(values[lo:hi].max()) if hi > lo else 0.0)
    return np.asarray(out)


def confidence(beats: np.ndarray, envelope: np.ndarray) -> float:
    """0-1: how regular the beats are (interval spread) times how much stronger the
    onsets on them are than the envelope's average."""
    if len(beats) < 4:
        return 0.0
    intervals = np.diff(beats)
    spread = float(np.std(intervals) / (np.mean(intervals) + 1e-9))
    regularity = min(1.0, max(0.0, 1.0 - 4.0 * spread))
    ratio = float(np.mean(_at(beats, envelope)) / (np.mean(envelope) + 1e-9))
    salience = min(1.0, max(0.0, (ratio - 1.5) / 2.0))
    return round(regularity * salience, 3)


def _downbeats(beats: np.ndarray, kick: np.ndarray, beats_per_bar: int) -> np.ndarray:
    """The beats of the phase (0 … beats_per_bar-1) with the most kick-band onset."""
    if len(beats) < beats_per_bar or beats_per_bar < 2:
        return beats.copy()
    strength = _at(beats, kick)
    scores = [float(np.mean(strength[phase::beats_per_bar])) for phase in range(beats_per_bar)]
    return beats[int(np.argmax(scores))::beats_per_bar].copy()


def track_beats(audio: np.ndarray, sample_rate: int, prior_bpm: float,
                beats_per_bar: int) -> BeatTrack:
    """Beats and downbeats of `audio` ((frames,) or (frames, channels)) with librosa."""
    import librosa

    mono = to_analysis_rate(audio, sample_rate)
    if mono.size < _N_FFT * 4 or float(np.abs(mono).max()) < 1e-5:
        return BeatTrack(np.zeros(0), np.zeros(0), 0.0, "librosa", 0.0)
    envelope, kick = onset_envelope(mono)
    _tempo, frames = librosa.beat.beat_track(
        onset_envelope=envelope, sr=ANALYSIS_RATE, hop_length=_HOP, start_bpm=prior_bpm,
        tightness=100, trim=False, units="frames")
    frames = np.asarray(frames, dtype=int)
    beats = _regularize(_refine(frames, envelope))
    if len(beats) < 2:
        return BeatTrack(beats, np.zeros(0), 0.0, "librosa", 0.0)
    detected = 60.0 / float(np.median(np.diff(beats)))
    return BeatTrack(beats, _downbeats(beats, kick, beats_per_bar),
                     confidence(beats, envelope), "librosa", round(detected, 3))


def correct_octave(track: BeatTrack, session_bpm: float) -> BeatTrack:
    """`track` at the session's tempo octave: a half-tempo reading gets a beat between
    each two, a double-tempo one keeps every other beat (the downbeats' phase)."""
    bpm = track.bpm
    if bpm <= 0:
        return track
    factor = min((0.5, 1.0, 2.0), key=lambda f: abs(math.log2(bpm * f / session_bpm)))
    beats = track.beats
    if factor == 2.0:
        middles = (beats[:-1] + beats[1:]) / 2
        beats = np.sort(np.concatenate([beats, middles]))
    elif factor == 0.5:
        phase = 0
        if len(track.downbeats):
            first = int(np.argmin(np.abs(beats - track.downbeats[0])))
            phase = first % 2
        beats = beats[phase::2]
    else:
        return track
    downbeats = np.asarray([d for d in track.downbeats if np.min(np.abs(beats - d)) < 1e-6])
    return replace(track, beats=beats, downbeats=downbeats, correction=factor)
