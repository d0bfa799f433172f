"""Time-stretching along a time map: each source point lands on its target sample.

Rubber Band (the `rubberband` command from Debian's rubberband-cli, through
pyrubberband: the GPL tool runs in its own process) keeps the pitch; without it the
map is followed by varispeed (pitch moves with the ratio), and the fit says so.
"""

from __future__ import annotations

__all__ = ["rubberband_available", "stretch_along"]

import shutil
from collections.abc import Sequence

import numpy as np

_HEADROOM = 0.9  # pyrubberband passes audio through 16-bit WAV files: keep it below 1
RB_ARGS: dict[str, str] = {"--crisp": "5"}


def rubberband_available() -> bool:
    return shutil.which("rubberband") is not None


def _varispeed(audio: np.ndarray, points: Sequence[tuple[int, int]], length: int
               ) -> np.ndarray:
    source = np.asarray([p[0] for p in points], dtype=np.float64)
    target = np.asarray([p[1] for p in points], dtype=np.float64)
    where = np.interp(np.arange(length, dtype=np.float64), target, source)
    index = np.arange(audio.shape[0], dtype=np.float64)
    return np.stack([np.interp(where, index, audio[:, c]) for c in range(audio.shape[1])],
                    axis=1)


def stretch_along(audio: np.ndarray, sample_rate: int, points: Sequence[tuple[int, int]],
                  length: int) -> tuple[np.ndarray, str]:
    """(`audio` (frames, channels) stretched to `length` frames so that each
    (source, target) sample pair of `points` lines up, the method used).

    `points` must start at (0, 0), rise in both columns and end at
    (len(audio), length)."""
    if points[0] != (0, 0) or points[-1] != (audio.shape[0], length):
        raise ValueError("a time map runs from (0, 0) to (source length, target length)")
    if not rubberband_available():
        return _varispeed(audio, points, length).astype(np.float32), "varispeed"
    import pyrubberband

    # Rubber Band follows one constant ratio to within a fraction of a millisecond, but
    # drifts by several between the keyframes of a time map: it stretches by the map's
    # overall ratio, and the small differences that remain beat by beat (a model's tempo
    # wobble) are taken up by varispeed along the map.
    ratio = length / audio.shape[0]
    peak = float(np.abs(audio).max()) or 1.0
    scaled = audio.astype(np.float64) * (_HEADROOM / peak)
    out = pyrubberband.time_stretch(scaled, sample_rate, 1.0 / ratio,
                                    rbargs=dict(RB_ARGS)) if ratio != 1.0 else scaled
    out = np.asarray(out, dtype=np.float64).reshape(out.shape[0], -1) * (peak / _HEADROOM)
    if out.shape[0] < length:
        out = np.concatenate([out, np.zeros((length - out.shape[0], out.shape[1]))])
    out = out[:length]
    residual = [(round(src * ratio), dst) for src, dst in points[:-1]] + [(length, length)]
    residual = [p for i, p in enumerate(residual) if i == 0 or p[0] > residual[i - 1][0]]
    return _varispeed(out, residual, length).astype(np.float32), "rubberband"
