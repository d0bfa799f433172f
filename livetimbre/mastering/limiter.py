"""A look-ahead true-peak limiter (offline: the whole signal is known in advance).

The gain needed at each sample is held for `hold_ms`, spread back over the look-ahead
window by a minimum filter, then smoothed by a moving average of the same length; the
average of minima that all include a sample can never exceed the gain that sample
needs, so the ceiling holds without clipping.
"""

from __future__ import annotations

__all__ = ["limit"]

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from livetimbre.mastering.meters import true_peak_envelope


def limit(
    audio: np.ndarray,
    sample_rate: int,
    ceiling_db: float = -1.0,
    lookahead_ms: float = 5.0,
    hold_ms: float = 40.0,
    true_peak: bool = True,
    peaks: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """(limited audio, largest gain reduction in dB); `true_peak=False` limits sample peaks.
    `peaks`: `audio`'s true-peak envelope when it is already known (exact wherever it
    reaches the ceiling)."""
    ceiling = 10 ** (ceiling_db / 20)
    if peaks is None and true_peak:
        peaks = true_peak_envelope(audio, floor=ceiling)  # exact wherever it matters
    elif peaks is None:
        peaks = np.abs(audio[:, 0])
        for channel in range(1, audio.shape[1]):
            np.maximum(peaks, np.abs(audio[:, channel]), out=peaks)
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if needed.min() >= 1.0:
        return audio.astype(np.float32), 0.0
    window = max(1, round(lookahead_ms * sample_rate / 1000))
    hold = max(0, round(hold_ms * sample_rate / 1000))
    # gain[m] = min(needed[m - hold .. m + window - 1]), then averaged over [n - window + 1, n].
    # scipy places a window of `size` at [i - size//2 - origin, ...] for output i.
    size = window + hold
    held = minimum_filter1d(needed, size=size, origin=hold - size // 2, mode="nearest")
    smooth = uniform_filter1d(held, size=window, origin=window // 2 - (window - 1), mode="nearest")
    gain = np.minimum(smooth, needed)  # guards only against float rounding
    return (audio * gain[:, None]).astype(np.float32), float(-20 * np.log10(gain.min()))
