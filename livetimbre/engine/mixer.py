"""The mixer: looping players, equal-power crossfades, release fades at stops, layer
gain/mute/solo, master limiter.

Everything here runs inside `Engine.process`, i.e. on the audio thread: no locks, no
I/O, no logging; the scratch buffers and fade curves are built before they reach it, and
layer strips mix in place into them.
"""

from __future__ import annotations

__all__ = [
    "LayerChannel",
    "LoopClip",
    "MasterBus",
    "Player",
    "Tail",
    "crossfade_curves",
    "release_curve",
]

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
    # What follows the loop's last pass when the layer stops on its end: its notes'
    # release, ending in silence; None (or empty): such a stop fades like any other.
    tail: np.ndarray | None = None

    def bar_offset(self, index: int) -> int:
        """Where bar `index` (wrapping) starts in the audio."""
        per_bar = self.samples_per_bar or Fraction(self.audio.shape[0], self.bars)
        return math.floor((index % self.bars) * per_bar + Fraction(1, 2))


def crossfade_curves(length: int) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power (sin, cos) fade-in and fade-out curves, shaped (length, 1)."""
    x = (np.arange(length, dtype=np.float64) + 0.5) / length * (math.pi / 2)
    return (np.sin(x).astype(np.float32)[:, None], np.cos(x).astype(np.float32)[:, None])


def release_curve(frames: int) -> np.ndarray:
    """A raised-cosine fade from 1 to 0 over `frames` samples (the last is 0), shaped
    (frames, 1): its largest step is π / (2 × frames) of the signal's level."""
    x = (np.arange(frames, dtype=np.float64) + 1) / frames * math.pi
    return (0.5 * (1 + np.cos(x))).astype(np.float32)[:, None]


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


class Tail:
    """A stopped clip's tail, from frame `start` on (then silence)."""

    def __init__(self, clip: LoopClip, audio: np.ndarray, start: int) -> None:
        self.clip = clip
        self.audio = audio
        self.start = start

    def read(self, frame: int, dst: np.ndarray) -> None:
        offset = frame - self.start
        take = max(0, min(dst.shape[0], self.audio.shape[0] - offset))
        dst[:take] = self.audio[offset:offset + take]
        dst[take:] = 0.0


class _Ending:
    """Something still sounding after its layer moved on: a player fading out along
    `curve`, or a tail played to its end (`curve` None)."""

    def __init__(self, source: Player | Tail, curve: np.ndarray | None, length: int) -> None:
        self.source = source
        self.curve = curve
        self.length = length
        self.position = 0


class LayerChannel:
    """One layer's strip: the current player, what still sounds after it (crossfades,
    releases, tails), gain, mute, solo.

    A stop releases along the strip's release curve (`set_release`), or, when it falls
    on the end of a loop pass of a clip with a tail, plays that tail; a clip replaced by
    another crossfades over the short equal-power fade; a panic stop fades over that
    short fade too.
    """

    def __init__(self, name: str, max_block: int, fade: int,
                 retired: deque[object] | None = None, release: int | None = None,
                 effects: object = None) -> None:
        self.name = name
        self.effects = effects  # the layer's filter and sends (`engine.effects`), if any
        # Players done fading go here, to be freed off the audio thread (the engine's).
        self.retired: deque[object] = deque() if retired is None else retired
        self.gain = 1.0
        self.muted = False
        self.soloed = False
        self.player: Player | None = None
        self._fade_in_at = 0  # frames into the current player's fade-in
        self._ending: list[_Ending] = []
        self._applied_gain = 1.0
        self._scratch = np.zeros((max_block, 2), np.float32)
        self._ramp = np.zeros((max_block, 1), np.float32)
        self._steps = np.arange(max_block, dtype=np.float32)[:, None]
        self._fade_in, self._fade_out = crossfade_curves(fade)
        self._release = release_curve(release or fade)

    @property
    def fade_in(self) -> np.ndarray:
        return self._fade_in

    @property
    def release_frames(self) -> int:
        return int(self._release.shape[0])

    @property
    def active(self) -> bool:
        return self.player is not None or bool(self._ending)

    def set_release(self, curve: np.ndarray) -> None:
        """Use `curve` (built off the audio thread) for later stops; the old one retires."""
        self.retired.append(self._release)
        self._release = curve

    def switch(self, player: Player) -> None:
        """Replace the current player, crossfading from the old one."""
        old = self.player
        if old is not None:
            self._ending.append(_Ending(old, self._fade_out, self._fade_out.shape[0]))
        self.player = player
        self._fade_in_at = 0

    def stop(self, frame: int, panic: bool = False) -> None:
        """Stop at `frame`: the clip's tail if `frame` ends a loop pass and the clip has
        one, else the release fade (the short fade when `panic`)."""
        old = self.player
        if old is None:
            return
        tail = old.clip.tail
        if panic:
            ending = _Ending(old, self._fade_out, self._fade_out.shape[0])
        elif tail is not None and tail.shape[0] and old.next_loop_start(frame)[0] == frame:
            ending = _Ending(Tail(old.clip, tail, frame), None, tail.shape[0])
            self.retired.append(old)
        else:
            ending = _Ending(old, self._release, self._release.shape[0])
        self._ending.append(ending)
        self.player = None

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
        index = 0
        while index < len(self._ending):
            ending = self._ending[index]
            k = min(n, ending.length - ending.position)
            part = scratch[:k]
            ending.source.read(frame, part)
            if ending.curve is not None:
                part *= ending.curve[ending.position:ending.position + k]
            self._add_with_gain(out[:k], part, self._applied_gain, ramp=False)
            ending.position += k
            if ending.position < ending.length:
                index += 1
            else:
                self.retired.append(self._ending.pop(index))
        self._applied_gain = target

    def _add_with_gain(
        self, out: np.ndarray, audio: np.ndarray, target: float, ramp: bool = True
    ) -> None:
        """out += audio × gain, in place (`audio` is scratch): a linear ramp from the
        gain applied last to `target` when they differ and `ramp`."""
        start = self._applied_gain
        if not ramp or start == target:
            if target != 0.0:
                if target != 1.0:
                    audio *= np.float32(target)
                out += audio
            return
        n = out.shape[0]
        steps = self._ramp[:n]
        np.multiply(self._steps[:n], np.float32((target - start) / max(1, n - 1)), out=steps)
        steps += np.float32(start)
        audio *= steps
        out += audio


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
