"""A spoken syllable taken apart with the WORLD vocoder: F0, spectral envelope and
aperiodicity every 5 ms, cut into onset consonants, vowel nucleus and coda.

The nucleus is the run of frames whose energy between 400 Hz and 3 kHz (where the
first two formants of a vowel lie, and where nasals, laterals and glides are weak) is
within `_NUCLEUS_DB` of the syllable's loudest frame; what comes before it is the
onset, what comes after is the coda; silence at either end is dropped.
"""

from __future__ import annotations

__all__ = ["FRAME_S", "Syllable", "analyse"]

from dataclasses import dataclass

import numpy as np

from livetimbre.errors import RenderError

FRAME_S = 0.005
_NUCLEUS_DB = 7.0
_SILENCE_DB = 45.0
_FFT = 1024


@dataclass(frozen=True)
class Syllable:
    """WORLD parameters of one spoken syllable. `f0 > 0` marks voiced frames; the
    nucleus is frames `vowel_start` to `vowel_end` (exclusive)."""

    f0: np.ndarray
    sp: np.ndarray
    ap: np.ndarray
    vowel_start: int
    vowel_end: int

    @property
    def onset_frames(self) -> int:
        return self.vowel_start

    @property
    def coda_frames(self) -> int:
        return len(self.f0) - self.vowel_end

    @property
    def vowel_power(self) -> float:
        """The nucleus's mean spectral power (for levelling syllables)."""
        return float(self.sp[self.vowel_start:self.vowel_end].sum(axis=1).mean())


def _band_db(sp: np.ndarray, rate: int, low: float, high: float) -> np.ndarray:
    bins = sp.shape[1] - 1
    lo, hi = round(low / (rate / 2) * bins), round(high / (rate / 2) * bins)
    return np.asarray(10 * np.log10(sp[:, lo:hi].sum(axis=1) + 1e-20))


def analyse(samples: np.ndarray, rate: int) -> Syllable:
    """WORLD analysis (DIO + StoneMask, CheapTrick, D4C) and segmentation."""
    import pyworld  # the optional voice extra, loaded when singing

    x = np.ascontiguousarray(samples, np.float64)
    f0, times = pyworld.dio(x, rate, frame_period=FRAME_S * 1000, f0_floor=60.0,
                            f0_ceil=600.0)
    f0 = pyworld.stonemask(x, f0, times, rate)
    sp = pyworld.cheaptrick(x, f0, times, rate, fft_size=_FFT)
    ap = pyworld.d4c(x, f0, times, rate, fft_size=_FFT)
    whole = _band_db(sp, rate, 60.0, rate / 2)
    audible = np.flatnonzero(whole >= whole.max() - _SILENCE_DB)
    vowel = _band_db(sp, rate, 400.0, 3000.0)
    loud = np.flatnonzero((vowel >= vowel.max() - _NUCLEUS_DB) & (f0 > 0))
    if audible.size == 0 or loud.size == 0:
        raise RenderError("espeak-ng gave a syllable without a voiced vowel")
    first, last = int(min(audible[0], loud[0])), int(max(audible[-1], loud[-1])) + 1
    return Syllable(f0=f0[first:last], sp=sp[first:last], ap=ap[first:last],
                    vowel_start=int(loud[0]) - first, vowel_end=int(loud[-1]) + 1 - first)
