"""Measurements: integrated loudness (ITU-R BS.1770 via pyloudnorm) and true peak."""

from __future__ import annotations

__all__ = [
    "db",
    "integrated_lufs",
    "sample_peak_db",
    "true_peak_db",
    "true_peak_db_near",
    "true_peak_envelope",
]

import functools
import math

import numpy as np
import pyloudnorm
from scipy.signal import firwin, sosfilt, tf2sos, upfirdn

OVERSAMPLE = 4


def db(linear: float) -> float:
    """Linear amplitude → dB (−inf for silence)."""
    return 20 * math.log10(linear) if linear > 0 else float("-inf")


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness in LUFS; −inf for silence or audio under 0.4 s.

    pyloudnorm's meter (its K-weighting filters, blocks and gates), computed faster: the
    filters as one second-order-section cascade, the 400 ms block energies from a running
    sum instead of one sum per block and channel (the figures agree to ~1e-12 LU)."""
    if audio.shape[0] < int(0.4 * sample_rate):
        return float("-inf")
    data = audio.reshape(audio.shape[0], -1)
    sos, gain = _k_weighting(sample_rate)
    weighted = sosfilt(sos, data, axis=0)  # in float64, a copy
    weighted *= gain
    frames, channels = weighted.shape
    np.square(weighted, out=weighted)
    # The channels' weighted sum first (every figure below is that sum), so the running
    # sum runs over contiguous memory.
    weights = np.array([1.41 if c >= 3 else 1.0 for c in range(channels)])
    energy = np.zeros(frames + 1)
    np.cumsum(weighted @ weights, out=energy[1:])
    block, step = _BLOCK_S, 1.0 - _OVERLAP
    count = int(np.round((frames / sample_rate - block) / (block * step))) + 1
    j = np.arange(count, dtype=np.float64)
    lower = (block * (j * step) * sample_rate).astype(np.int64)  # as pyloudnorm rounds
    upper = np.minimum((block * (j * step + 1) * sample_rate).astype(np.int64), frames)
    z = (energy[upper] - energy[lower]) / (block * sample_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        loudness = -0.691 + 10 * np.log10(z)
        above = loudness >= -70.0
        if not above.any():
            return float("-inf")
        relative = -0.691 + 10 * np.log10(z[above].mean()) - 10.0
        gated = above & (loudness > relative)
        value = float(-0.691 + 10 * np.log10(z[gated].mean())) if gated.any() else (
            float("-inf"))
    return value if math.isfinite(value) else float("-inf")


_BLOCK_S, _OVERLAP = 0.4, 0.75


@functools.lru_cache(maxsize=8)
def _k_weighting(sample_rate: int) -> tuple[np.ndarray, float]:
    """pyloudnorm's K-weighting filters at `sample_rate`: (sos, passband gain)."""
    meter = pyloudnorm.Meter(sample_rate)
    filters = list(meter._filters.values())
    sos = np.vstack([tf2sos(f.b, f.a) for f in filters])
    return sos, float(np.prod([f.passband_gain for f in filters]))


def true_peak_envelope(audio: np.ndarray, floor: float | None = None) -> np.ndarray:
    """Per original sample, the largest |value| of the 4× oversampled signal near it.

    With `floor`, only where that value could reach `floor`: elsewhere (where no sample
    within the filter's reach is louder than `floor` over the filter's gain) the envelope
    is just |sample|, which is below `floor` too. The oversampling runs only over the
    stretches near loud samples, with the same filter, so the values there are the same.
    """
    frames = audio.shape[0]
    if floor is None or frames == 0:
        return _oversampled_envelope(audio)
    loudest: np.ndarray = np.abs(audio[:, 0]).astype(np.float32)
    for channel in range(1, audio.shape[1]):
        np.maximum(loudest, np.abs(audio[:, channel]), out=loudest)
    # Blocks of _BLOCK samples: a block can hold a value reaching `floor` only if a sample
    # in it or in a neighbouring block (the filter reaches less than a block) is loud.
    count = -(-frames // _BLOCK)
    padded = np.zeros(count * _BLOCK, np.float32)
    padded[:frames] = loudest
    block = padded.reshape(count, _BLOCK).max(axis=1)
    near = block.copy()
    np.maximum(near[1:], block[:-1], out=near[1:])
    np.maximum(near[:-1], block[1:], out=near[:-1])
    candidates = np.flatnonzero(near * _gain_bound() >= floor)
    if candidates.size == 0:
        return loudest
    envelope: np.ndarray = loudest
    for start, end in _stretches(candidates, frames):
        low, high = max(0, start - _BLOCK), min(frames, end + _BLOCK)
        envelope[start:end] = _oversampled_envelope(audio[low:high])[start - low:end - low]
    return envelope


_HALF_TAPS = 10 * OVERSAMPLE  # resample_poly's default filter for up = OVERSAMPLE, down = 1
_BLOCK = 32  # samples; more than the original samples each side an oversampled value uses
_MERGE_BLOCKS = 32  # loud stretches closer than this many blocks are oversampled in one go
assert _BLOCK > _HALF_TAPS // OVERSAMPLE + 1


@functools.lru_cache(maxsize=1)
def _gain_bound() -> float:
    """The most any oversampled value can exceed the loudest sample it is made of: the
    largest sum of |taps| of one polyphase branch of resample_poly's filter (with room
    for float rounding)."""
    taps = firwin(2 * _HALF_TAPS + 1, 1.0 / OVERSAMPLE, window=("kaiser", 5.0)) * OVERSAMPLE
    return 1.001 * max(float(np.abs(taps[p::OVERSAMPLE]).sum()) for p in range(OVERSAMPLE))


@functools.lru_cache(maxsize=1)
def _filter() -> np.ndarray:
    """resample_poly's filter for up = OVERSAMPLE, down = 1 on float32 input, with its
    leading zero (so outputs line up with inputs as resample_poly's do)."""
    taps = firwin(2 * _HALF_TAPS + 1, 1.0 / OVERSAMPLE, window=("kaiser", 5.0))
    taps = taps.astype(np.float32) * np.float32(OVERSAMPLE)
    return np.concatenate([np.zeros(1, np.float32), taps])


def _oversampled_envelope(audio: np.ndarray) -> np.ndarray:
    """The envelope from what resample_poly(channel, OVERSAMPLE, 1) gives, without
    redesigning its filter per call."""
    frames = audio.shape[0]
    envelope = np.zeros(frames, np.float32)
    skip = _HALF_TAPS + 1  # resample_poly's n_pre_remove for down = 1
    for channel in range(audio.shape[1]):
        signal = np.ascontiguousarray(audio[:, channel], dtype=np.float32)
        upsampled = upfirdn(_filter(), signal, OVERSAMPLE, 1)[skip:skip + frames * OVERSAMPLE]
        np.abs(upsampled, out=upsampled)
        for phase in range(OVERSAMPLE):  # strided maxima: much faster than max(axis=1)
            np.maximum(envelope, upsampled[phase::OVERSAMPLE], out=envelope)
        np.maximum(envelope, np.abs(signal), out=envelope)
    return envelope


def true_peak_db_near(audio: np.ndarray, reference: np.ndarray, envelope: np.ndarray,
                      floor: float) -> float:
    """True peak in dBTP of `audio`, which is `reference` changed in a few places (a
    limiter's work), given `reference`'s envelope exact wherever it reaches `floor`: only
    around the changes is anything oversampled again. The same figure as
    `true_peak_db(audio)`, which it falls back to when the peak lies under `floor`."""
    frames = audio.shape[0]
    if frames == 0 or audio.shape != reference.shape:
        return true_peak_db(audio)
    changed = (audio != reference).any(axis=1)
    count = -(-frames // _BLOCK)
    padded = np.zeros(count * _BLOCK, bool)
    padded[:frames] = changed
    block = np.asarray(padded.reshape(count, _BLOCK).any(axis=1))
    near: np.ndarray = block.copy()  # a value depends on samples less than a block away
    near[1:] |= block[:-1]
    near[:-1] |= block[1:]
    redo = np.repeat(near, _BLOCK)[:frames]
    kept = envelope[~redo]  # where `audio` is `reference` within the filter's reach
    peak = float(kept.max()) if kept.size else 0.0
    for start, end in _stretches(np.flatnonzero(near), frames):
        low, high = max(0, start - _BLOCK), min(frames, end + _BLOCK)
        peak = max(peak, float(_oversampled_envelope(audio[low:high])[start - low:end - low]
                               .max()))
    return db(peak) if peak >= floor else true_peak_db(audio)


def _stretches(blocks: np.ndarray, frames: int) -> list[tuple[int, int]]:
    """(start, end) frames of the runs of the given block numbers (sorted), runs closer
    than _MERGE_BLOCKS merged."""
    if blocks.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(blocks) > _MERGE_BLOCKS)
    starts = np.concatenate([blocks[:1], blocks[breaks + 1]]) * _BLOCK
    ends = np.minimum((np.concatenate([blocks[breaks], blocks[-1:]]) + 1) * _BLOCK, frames)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def true_peak_db(audio: np.ndarray) -> float:
    """True peak in dBTP (4× oversampled, as BS.1770 Annex 2 suggests)."""
    if audio.size == 0:
        return float("-inf")
    loudest = float(np.abs(audio).max())  # the true peak is at least this
    return db(float(true_peak_envelope(audio, floor=loudest).max()))


def sample_peak_db(audio: np.ndarray) -> float:
    return db(float(np.abs(audio).max())) if audio.size else float("-inf")
