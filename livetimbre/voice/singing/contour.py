"""The sung pitch, frame by frame: each note's pitch, a short glide between legato
notes (portamento), vibrato that sets in after the attack, and a little jitter.

The glide is a raised cosine from `GLIDE_S` before a note's onset to `GLIDE_S` after
it, so away from its first and last `GLIDE_S` a note sits on its written pitch
(plus vibrato and jitter, which stay well within ±50 cents).
"""

from __future__ import annotations

__all__ = ["GLIDE_S", "PitchSpan", "pitch_curve"]

import math
from dataclasses import dataclass

import numpy as np

from livetimbre.voice.singing.syllable import FRAME_S

GLIDE_S = 0.035
_VIBRATO_DELAY_S = 0.18
_VIBRATO_RAMP_S = 0.25
_VIBRATO_MIN_NOTE_S = 0.3
_VIBRATO_HZ = 5.5
_JITTER_CENTS = 3.0


@dataclass(frozen=True, slots=True)
class PitchSpan:
    """Frames `start`..`end` (exclusive) sung at MIDI `pitch`; `onset` is the frame of
    the written note's onset (the span may begin earlier: a consonant before the beat);
    `glide` says whether the voice slides in from the pitch sounding just before."""

    start: int
    end: int
    onset: int
    pitch: int
    glide: bool


def _frames(seconds: float) -> int:
    return max(1, round(seconds / FRAME_S))


def _vibrato(length: int, depth_cents: float, hz: float) -> np.ndarray:
    """Semitones of vibrato over a note of `length` frames, from its onset."""
    t = np.arange(length) * FRAME_S
    ramp = np.clip((t - _VIBRATO_DELAY_S) / _VIBRATO_RAMP_S, 0.0, 1.0)
    return np.asarray(depth_cents / 100 * ramp * np.sin(2 * math.pi * hz * t))


def pitch_curve(spans: list[PitchSpan], frames: int, vibrato_cents: float,
                rng: np.random.Generator) -> np.ndarray:
    """MIDI pitch (fractional) per frame; NaN where nothing is sung. `spans` are in
    time order and do not overlap."""
    curve = np.full(frames, np.nan)
    glide = _frames(GLIDE_S)
    for span in spans:
        curve[span.start:span.end] = span.pitch
    for span in spans:
        before = curve[span.onset - glide] if span.onset - glide >= 0 else np.nan
        if span.glide and not np.isnan(before) and before != span.pitch:
            x = (np.arange(2 * glide) + 0.5) / (2 * glide)
            a, b = span.onset - glide, min(span.onset + glide, frames)
            curve[a:b] = (before + (span.pitch - before) * (1 - np.cos(math.pi * x)) / 2)[:b - a]
        length = span.end - span.onset
        if length * FRAME_S >= _VIBRATO_MIN_NOTE_S:
            hz = _VIBRATO_HZ * float(rng.uniform(0.94, 1.06))
            curve[span.onset:span.end] += _vibrato(length, vibrato_cents, hz)
    # jitter: white noise smoothed over ~40 ms, scaled to a few cents
    noise = np.convolve(rng.standard_normal(frames), np.ones(8) / 8, mode="same")
    return np.asarray(curve + noise * (_JITTER_CENTS / 100) / (np.std(noise) + 1e-9))
