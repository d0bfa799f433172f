"""Mixing: each role's clip brought to its place in the mix (AETHER's MixSpec levels).

SoundFont instruments differ by 20 dB in level; measuring each loop's loudness and
setting it to its role's target gives a balanced mix before any layer gain.
"""

from __future__ import annotations

__all__ = ["ROLE_LOUDNESS", "balance"]

import math

import numpy as np
import pyloudnorm

# Target integrated loudness (LUFS) of one loop, by role.
ROLE_LOUDNESS: dict[str, float] = {
    "drums": -18.0, "bass": -20.0, "chords": -23.0, "pad": -25.0,
    "lead": -21.0, "arp": -23.0, "texture": -27.0,
}
_SILENCE_LUFS = -70.0
_MAX_GAIN_DB = 36.0


def balance(loop: np.ndarray, role: str, sample_rate: int) -> tuple[np.ndarray, float, float]:
    """(scaled loop, measured LUFS, applied gain dB); silent loops pass unchanged."""
    if loop.shape[0] < int(0.4 * sample_rate):
        return loop, _SILENCE_LUFS, 0.0
    measured = float(pyloudnorm.Meter(sample_rate).integrated_loudness(loop.astype(np.float64)))
    if not math.isfinite(measured) or measured < _SILENCE_LUFS:
        return loop, _SILENCE_LUFS, 0.0
    gain_db = min(_MAX_GAIN_DB, ROLE_LOUDNESS.get(role, -22.0) - measured)
    scaled = (loop * np.float32(10 ** (gain_db / 20))).astype(np.float32)
    return scaled, measured, gain_db
