"""The loop's seam: the last moments before the loop's end cross-faded (equal power) into
the audio that leads into its first downbeat, so the wrap from the last sample to the
first continues the music as recorded; and a measure of what the seam adds."""

from __future__ import annotations

__all__ = ["join_seam", "seam_step_dbfs"]

import math

import numpy as np


def join_seam(body: np.ndarray, lead_in: np.ndarray) -> np.ndarray:
    """`body` (the loop) with its last len(lead_in) frames cross-faded into `lead_in`, the
    audio just before the loop's first frame. The fade ends exactly on `lead_in`'s last
    frame, which the first frame of the loop follows when it repeats."""
    length = lead_in.shape[0]
    if length == 0:
        return body
    if length > body.shape[0]:
        raise ValueError("the cross-fade is longer than the loop")
    x = (np.arange(length, dtype=np.float64) + 1.0) / length * (math.pi / 2)
    fade_in = np.sin(x)[:, None]
    fade_out = np.cos(x)[:, None]
    out = body.astype(np.float64)
    out[-length:] = out[-length:] * fade_out + lead_in.astype(np.float64) * fade_in
    return out.astype(np.float32)


def seam_step_dbfs(loop: np.ndarray, sample_rate: int, around_s: float = 0.01) -> float:
    """How much bigger the step from the loop's last sample to its first is than the
    largest step between neighbouring samples `around_s` either side of the seam, in
    dBFS (-200 when it is no bigger)."""
    audio = loop.reshape(loop.shape[0], -1).astype(np.float64)
    reach = max(2, min(audio.shape[0] // 2, round(around_s * sample_rate)))
    seam = float(np.abs(audio[0] - audio[-1]).max())
    before = np.abs(np.diff(audio[-reach:], axis=0)).max()
    after = np.abs(np.diff(audio[:reach], axis=0)).max()
    excess = seam - float(max(before, after))
    return round(20 * math.log10(excess), 2) if excess > 1e-10 else -200.0
