"""A layer's resonant lowpass / highpass filter, smoothed so a swept knob never zips.

Runs on the audio thread (inside `Engine.process`): scalar maths and a few small
numpy / scipy calls per block, no locks, no I/O. The cutoff glides in log-frequency
(a one-pole over `GLIDE_MS`); while it moves, each block is filtered with the
coefficients of its start and of its end and crossfaded from one to the other, so the
response changes smoothly inside the block. Each filter type keeps its own input /
output history (a direct form I recursion: the state is the signal itself, so new
coefficients never meet a stale internal state); mode changes and bypass crossfade the
dry and filtered signals over `BLEND_MS`.
"""

from __future__ import annotations

__all__ = ["BLEND_MS", "GLIDE_MS", "LayerFilter", "biquad"]

import math

import numpy as np
from scipy.signal import lfilter

from livetimbre.music.effects import FX

GLIDE_MS = 25.0  # time constant of the cutoff and resonance glide
BLEND_MS = 20.0  # dry / lowpass / highpass crossfade time
_Q_LOW, _Q_HIGH = 0.7071, 12.0  # resonance 0 → Butterworth, 1 → a ringing peak
_SETTLED = 1e-4  # log-cutoff / resonance difference treated as arrived


def biquad(kind: int, cutoff: float, q: float, sample_rate: int
           ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """(b, a) of a lowpass (`kind` 1) or highpass (2) at `cutoff` Hz with quality `q`
    (the bilinear-transform second-order sections of the audio EQ cookbook)."""
    w0 = 2 * math.pi * min(cutoff, 0.45 * sample_rate) / sample_rate
    cos_w, alpha = math.cos(w0), math.sin(w0) / (2 * q)
    a0 = 1 + alpha
    a = (1.0, -2 * cos_w / a0, (1 - alpha) / a0)
    if kind == 1:
        b0 = (1 - cos_w) / 2 / a0
        return (b0, 2 * b0, b0), a
    b0 = (1 + cos_w) / 2 / a0
    return (b0, -2 * b0, b0), a


def _q(resonance: float) -> float:
    return float(_Q_LOW * (_Q_HIGH / _Q_LOW) ** resonance)


class LayerFilter:
    """Cutoff, resonance and mode (0 off, 1 lowpass, 2 highpass) of one layer strip."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.sample_rate = sample_rate
        self.cutoff = FX["cutoff"].default
        self.resonance = FX["resonance"].default
        self.mode = int(FX["filter"].default)
        self._log_cutoff = math.log(self.cutoff)
        self._resonance = self.resonance
        self._tau = GLIDE_MS / 1000 * sample_rate  # frames
        self._blend_step = 1000 / (BLEND_MS * sample_rate)  # weight change per frame
        self._weights = [1.0, 0.0, 0.0]  # dry, lowpass, highpass, as applied last
        self._x = np.zeros((2, 2))  # the last two inputs (newest first), per channel
        self._y = [np.zeros((2, 2)), np.zeros((2, 2)), np.zeros((2, 2))]  # [1], [2]: outputs
        self._work = np.zeros((max_block, 2))
        self._ramp = np.arange(1, max_block + 1, dtype=np.float64)[:, None]

    def _targets(self) -> list[float]:
        """The weights the mode asks for: dry only when off or fully open and flat."""
        open_lp = self.mode == 1 and self.cutoff >= FX["cutoff"].high
        open_hp = self.mode == 2 and self.cutoff <= FX["cutoff"].low
        if self.mode == 0 or ((open_lp or open_hp) and self.resonance == 0.0):
            return [1.0, 0.0, 0.0]
        return [0.0, float(self.mode == 1), float(self.mode == 2)]

    @property
    def bypassed(self) -> bool:
        """Nothing to do: dry at full weight, and staying so."""
        return self._weights == [1.0, 0.0, 0.0] == self._targets()

    def settle(self) -> None:
        """Jump to the cutoff, resonance and mode set, without gliding or blending."""
        self._log_cutoff = math.log(self.cutoff)
        self._resonance = self.resonance
        self._weights = self._targets()

    def process(self, buf: np.ndarray) -> None:
        """Filter `buf` (float32, (n, 2)), the layer's next audio, in place."""
        if buf.shape[0] == 0:
            return
        if self.bypassed:
            self._remember_dry(buf)
        else:
            self._run(buf)

    def _coefficients(self) -> tuple[float, float]:
        return math.exp(self._log_cutoff), _q(self._resonance)

    def _glide(self, frames: int) -> bool:
        """Move the applied cutoff and resonance on by `frames`; False if already there."""
        target = math.log(self.cutoff)
        if abs(target - self._log_cutoff) <= _SETTLED and (
                abs(self.resonance - self._resonance) <= _SETTLED):
            return False
        step = 1 - math.exp(-frames / self._tau)
        self._log_cutoff += (target - self._log_cutoff) * step
        self._resonance += (self.resonance - self._resonance) * step
        if abs(target - self._log_cutoff) <= _SETTLED:
            self._log_cutoff = target
        if abs(self.resonance - self._resonance) <= _SETTLED:
            self._resonance = self.resonance
        return True

    def _remember_dry(self, buf: np.ndarray) -> None:
        """While bypassed, every type's history is the dry signal (so one that fades
        in starts from a state near its own)."""
        n = buf.shape[0]
        if n >= 2:
            self._x[0], self._x[1] = buf[n - 1], buf[n - 2]
        else:
            self._x[1] = self._x[0]
            self._x[0] = buf[0]
        self._y[1][:] = self._x
        self._y[2][:] = self._x

    def _run(self, buf: np.ndarray) -> None:
        n = buf.shape[0]
        x = self._work[:n]
        x[:] = buf
        targets = self._targets()
        weights = self._weights
        before = self._coefficients()
        after = self._coefficients() if self._glide(n) else None
        buf *= 0.0
        for kind in (0, 1, 2):
            start, end = weights[kind], self._toward(weights[kind], targets[kind], n)
            if kind and (start or end or targets[kind]):
                y = self._filtered(kind, x, before, after)
            elif kind:  # silent: its history follows the input, as when bypassed
                self._y[kind][0] = x[n - 1]
                self._y[kind][1] = x[n - 2] if n >= 2 else self._x[0]
                continue
            else:
                y = x
            if start == end == 1.0:
                buf += y
            elif start or end:
                ramp = start + (end - start) * self._ramp[:n] / n
                buf += y * ramp
            weights[kind] = end
        self._x[1] = x[n - 2] if n >= 2 else self._x[0]
        self._x[0] = x[n - 1]

    def _toward(self, start: float, target: float, n: int) -> float:
        step = self._blend_step * n
        return min(target, start + step) if target > start else max(target, start - step)

    def _filtered(self, kind: int, x: np.ndarray, before: tuple[float, float],
                  after: tuple[float, float] | None) -> np.ndarray:
        """Type `kind`'s output for input `x`, continuing from its own history: with the
        block's first coefficients, crossfaded (when they glide) into its last ones."""
        y = self._section(kind, x, *before)
        n = x.shape[0]
        if after is not None:
            ramp = self._ramp[:n] / n
            y += (self._section(kind, x, *after) - y) * ramp
        y_hist = self._y[kind]
        y1 = y_hist[0]
        y_hist[1] = y[n - 2] if n >= 2 else y1
        y_hist[0] = y[n - 1]
        return y

    def _section(self, kind: int, x: np.ndarray, cutoff: float, q: float) -> np.ndarray:
        """One biquad over `x`, its state rebuilt from the type's input / output history."""
        (b0, b1, b2), (_, a1, a2) = biquad(kind, cutoff, q, self.sample_rate)
        x1, x2 = self._x[0], self._x[1]
        y1, y2 = self._y[kind][0], self._y[kind][1]
        zi = np.empty((2, 2))
        zi[0] = b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        zi[1] = b2 * x1 - a2 * y1
        y, _ = lfilter((b0, b1, b2), (1.0, a1, a2), x, axis=0, zi=zi)
        return np.asarray(y)
