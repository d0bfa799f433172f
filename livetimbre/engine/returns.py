"""The send effects every layer shares: a tempo-synced delay and a reverb.

Each layer adds its audio, scaled by its send, into a bus (the rack's); once the
layers are mixed, `process` takes that bus and adds the effect's output to
the master. Both run on the audio thread: buffers are allocated up front, a block is
a handful of numpy slices and one scipy call, and an effect with nothing sent and its
tail died away costs nothing.
"""

from __future__ import annotations

__all__ = ["DelayReturn", "ReverbReturn"]

import math

import numpy as np

from livetimbre.engine.filter import iir
from livetimbre.music.effects import FX
from livetimbre.music.values import MIN_TEMPO

_SILENT = 1e-5  # a tail below this peak (-100 dBFS) has died away
_FADE_MS = 30.0  # a delay time change crossfades between the two taps over this


class DelayReturn:
    """A stereo delay: `delay_time` beats at the current tempo, `feedback`, its repeats
    darkened a little each time round (a one-pole lowpass in the loop)."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.sample_rate = sample_rate
        self.delay_beats = FX["delay_time"].default
        self.feedback = FX["feedback"].default
        longest = FX["delay_time"].high * 60 / MIN_TEMPO * sample_rate
        self._size = int(longest) + 2 * max_block + 1
        self._line = np.zeros((self._size, 2), np.float32)
        self._write = 0
        self._delay = 0  # frames, as applied; 0 until the first block
        self._old_delay = 0  # the tap faded out after a time change
        self._fade_left = 0
        self._fade = max(1, round(_FADE_MS / 1000 * sample_rate))
        self._applied_feedback = self.feedback
        self._damp = (np.array([0.35], np.float32), np.array([1.0, -0.65], np.float32))
        self._damp_state = np.zeros((1, 2), np.float32)  # a gentle one-pole lowpass
        self._wet = np.zeros((max_block, 2), np.float32)
        self._ringing = 0  # frames of tail left to play with nothing sent

    @property
    def ringing(self) -> bool:
        """Whether repeats may still sound."""
        return self._ringing > 0

    def _frames(self, samples_per_beat: float) -> int:
        return max(1, min(self._size - 1, round(self.delay_beats * samples_per_beat)))

    def process(self, out: np.ndarray, bus: np.ndarray, sent: bool,
                samples_per_beat: float) -> None:
        """Add the delay's output for the next len(out) frames into `out`; `bus` holds
        what the layers sent (`sent`: whether any did; else it is silent)."""
        n = out.shape[0]
        wanted = self._frames(samples_per_beat)
        if sent:  # rings until its repeats fall 100 dB
            repeats = math.log(_SILENT) / math.log(min(0.99, max(self.feedback, 0.01)))
            self._ringing = round(max(wanted, self._delay) * (1 + math.ceil(repeats)))
        elif self._ringing <= 0:
            return
        if self._delay == 0:
            self._delay = wanted
        elif wanted != self._delay and self._fade_left == 0:
            self._old_delay, self._delay, self._fade_left = self._delay, wanted, self._fade
        done = 0
        while done < n:
            count = min(n - done, self._delay, self._old_delay if self._fade_left else n)
            self._chunk(out[done:done + count], bus[done:done + count], count)
            done += count
        self._ringing -= n

    def _read(self, delay: int, dst: np.ndarray) -> None:
        start = (self._write - delay) % self._size
        take = min(dst.shape[0], self._size - start)
        dst[:take] = self._line[start:start + take]
        dst[take:] = self._line[:dst.shape[0] - take]

    def _chunk(self, out: np.ndarray, sent: np.ndarray, n: int) -> None:
        wet = self._wet[:n]
        self._read(self._delay, wet)
        if self._fade_left:
            old = np.empty_like(wet)
            self._read(self._old_delay, old)
            position = self._fade - self._fade_left
            k = np.minimum(np.arange(position + 1, position + n + 1), self._fade)[:, None]
            wet *= np.float32(1.0) * (k / self._fade).astype(np.float32)
            wet += old * (1 - k / self._fade).astype(np.float32)
            self._fade_left = max(0, self._fade_left - n)
        out += wet
        feedback = self.feedback
        if feedback == self._applied_feedback:
            looped = wet * np.float32(feedback)
        else:
            looped = wet * np.linspace(self._applied_feedback, feedback, n,
                                       dtype=np.float32)[:, None]
            self._applied_feedback = feedback
        damped, self._damp_state = iir(*self._damp, looped, 0, self._damp_state)
        back = sent + damped
        start = self._write
        take = min(n, self._size - start)
        self._line[start:start + take] = back[:take]
        self._line[:n - take] = back[take:]
        self._write = (start + n) % self._size


# Delay line lengths at 48 kHz: mutually prime, 23 to 69 ms.
_LINES_48K = (1109, 1327, 1559, 1801, 2053, 2357, 2749, 3299)
_HADAMARD = np.array([[1.0]])
for _ in range(3):
    _HADAMARD = np.block([[_HADAMARD, _HADAMARD], [_HADAMARD, -_HADAMARD]])
_MIX = (_HADAMARD / math.sqrt(8)).astype(np.float32)


class ReverbReturn:
    """A feedback delay network of eight lines (Hadamard mixing, lowpass damping):
    `room` 0..1 sets how long it rings (0.3 to 6 seconds to fall by 60 dB).

    The lines share one ring buffer and one write position; line i reads the frame
    written `length[i]` frames ago, so a block of up to the shortest length is read
    before it is written."""

    def __init__(self, sample_rate: int, max_block: int) -> None:
        self.sample_rate = sample_rate
        self.room = FX["room"].default
        self._lengths = [round(n * sample_rate / 48000) for n in _LINES_48K]
        self._shortest = min(self._lengths)
        self._size = max(self._lengths) + self._shortest
        self._ring = np.zeros((8, self._size), np.float32)  # a row per line
        self._write = 0
        self._gains = np.ones((8, 1), np.float32)
        self._room_applied = -1.0
        self._damp = (np.array([0.55], np.float32), np.array([1.0, -0.45], np.float32))
        self._damp_state = np.zeros((8, 1), np.float32)
        self._signs = (np.array([1, 1, -1, 1, 1, -1, 1, 1], np.float32) * 0.35)[:, None]
        self._mix_t = np.ascontiguousarray(_MIX.T)
        self._taps = np.zeros((8, max_block), np.float32)
        self._ringing = 0
        self._seconds = 1.0

    @property
    def ringing(self) -> bool:
        """Whether its tail may still sound."""
        return self._ringing > 0

    def _set_room(self) -> None:
        self._seconds = 0.3 * 20.0 ** self.room  # 0.3 s .. 6 s to fall 60 dB
        for i, length in enumerate(self._lengths):
            self._gains[i, 0] = 10 ** (-3 * length / (self._seconds * self.sample_rate))
        self._room_applied = self.room

    def process(self, out: np.ndarray, bus: np.ndarray, sent: bool) -> None:
        """Add the reverb's output for the next len(out) frames into `out`; `bus` holds
        what the layers sent (`sent`: whether any did)."""
        n = out.shape[0]
        if self.room != self._room_applied:
            self._set_room()
        if sent:  # rings until it falls 100 dB
            self._ringing = round(5 / 3 * self._seconds * self.sample_rate)
        elif self._ringing <= 0:
            return
        done = 0
        while done < n:
            count = min(n - done, self._shortest)
            self._chunk(out[done:done + count], bus[done:done + count], count)
            done += count
        self._ringing -= n

    def _chunk(self, out: np.ndarray, sent: np.ndarray, n: int) -> None:
        taps = self._taps[:, :n]
        ring, size = self._ring, self._size
        for i, length in enumerate(self._lengths):
            start = (self._write - length) % size
            take = min(n, size - start)
            taps[i, :take] = ring[i, start:start + take]
            if take < n:
                taps[i, take:] = ring[i, :n - take]
        out[:, 0] += taps[0::2].sum(axis=0) * np.float32(0.5)
        out[:, 1] += taps[1::2].sum(axis=0) * np.float32(0.5)
        mixed = self._mix_t @ taps
        mixed *= self._gains
        back, self._damp_state = iir(*self._damp, mixed, 1, self._damp_state)
        back += (sent[:, 0] + sent[:, 1]) * self._signs
        start = self._write
        take = min(n, size - start)
        ring[:, start:start + take] = back[:, :take]
        if take < n:
            ring[:, :n - take] = back[:, take:]
        self._write = (start + n) % size
