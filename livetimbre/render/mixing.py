"""Mixing: each role's loop brought to its place in the mix (AETHER's MixSpec levels).

SoundFont instruments differ by 20 dB in level and some carry DC; each loop is
high-passed below 20 Hz, set to its role's loudness, and its peaks are held to a
crest factor that leaves the master limiter little to do. Every step wraps around
the loop, so the result still loops without a seam. A loop's tail (what rings on when
it stops at the end of a pass) goes through the same filter, gain and ceiling,
continuing from the loop's end, and is faded to silence where it dies away.
"""

from __future__ import annotations

__all__ = ["ROLE_CREST_DB", "ROLE_LOUDNESS", "balance", "balance_tail"]

import math
from collections.abc import Callable

import numpy as np
from scipy.signal import butter, sosfilt

from livetimbre.engine.mixer import release_curve
from livetimbre.mastering.limiter import limit
from livetimbre.mastering.meters import integrated_lufs

# Target integrated loudness (LUFS) of one loop, by role.
ROLE_LOUDNESS: dict[str, float] = {
    "drums": -18.0, "bass": -20.0, "chords": -23.0, "pad": -25.0,
    "lead": -21.0, "arp": -23.0, "texture": -27.0, "vocals": -20.0,
}
# How far peaks may rise above the loop's loudness, in dB.
ROLE_CREST_DB: dict[str, float] = {"drums": 13.0, "bass": 12.0, "vocals": 14.0}
_DEFAULT_CREST_DB = 16.0
_SILENCE_LUFS = -70.0
_MAX_GAIN_DB = 36.0
_TAIL_FLOOR = 1e-5  # −100 dBFS: a tail quieter than this from here on has died away
_TAIL_FADE_SECONDS = 0.05  # the faded end of a tail


def _cyclic(process: Callable[[np.ndarray], np.ndarray], loop: np.ndarray, context: int
            ) -> np.ndarray:
    """Run `process` with `context` frames of the loop wrapped onto each side; keep the loop.

    Filters and limiters then see the audio that really surrounds each end of the loop
    when it repeats, so the result joins seamlessly.
    """
    frames = loop.shape[0]
    context = min(context, frames)
    padded = np.concatenate([loop[frames - context:], loop, loop[:context]])
    return np.ascontiguousarray(process(padded)[context:context + frames])


def _highpass_sos(sample_rate: int) -> np.ndarray:
    return np.asarray(butter(2, 20.0, "highpass", fs=sample_rate, output="sos"))


def _ceiling_db(role: str, offset_db: float) -> float:
    return ROLE_LOUDNESS.get(role, -22.0) + offset_db + ROLE_CREST_DB.get(role,
                                                                          _DEFAULT_CREST_DB)


def _highpass(loop: np.ndarray, sample_rate: int) -> np.ndarray:
    sos = _highpass_sos(sample_rate)
    # A 20 Hz high-pass settles well within half a second of wrapped context.
    return _cyclic(lambda x: sosfilt(sos, x, axis=0), loop, sample_rate // 2).astype(np.float32)


def balance(loop: np.ndarray, role: str, sample_rate: int, offset_db: float = 0.0
            ) -> tuple[np.ndarray, float, float]:
    """(balanced loop, measured LUFS, applied gain dB); silent loops pass unchanged.

    `offset_db` moves the role's target: a prompt's dynamics ("soft" -6 dB, "hard"
    +3 dB) survive the balancing instead of being cancelled by it.
    """
    if loop.shape[0] < int(0.4 * sample_rate):
        return loop, _SILENCE_LUFS, 0.0
    loop = _highpass(loop, sample_rate)
    measured = integrated_lufs(loop, sample_rate)
    if not math.isfinite(measured) or measured < _SILENCE_LUFS:
        return loop, _SILENCE_LUFS, 0.0
    target = ROLE_LOUDNESS.get(role, -22.0) + offset_db
    gain_db = min(_MAX_GAIN_DB, target - measured)
    scaled = (loop * np.float32(10 ** (gain_db / 20))).astype(np.float32)
    ceiling_db = _ceiling_db(role, offset_db)
    if np.abs(scaled).max() > 10 ** (ceiling_db / 20):
        scaled = _cyclic(
            lambda x: limit(x, sample_rate, ceiling_db, true_peak=False)[0], scaled,
            sample_rate // 10,  # more than the limiter's look-ahead plus hold
        )
    return scaled, measured, gain_db


def balance_tail(loop: np.ndarray, tail: np.ndarray, role: str, sample_rate: int,
                 gain_db: float, offset_db: float = 0.0) -> np.ndarray:
    """`tail` (what rings on after `loop`, both before `balance`) treated as `balance`
    treated the loop with `gain_db` and `offset_db`, cut where it dies away and faded to
    exact silence; empty when it is silent throughout."""
    if tail.shape[0] == 0:
        return np.zeros((0, 2), np.float32)
    context = min(loop.shape[0], sample_rate // 2)  # the filter settles well within it
    padded = np.concatenate([loop[loop.shape[0] - context:], tail])
    filtered = sosfilt(_highpass_sos(sample_rate), padded, axis=0)[context:]
    scaled = (filtered * 10 ** (gain_db / 20)).astype(np.float32)
    ceiling_db = _ceiling_db(role, offset_db)
    if np.abs(scaled).max() > 10 ** (ceiling_db / 20):
        scaled = limit(scaled, sample_rate, ceiling_db, true_peak=False)[0]
    sounding = np.flatnonzero(np.abs(scaled).max(axis=1) > _TAIL_FLOOR)
    if sounding.size == 0:
        return np.zeros((0, 2), np.float32)
    fade = round(_TAIL_FADE_SECONDS * sample_rate)
    end = max(int(sounding[-1]) + 1, fade)
    kept = np.zeros((end, 2), np.float32)
    kept[: min(end, scaled.shape[0])] = scaled[:end]
    kept[end - fade:] *= release_curve(fade)
    return kept
