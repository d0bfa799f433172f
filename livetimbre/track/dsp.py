"""The mixing desk's processors: biquad EQ bands, a compressor, a convolution reverb and
fades, all offline on whole numpy buffers (scipy.signal does the filtering).

No MIT/BSD-licensed, well-kept Python effects library fits (pedalboard and DawDreamer are
GPL-3); the EQ is RBJ-cookbook biquads run by scipy.signal.sosfilt, the compressor is
the small feed-forward design below, the reverb a seeded, decaying-noise impulse
response convolved by scipy.signal.oaconvolve. Loops go through `cyclic`, so a
processed loop still repeats without a seam.
"""

from __future__ import annotations

__all__ = [
    "Band",
    "Compressor",
    "Reverb",
    "apply_eq",
    "compress",
    "convolve",
    "cyclic",
    "eq_sos",
    "equal_power",
    "reverb_ir",
    "tilt_sos",
]

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy import fft as sp_fft
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import butter, sosfilt


class Band(BaseModel):
    """One EQ band: a high-pass (`gain_db` unused), a shelf or a peak."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["highpass", "lowshelf", "highshelf", "peak"]
    hz: float = Field(gt=0)
    gain_db: float = 0.0
    q: float = Field(0.707, gt=0)


class Compressor(BaseModel):
    """A feed-forward compressor: RMS detector over `attack_ms`, a soft knee, the gain
    reduction held for `release_ms` and smoothed over `attack_ms`; stereo-linked."""

    model_config = ConfigDict(frozen=True)

    threshold_db: float = -18.0
    ratio: float = Field(2.0, ge=1.0)
    knee_db: float = Field(6.0, ge=0.0)
    attack_ms: float = Field(10.0, gt=0)
    release_ms: float = Field(120.0, gt=0)
    makeup_db: float = 0.0


class Reverb(BaseModel):
    """The reverb return: decaying stereo noise, `seconds` to fall 60 dB."""

    model_config = ConfigDict(frozen=True)

    seconds: float = Field(1.8, gt=0.05, le=10)
    predelay_ms: float = Field(20.0, ge=0, le=200)
    damping_hz: float = Field(6000.0, gt=100)
    seed: int = 0


def _biquad(band: Band, rate: int) -> np.ndarray:
    """One second-order section (RBJ audio EQ cookbook)."""
    w0 = 2 * math.pi * min(band.hz, 0.45 * rate) / rate
    cos, sin = math.cos(w0), math.sin(w0)
    alpha = sin / (2 * band.q)
    a = 10 ** (band.gain_db / 40)
    if band.kind == "peak":
        b = (1 + alpha * a, -2 * cos, 1 - alpha * a)
        den = (1 + alpha / a, -2 * cos, 1 - alpha / a)
    elif band.kind in ("lowshelf", "highshelf"):
        sign = 1 if band.kind == "lowshelf" else -1
        root = 2 * math.sqrt(a) * alpha
        b = (a * ((a + 1) - sign * (a - 1) * cos + root),
             sign * 2 * a * ((a - 1) - sign * (a + 1) * cos),
             a * ((a + 1) - sign * (a - 1) * cos - root))
        den = ((a + 1) + sign * (a - 1) * cos + root,
               -sign * 2 * ((a - 1) + sign * (a + 1) * cos),
               (a + 1) + sign * (a - 1) * cos - root)
    else:
        return np.asarray(butter(2, min(band.hz, 0.45 * rate), "highpass", fs=rate,
                                 output="sos"))
    return np.array([[*(x / den[0] for x in b), 1.0, den[1] / den[0], den[2] / den[0]]])


def eq_sos(bands: list[Band], rate: int) -> np.ndarray | None:
    """The bands as one cascade of second-order sections (None: no bands)."""
    sections = [_biquad(band, rate) for band in bands]
    return np.concatenate(sections) if sections else None


def tilt_sos(rate: int, gain_db: float = 1.0, hz: float = 4000.0) -> np.ndarray:
    """A gentle high tilt: a broad high shelf of `gain_db` centred on `hz`."""
    sos = eq_sos([Band(kind="highshelf", hz=hz, gain_db=gain_db, q=0.5)], rate)
    assert sos is not None
    return sos


def apply_eq(audio: np.ndarray, sos: np.ndarray | None) -> np.ndarray:
    if sos is None:
        return audio
    return np.asarray(sosfilt(sos, audio, axis=0), np.float32)


def compress(audio: np.ndarray, rate: int, settings: Compressor) -> tuple[np.ndarray, float]:
    """(compressed audio, largest gain reduction in dB)."""
    attack = max(1, round(settings.attack_ms * rate / 1000))
    release = max(1, round(settings.release_ms * rate / 1000))
    squares = np.square(audio, dtype=np.float32)
    power = squares[:, 0] if audio.shape[1] == 1 else squares[:, 0] + squares[:, 1]
    for channel in range(2, audio.shape[1]):
        power += squares[:, channel]
    power /= np.float32(audio.shape[1])  # the mean over channels, summed in the same order
    level = 10 * np.log10(uniform_filter1d(power, attack, mode="wrap") + 1e-12)
    over = level - settings.threshold_db
    knee = settings.knee_db / 2
    slope = 1 - 1 / settings.ratio
    # soft knee: quadratic within ±knee/2 of the threshold, straight above it
    reduction = np.where(over <= -knee, 0.0,
                         np.where(over >= knee, slope * over,
                                  slope * (over + knee) ** 2 / (4 * knee + 1e-9)))
    held = maximum_filter1d(reduction, release, origin=-(release // 2), mode="wrap")
    smooth = uniform_filter1d(held, attack, mode="wrap")
    gain = 10 ** ((settings.makeup_db - smooth) / 20)
    return (audio * gain[:, None].astype(np.float32)).astype(np.float32), float(smooth.max())


def cyclic(process: Callable[[np.ndarray], np.ndarray], loop: np.ndarray, context: int
           ) -> np.ndarray:
    """`process` run with `context` frames of the loop wrapped onto each side: the
    result still loops seamlessly (filters see what surrounds each end)."""
    frames = loop.shape[0]
    if frames == 0:
        return loop
    reps = -(-context // frames)
    wrapped = np.concatenate([*([loop] * reps), loop, *([loop] * reps)])
    start = reps * frames
    # only `context` frames of the wrapped copies on each side
    padded = wrapped[start - context:start + frames + context]
    return np.ascontiguousarray(process(padded)[context:context + frames])


def reverb_ir(rate: int, settings: Reverb) -> np.ndarray:
    """A stereo impulse response: pre-delay, then two decorrelated noise decays, darker
    as they fade, normalised to unit energy per channel."""
    rng = np.random.default_rng(settings.seed)
    frames = int(settings.seconds * rate)
    pre = int(settings.predelay_ms * rate / 1000)
    t = np.arange(frames) / rate
    decay = np.exp(-6.91 * t / settings.seconds)  # -60 dB at `seconds`
    noise = rng.standard_normal((frames, 2)) * decay[:, None]
    sos = np.asarray(butter(1, min(settings.damping_hz, 0.45 * rate), "lowpass", fs=rate,
                            output="sos"))
    noise = 0.5 * noise + 0.5 * sosfilt(sos, noise, axis=0)
    noise /= np.sqrt(np.sum(noise**2, axis=0, keepdims=True)) + 1e-12
    ir = np.zeros((pre + frames, 2), np.float32)
    ir[pre:] = noise
    return ir


def convolve(audio: np.ndarray, ir: np.ndarray) -> np.ndarray:
    """Each channel of `audio` through its channel of `ir`, as long as `audio` plus the
    response: overlap-add in float32 with FFT blocks of at least four responses, the
    response's spectrum computed once (three times faster than scipy's oaconvolve here,
    which works in smaller blocks; the same to float32 rounding)."""
    frames, taps = audio.shape[0], ir.shape[0]
    total = frames + taps - 1
    out = np.zeros((total, 2), np.float32)
    if frames == 0 or taps == 0:
        return out
    size = 1 << max(16, (4 * taps - 1).bit_length())
    hop = size - taps + 1
    spectrum = sp_fft.rfft(ir.astype(np.float32, copy=False), size, axis=0)
    for start in range(0, frames, hop):
        block = sp_fft.irfft(sp_fft.rfft(audio[start:start + hop], size, axis=0) * spectrum,
                             size, axis=0)
        end = min(start + size, total)
        out[start:end] += block[:end - start]
    return out


def equal_power(frames: int) -> tuple[np.ndarray, np.ndarray]:
    """(fade-out, fade-in) gains over `frames`, summing to constant power."""
    x = (np.arange(frames) + 0.5) / max(1, frames)
    return (np.cos(0.5 * np.pi * x).astype(np.float32),
            np.sin(0.5 * np.pi * x).astype(np.float32))
