"""A layer's resonant lowpass / highpass filter, smoothed so a swept knob never zips.

Runs on the audio thread (inside `Engine.process`): scalar maths and a few small
numpy / scipy calls per block, no locks, no I/O. The cutoff glides in log-frequency
(a one-pole over `GLIDE_MS`), the coefficients following it block by block. When they
change, the recursion's state is rebuilt from the type's last inputs and outputs (a
direct form I, in effect: the state is the signal itself, so new coefficients never
meet a stale internal state, the cause of zipper noise in a transposed direct form).
Mode changes and bypass crossfade the dry and filtered signals over `BLEND_MS`.
"""

from __future__ import annotations

__all__ = ["BLEND_MS", "GLIDE_MS", "LayerFilter", "biquad", "iir"]

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.signal import lfilter

from livetimbre.music.effects import FX

GLIDE_MS = 25.0  # time constant of the cutoff and resonance glide
BLEND_MS = 20.0  # dry / lowpass / highpass crossfade time
_Q_LOW, _Q_HIGH = 0.7071, 12.0  # resonance 0 → Butterworth, 1 → a ringing peak
_SETTLED = 1e-3  # log-cutoff (0.1 %) / resonance difference treated as arrived


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


def _lfilter_fallback(b: np.ndarray, a: np.ndarray, x: np.ndarray, axis: int,
                      zi: np.ndarray) -> Any:
    return lfilter(b, a, x, axis=axis, zi=zi)


def _iir() -> Callable[[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray], Any]:
    """scipy's C recursion without `lfilter`'s argument checks (a third of its time on a
    256-frame block), when this scipy has it; else `lfilter`."""
    try:
        from scipy.signal._sigtools import _linear_filter
    except ImportError:  # pragma: no cover - another scipy
        return _lfilter_fallback
    return _linear_filter  # type: ignore[no-any-return]


iir = _iir()


def _push(history: np.ndarray, row: int, signal: np.ndarray) -> None:
    """Keep `signal`'s last two frames (newest first) in history[row], history[row + 1]."""
    n = signal.shape[0]
    if n >= 2:
        history[row:row + 2] = signal[n - 2:n][::-1]
    else:
        history[row + 1] = history[row]
        history[row] = signal[0]


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
        self._applied = (self.cutoff, _q(self.resonance))  # the cutoff and Q gliding
        # The last two inputs, newest first, per channel; per type: [x[n-1], x[n-2],
        # y[n-1], y[n-2]] (its inputs copied in when its state is rebuilt), whether it
        # was heard last block, its coefficients and the state `lfilter` left (valid
        # while the coefficients stay the same).
        self._inputs = np.zeros((2, 2))
        self._history = [np.zeros((4, 2)) for _ in range(3)]
        self._heard = [True, False, False]
        self._coefficients: list[tuple[float, float] | None] = [None, None, None]
        self._b = [np.zeros(3) for _ in range(3)]
        self._a = [np.ones(3) for _ in range(3)]
        self._state = [np.zeros((2, 2)) for _ in range(3)]
        self._rebuild = np.zeros((2, 4))
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
        self._applied = (self.cutoff, _q(self.resonance))
        self._weights = self._targets()

    def process(self, buf: np.ndarray) -> None:
        """Filter `buf` (float32, (n, 2)), the layer's next audio, in place."""
        n = buf.shape[0]
        if n == 0 or self.bypassed:
            return
        x = self._work[:n]
        x[:] = buf
        targets = self._targets()
        self._glide(n)
        settings = self._applied
        weights = self._weights
        if weights == targets and targets[0] == 0.0:
            kind = 1 if targets[1] else 2  # the steady case: one type, fully wet
            buf[:] = self._filtered(kind, x, settings)
            self._heard[3 - kind] = False
        else:
            mixed = x * weights[0] if weights[0] == targets[0] else self._faded(x, 0,
                                                                              targets[0])
            for kind in (1, 2):
                if weights[kind] or targets[kind]:
                    y = self._filtered(kind, x, settings)
                    mixed += (y * weights[kind] if weights[kind] == targets[kind]
                              else self._faded(y, kind, targets[kind]))
                else:
                    self._heard[kind] = False
            buf[:] = mixed
        _push(self._inputs, 0, x)

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
        self._applied = (math.exp(self._log_cutoff), _q(self._resonance))
        return True

    def _faded(self, y: np.ndarray, kind: int, target: float) -> np.ndarray:
        """`y` times type `kind`'s weight, ramping toward `target` at the blend rate."""
        n = y.shape[0]
        start = self._weights[kind]
        step = self._blend_step if target > start else -self._blend_step
        ramp = np.clip(start + step * self._ramp[:n], min(start, target), max(start, target))
        self._weights[kind] = float(ramp[n - 1, 0])
        return np.asarray(y * ramp)

    def _filtered(self, kind: int, x: np.ndarray, settings: tuple[float, float]
                  ) -> np.ndarray:
        """Type `kind`'s output for input `x` at `settings` (cutoff, Q)."""
        if not self._heard[kind]:  # back after silence: as if it had passed the input
            self._history[kind][2:4] = self._inputs
            self._coefficients[kind] = None
            self._heard[kind] = True
        y: np.ndarray = self._section(kind, x, settings)
        _push(self._history[kind], 2, y)
        return y

    def _section(self, kind: int, x: np.ndarray, settings: tuple[float, float]) -> Any:
        """One biquad over `x`. With the coefficients of the last block it continues
        from the state that block left; with new ones, from a state rebuilt from the
        type's input / output history (a direct form I, in effect)."""
        b, a = self._b[kind], self._a[kind]
        if settings != self._coefficients[kind]:
            history = self._history[kind]
            history[0:2] = self._inputs  # (the inputs before this block)
            (b0, b1, b2), (_, a1, a2) = biquad(kind, *settings, self.sample_rate)
            b[0], b[1], b[2], a[1], a[2] = b0, b1, b2, a1, a2
            rebuild = self._rebuild  # state = rebuild @ [x1, x2, y1, y2]
            rebuild[0, 0], rebuild[0, 1], rebuild[0, 2], rebuild[0, 3] = b1, b2, -a1, -a2
            rebuild[1, 0], rebuild[1, 2] = b2, -a2
            np.dot(rebuild, history, out=self._state[kind])
            self._coefficients[kind] = settings
        y, self._state[kind] = iir(b, a, x, 0, self._state[kind])
        return y
