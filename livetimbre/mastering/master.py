"""Mastering: loudness-normalise to the genre's target, true-peak limit to ≤ −1 dBTP."""

from __future__ import annotations

__all__ = ["MasterResult", "master"]

import math
from dataclasses import dataclass

import numpy as np

from livetimbre.mastering.limiter import limit
from livetimbre.mastering.meters import (
    integrated_lufs,
    true_peak_db,
    true_peak_db_near,
    true_peak_envelope,
)

_MAX_PASSES = 6
_SLACK_DB = 0.5


@dataclass(frozen=True)
class MasterResult:
    audio: np.ndarray
    input_lufs: float
    lufs: float
    true_peak_db: float
    gain_db: float
    max_reduction_db: float


def master(
    audio: np.ndarray, sample_rate: int, target_lufs: float = -14.0, ceiling_db: float = -1.0
) -> MasterResult:
    """Bring `audio` to `target_lufs` with true peaks at or under `ceiling_db`.

    Limiting lowers loudness a little, so gain and limiting repeat until the loudness is
    within 0.2 LU of the target. Silence passes through unchanged.
    """
    source = integrated_lufs(audio, sample_rate)
    if not math.isfinite(source):
        return MasterResult(audio.astype(np.float32), source, source, true_peak_db(audio),
                            0.0, 0.0)
    gain_db = target_lufs - source
    margin = 0.1  # keeps inter-sample overshoot of the final float32 signal under the ceiling
    out = audio
    reduction = 0.0
    lufs: float | None = source
    peak = float("-inf")
    for _ in range(_MAX_PASSES):
        gain = np.float32(10 ** (gain_db / 20))
        scaled = (audio * gain).astype(np.float32)
        # The limiter needs the envelope exact where it reaches its ceiling; exact down
        # to _SLACK_DB under it, it also measures the limited signal, which differs only
        # where the limiter worked.
        floor = 10 ** ((ceiling_db - margin - _SLACK_DB) / 20)
        envelope = true_peak_envelope(scaled, floor=floor)
        out, reduction = limit(scaled, sample_rate, ceiling_db - margin, peaks=envelope)
        peak = true_peak_db_near(out, scaled, envelope, floor)
        lufs = None
        if peak > ceiling_db:
            margin += peak - ceiling_db + 0.05
            continue
        lufs = integrated_lufs(out, sample_rate)
        if abs(lufs - target_lufs) <= 0.2:
            break
        gain_db += target_lufs - lufs
    if lufs is None:
        lufs = integrated_lufs(out, sample_rate)
    return MasterResult(out, source, lufs, peak, gain_db, reduction)
