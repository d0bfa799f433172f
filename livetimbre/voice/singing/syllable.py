"""A spoken syllable taken apart with the WORLD vocoder: F0, spectral envelope and
aperiodicity every 5 ms, cut into onset consonants, vowel nucleus and coda.

The nucleus is the run of frames whose energy between 400 Hz and 3 kHz (where the
first two formants of a vowel lie, and where nasals, laterals and glides are weak) is
within `_NUCLEUS_DB` of the syllable's loudest voiced frame, from the onset of
voicing when a voiceless consonant comes before it; what comes before it is the
onset, what comes after is the coda; silence at either end is dropped.
"""

from __future__ import annotations

__all__ = ["FRAME_S", "Syllable", "analyse"]

from dataclasses import dataclass

import numpy as np

from livetimbre.errors import RenderError
from livetimbre.voice.singing.status import load_pyworld

FRAME_S = 0.005
_NUCLEUS_DB = 7.0
_SILENCE_DB = 45.0
_FFT = 1024
_VOICING_LEAD = 10
_MOST_LIFT_DB = 12.0


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
    pyworld = load_pyworld()  # the optional voice extra, loaded when singing

    x = np.ascontiguousarray(samples, np.float64)
    f0, times = pyworld.dio(x, rate, frame_period=FRAME_S * 1000, f0_floor=60.0,
                            f0_ceil=600.0)
    f0 = pyworld.stonemask(x, f0, times, rate)
    sp = pyworld.cheaptrick(x, f0, times, rate, fft_size=_FFT)
    ap = pyworld.d4c(x, f0, times, rate, fft_size=_FFT)
    whole = _band_db(sp, rate, 60.0, rate / 2)
    audible = np.flatnonzero(whole >= whole.max() - _SILENCE_DB)
    vowel = _band_db(sp, rate, 400.0, 3000.0)
    if audible.size == 0 or not np.any(f0 > 0):
        raise RenderError("espeak-ng gave a syllable without a voiced vowel")
    loud = np.flatnonzero(vowel >= vowel[f0 > 0].max() - _NUCLEUS_DB)
    if loud.size == 0:
        raise RenderError("espeak-ng gave a syllable without a voiced vowel")
    vowel_start, vowel_end = _voicing_onset(f0, int(loud[0])), int(loud[-1]) + 1
    first, last = min(int(audible[0]), vowel_start), max(int(audible[-1]) + 1, vowel_end)
    sp[vowel_start:vowel_end] *= _held_level(sp[vowel_start:vowel_end])[:, None]
    return Syllable(f0=f0[first:last], sp=sp[first:last], ap=ap[first:last],
                    vowel_start=vowel_start - first, vowel_end=vowel_end - first)


def _voicing_onset(f0: np.ndarray, loud: int) -> int:
    """Where the vowel starts: at its loud frames, or where voicing begins when that is
    at most `_VOICING_LEAD` frames earlier (a vowel after a voiceless consonant starts
    with its voicing, as phoneticians count it; a voiced consonant's longer run of
    voicing stays with the consonant)."""
    start = loud
    while start > 0 and f0[start - 1] > 0 and loud - start < _VOICING_LEAD:
        start -= 1
    return loud if start > 0 and f0[start - 1] > 0 else start


def _held_level(sp: np.ndarray) -> np.ndarray:
    """Gains that hold a spoken vowel at its loudest (smoothed) level, as a sung vowel
    is held, rather than fading as speech does; at most `_MOST_LIFT_DB` of lift."""
    power = np.convolve(sp.sum(axis=1), np.ones(5) / 5, mode="same")
    power[:2], power[-2:] = sp[:2].sum(axis=1), sp[-2:].sum(axis=1)
    return np.asarray(np.clip(power.max() / (power + 1e-20), 1.0, 10 ** (_MOST_LIFT_DB / 10)))
