"""The mixer: looping players, equal-power crossfades, layer gain/mute/solo, master limiter.

Everything here runs inside `Engine.process`, i.e. on the audio thread: no locks, no
I/O, no logging, and only small temporary arrays; the scratch buffers are allocated
once up front.
"""

from __future__ import annotations

__all__ = ["LayerChannel", "LoopClip", "MasterBus", "Player", "crossfade_curves"]

import math
from collections import deque
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from livetimbre.engine.transport import Transport
from livetimbre.session.model import SlotKey


@dataclass(frozen=True, eq=False)
class LoopClip:
    """A ready loop: float32 (frames, 2) audio lasting `bars` bars.

    `samples_per_bar` is the bar length the audio was rendered at (None: its length
    divided by `bars`). When the transport's tempo differs, each bar of the clip still
    starts on a bar line, so an old render stays in time until its re-render arrives.
    """

    audio: np.ndarray
    bars: int
    slot: SlotKey | None = None  # the slot it was rendered for, if any
    samples_per_bar: Fraction | None = None

    def bar_offset(self, index: int) -> int:
        """Where bar `index` (wrapping) starts in the audio."""
        per_bar = self.samples_per_bar or Fraction(self.audio.shape[0], self.bars)
        return math.floor((index % self.bars) * per_bar + Fraction(1, 2))


def crossfade_curves(length: int) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power (sin, cos) fade-in and fade-out curves, shaped (length, 1)."""
    x = (np.arange(length, dtype=np.float64) + 0.5) / length * (math.pi / 2)
    return (np.sin(x).astype(np.float32)[:, None], np.cos(x).astype(np.float32)[:, None])


class Player:
    """Plays one clip in a loop; each of its bars starts exactly on a bar line.

    While the clip's tempo matches the transport, the audio runs on continuously (bar
    lines land within a sample of the clip's own). When they differ, the player jumps to
    the clip's next bar at each bar line, crossfading from the audio it was playing.
    """

    def __init__(
        self, clip: LoopClip, start_bar: Fraction, transport: Transport, fade: np.ndarray
    ) -> None:
        self.clip = clip
        self._transport = transport
        self._start_bar = start_bar
        self._fade_in = fade
        self._old = np.zeros((fade.shape[0], 2), np.float32)
        self._bar = 0
        self._pass_start = transport.frame_at(start_bar)
        self._pass_end = transport.frame_at(start_bar + 1)
        self._source = 0
        self._jumped_from: int | None = None

    def next_loop_start(self, frame: int) -> tuple[int, Fraction]:
        """The frame and bar where the clip's first bar next starts, at or after `frame`."""
        bars = self.clip.bars
        k = self._bar - self._bar % bars + bars
        while self._transport.frame_at(self._start_bar + k) < frame:
            k += bars
        return self._transport.frame_at(self._start_bar + k), self._start_bar + k

    def _advance(self) -> None:
        length = self.clip.audio.shape[0]
        continued = (self._source + self._pass_end - self._pass_start) % length
        self._bar += 1
        self._pass_start = self._pass_end
        self._pass_end = self._transport.frame_at(self._start_bar + self._bar + 1)
        self._source = self.clip.bar_offset(self._bar)
        distance = abs(continued - self._source)
        self._jumped_from = continued if min(distance, length - distance) > 1 else None

    def read(self, frame: int, dst: np.ndarray) -> None:
        """Copy the clip's audio for frames [frame, frame + len(dst)) into `dst`."""
        done = 0
        count = dst.shape[0]
        fade = self._fade_in.shape[0]
        while done < count:
            now = frame + done
            while now >= self._pass_end:
                self._advance()
            into_pass = now - self._pass_start
            take = min(count - done, self._pass_end - now)
            chunk = dst[done:done + take]
            self._copy(self._source + into_pass, chunk)
            if self._jumped_from is not None and into_pass < fade:
                k = min(take, fade - into_pass)
                old = self._old[:k]
                self._copy(self._jumped_from + into_pass, old)
                ramp = self._fade_in[into_pass:into_pass + k]
                chunk[:k] *= ramp
                chunk[:k] += old * (1.0 - ramp * ramp) ** 0.5
            done += take

    def _copy(self, position: int, dst: np.ndarray) -> None:
        """Copy audio from `position` on, wrapping at the clip's end, into `dst`."""
        audio = self.clip.audio
        length = audio.shape[0]
        done = 0
        position %= length
        while done < dst.shape[0]:
            take = min(dst.shape[0] - done, length - position)
            dst[done:done + take] = audio[position:position + take]
            done += take
            position = 0


class LayerChannel:
    """One layer's strip: the current player, players fading out, gain, mute, solo."""

    def __init__(self, name: str, max_block: int, fade: int,
                 retired: deque[object] | None = None) -> None:
        self.name = name
        # Players done fading go here, to be freed off the audio thread (the engine's).
        self.retired: deque[object] = deque() if retired is None else retired
        self.gain = 1.0
        self.muted = False
        self.soloed = False
        self.player: Player | None = None
        self._fade_in_at = 0  # frames into the current player's fade-in
        self._fading: list[tuple[Player, int]] = []
        self._applied_gain = 1.0
        self._scratch = np.zeros((max_block, 2), np.float32)
        self._fade_in, self._fade_out = crossfade_curves(fade)

    @property
    def fade_in(self) -> np.ndarray:
        return self._fade_in

    @property
    def active(self) -> bool:
        return self.player is not None or bool(self._fading)

    def switch(self, player: Player | None) -> None:
        """Replace the current player (None = stop), crossfading from the old one."""
        if self.player is not None:
            self._fading.append((self.player, 0))
        self.player = player
        self._fade_in_at = 0

    def mix_into(self, out: np.ndarray, frame: int, audible: bool) -> None:
        """Add this layer's audio for [frame, frame + len(out)) into `out`."""
        n = out.shape[0]
        target = self.gain if audible else 0.0
        scratch = self._scratch[:n]
        if self.player is not None:
            self.player.read(frame, scratch)
            fade = self._fade_in.shape[0]
            if self._fade_in_at < fade:
                k = min(n, fade - self._fade_in_at)
                scratch[:k] *= self._fade_in[self._fade_in_at:self._fade_in_at + k]
                self._fade_in_at += k
            self._add_with_gain(out, scratch, target)
        still_fading = []
        for player, position in self._fading:
            fade = self._fade_out.shape[0]
            k = min(n, fade - position)
            player.read(frame, scratch[:k])
            scratch[:k] *= self._fade_out[position:position + k]
            self._add_with_gain(out[:k], scratch[:k], self._applied_gain, ramp=False)
            if position + k < fade:
                still_fading.append((player, position + k))
            else:
                self.retired.append(player)
        self._fading = still_fading
        self._applied_gain = target

    def _add_with_gain(
        self, out: np.ndarray, audio: np.ndarray, target: float, ramp: bool = True
    ) -> None:
        start = self._applied_gain
        if not ramp or start == target:
            if target != 0.0:
                out += audio * np.float32(target)
            return
        n = out.shape[0]
        steps = np.linspace(start, target, n, dtype=np.float32)[:, None]
        out += audio * steps


class MasterBus:
    """Master gain and a peak limiter that never lets a sample past the ceiling."""

    def __init__(self, gain_db: float, ceiling_db: float, sample_rate: int, max_block: int):
        self.gain = float(10 ** (gain_db / 20))
        self.ceiling = float(10 ** (ceiling_db / 20))
        self._reduction = 1.0
        self._release_per_frame = 10 ** (20.0 / 20 / sample_rate)  # recovers 20 dB/s
        self._scratch = np.zeros((max_block, 2), np.float32)
        self.limited_blocks = 0

    def process(self, out: np.ndarray) -> None:
        """Apply gain and limiting to `out` in place."""
        n = out.shape[0]
        out *= np.float32(self.gain)
        self._reduction = min(1.0, self._reduction * self._release_per_frame ** n)
        peak = float(np.abs(out, out=self._scratch[:n]).max()) if n else 0.0
        if peak * self._reduction > self.ceiling:
            self._reduction = self.ceiling / peak
            self.limited_blocks += 1
        if self._reduction < 1.0:
            out *= np.float32(self._reduction)
