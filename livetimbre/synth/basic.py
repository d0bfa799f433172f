"""The `basic` synth: a small numpy synthesizer, used when FluidSynth is missing.

It knows General MIDI only by family (bass, keys, organ, pad, lead, pluck, strings,
drums) and shapes a few oscillators with envelopes. Deterministic: its noise comes
from fixed seeds.
"""

from __future__ import annotations

__all__ = ["BasicSynth"]

from collections.abc import Iterable
from fractions import Fraction

import numpy as np

from livetimbre.music.notes import Part
from livetimbre.synth.base import note_frames

_TAIL_SECONDS = 1.5


def _family(program: int) -> str:
    if 32 <= program <= 39:
        return "bass"
    if 16 <= program <= 23:
        return "organ"
    if program in range(88, 96) or program in range(48, 56):
        return "pad"
    if program in range(80, 88) or program in range(56, 80):
        return "lead"
    if program in range(24, 32) or program in range(104, 112) or program in (45, 46):
        return "pluck"
    return "keys"


def _envelope(n: int, hold: int, attack: float, decay: float, sustain: float,
              release: float, rate: int) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / rate
    a = max(attack, 1e-3)
    env = np.where(t < a, t / a, sustain + (1 - sustain) * np.exp(-(t - a) / max(decay, 1e-3)))
    held = hold / rate
    level_at_release = env[min(hold, n - 1)] if n else 0.0
    after = t >= held
    env[after] = level_at_release * np.exp(-(t[after] - held) / max(release, 1e-3))
    return env.astype(np.float32)


def _harmonics(phase: np.ndarray, numbers: Iterable[int]) -> np.ndarray:
    """A sum of sine partials k·phase at amplitude 1/k."""
    out = np.zeros_like(phase)
    for k in numbers:
        out += np.sin(k * phase) / k
    return out.astype(np.float32)


def _tone(family: str, freq: float, n: int, rate: int) -> np.ndarray:
    t = np.arange(n, dtype=np.float32) / rate
    phase = 2 * np.pi * freq * t
    if family == "bass":
        return (np.sin(phase) + 0.35 * np.sin(2 * phase) + 0.15 * np.sin(3 * phase)).astype(
            np.float32
        )
    if family == "organ":
        return _harmonics(phase, (1, 2, 3, 4, 6))
    if family == "pad":
        detune = 2 * np.pi * freq * 1.004 * t
        return (np.sin(phase) + np.sin(detune) + 0.3 * np.sin(2 * phase)).astype(np.float32)
    if family == "lead":
        return _harmonics(phase, range(1, 8))
    return (np.sin(phase) + 0.4 * np.sin(2 * phase) * np.exp(-3 * t)).astype(np.float32)


_ADSR = {  # attack, decay, sustain, release (seconds / level)
    "bass": (0.005, 0.25, 0.5, 0.08), "organ": (0.01, 0.1, 0.9, 0.08),
    "pad": (0.4, 1.0, 0.8, 1.0), "lead": (0.01, 0.3, 0.7, 0.15),
    "pluck": (0.002, 0.3, 0.0, 0.2), "keys": (0.003, 0.6, 0.2, 0.3),
}


def _drum(pitch: int, rate: int) -> np.ndarray:
    noise = np.random.default_rng(pitch).uniform(-1, 1, int(rate * 0.6)).astype(np.float32)
    t = np.arange(noise.size, dtype=np.float32) / rate
    if pitch in (35, 36):  # kick: a falling sine
        freq = 45 + 80 * np.exp(-t * 30)
        return (np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.exp(-t * 9)).astype(np.float32)
    if pitch in (41, 43, 45, 47, 48, 50):  # toms
        freq = (70 + (pitch - 41) * 12) * (1 + 0.5 * np.exp(-t * 20))
        return (np.sin(2 * np.pi * np.cumsum(freq) / rate) * np.exp(-t * 10)).astype(np.float32)
    if pitch in (38, 40, 39, 37):  # snare, clap, rim
        body = np.sin(2 * np.pi * 190 * t) * np.exp(-t * 25)
        return (0.6 * noise * np.exp(-t * 18) + 0.5 * body).astype(np.float32)
    highpassed = np.diff(noise, prepend=0.0)
    decay = 4.0 if pitch in (46, 49, 51, 52, 53, 55, 57, 59) else 40.0
    return (0.5 * highpassed * np.exp(-t * decay)).astype(np.float32)


class BasicSynth:
    """Oscillators and envelopes in numpy; always available."""

    name = "basic"

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._drums: dict[int, np.ndarray] = {}

    def describe(self) -> dict[str, str]:
        return {"synth": self.name, "soundfont": ""}

    def render(self, part: Part, samples_per_meter_beat: Fraction, frames: int) -> np.ndarray:
        rate = self.sample_rate
        out = np.zeros((frames + int(_TAIL_SECONDS * rate) + rate, 2), np.float32)
        family = _family(part.program)
        attack, decay, sustain, release = _ADSR[family]
        for note in part.notes:
            on, off = note_frames(note, samples_per_meter_beat)
            if on >= out.shape[0]:
                continue
            gain = (note.velocity / 127) ** 1.5 * 0.25
            if part.bank == 128:
                if note.pitch not in self._drums:
                    self._drums[note.pitch] = _drum(note.pitch, rate)
                wave = self._drums[note.pitch]
                pan = 0.5 + ((note.pitch * 7) % 11 - 5) / 20
            else:
                n = min(off - on + int(release * 5 * rate), out.shape[0] - on)
                freq = 440.0 * 2 ** ((note.pitch - 69) / 12)
                env = _envelope(n, off - on, attack, decay, sustain, release, rate)
                wave = _tone(family, freq, n, rate) * env
                pan = 0.5 + (note.pitch - 60) / 120
            n = min(wave.size, out.shape[0] - on)
            out[on:on + n, 0] += gain * (1 - pan) * 2 * wave[:n] * 0.7
            out[on:on + n, 1] += gain * pan * 2 * wave[:n] * 0.7
        return out
