"""The engine: commands in, audio out, every change at its exact sample.

`Engine.process(frames)` is the one audio path: the live sounddevice callback, the
real-time null output and the offline renderer all call it, so an offline render is a
faithful replay of a performance. Commands arrive through `submit` (any thread) and
are scheduled at the next quantization boundary, or at an explicit bar. Clips go into
the engine's clip table first (`StoreClip`); commands (`engine.commands`) name them by id.
Layers mix through the effects rack (`engine.effects`: filters, sends, delay, reverb,
stutter, tape stop); `SetEffect` changes it, and each change is logged as an `fx` event.
"""

from __future__ import annotations

__all__ = ["Engine"]

import bisect
import itertools
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from livetimbre.engine.commands import (
    AddChannel,
    ChangeQuantize,
    ChangeTempo,
    ClipId,
    EngineCommand,
    ForgetClip,
    Realign,
    RemoveChannel,
    SetChannel,
    SetEffect,
    SetRelease,
    StartClip,
    StartScene,
    StopChannel,
    StoreClip,
    SwapClip,
    Timed,
)
from livetimbre.engine.effects import EffectsRack, LayerEffects
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.mixer import LayerChannel, LoopClip, MasterBus, Player, release_curve
from livetimbre.engine.transport import Transport
from livetimbre.music.values import DEFAULT_RELEASE_MS, check_release_ms


@dataclass(frozen=True)
class _ReleaseCurve:
    """SetRelease with its curve built by `Engine.submit`, off the audio thread."""

    layer: str
    curve: np.ndarray


# What the audio thread drains: SetRelease arrives as _ReleaseCurve.
_Queued = (
    StoreClip | ForgetClip | StartClip | StopChannel | StartScene | SetChannel | _ReleaseCurve
    | SetEffect | ChangeTempo | ChangeQuantize | Realign | SwapClip | AddChannel | RemoveChannel
)


@dataclass(order=True)
class _Scheduled:
    frame: int
    rank: int  # 0: moves bar lines (tempo, realign), applied before launches on the frame
    order: int
    bar: Fraction = field(compare=False)
    command: Timed | SwapClip | Realign | SetEffect = field(compare=False)
    # The clips the command names, looked up when it arrived (forgetting them later
    # does not cancel it): layer → clip, None for a layer a scene stops.
    clips: dict[str, LoopClip | None] = field(compare=False, default_factory=dict)


class Engine:
    """Transport + mixer. Only `process` touches audio; `submit` is thread-safe."""

    def __init__(
        self,
        sample_rate: int,
        tempo: float,
        meter: str,
        layers: list[str],
        *,
        quantize: str = "1M",
        block_size: int = 256,
        fade_ms: float = 3.0,
        master_gain_db: float = -6.0,
        ceiling_db: float = -0.3,
        max_block: int = 8192,
        log_size: int = 100_000,
    ) -> None:
        self.sample_rate = sample_rate
        self.block_size = block_size
        self.quantize = quantize
        self.transport = Transport(sample_rate, tempo, meter)
        self._fade = max(1, round(fade_ms * sample_rate / 1000))
        self._release = self._release_frames(DEFAULT_RELEASE_MS)  # until a SetRelease
        self._max_block = max(max_block, block_size)
        # Forgotten clips and players done fading, so that their megabytes are freed by
        # another thread (`drop_retired`), never by the audio callback: freeing memory
        # another thread allocated can wait on that thread's malloc arena.
        self.retired: deque[object] = deque()
        self.effects = EffectsRack(sample_rate, self._max_block, self.transport)
        self.channels = {name: self.new_channel(name) for name in layers}
        self.master = MasterBus(master_gain_db, ceiling_db, sample_rate, self._max_block)
        self.frame = 0
        self.events: deque[EngineEvent] = deque(maxlen=log_size)
        self.events_logged = 0  # ever, so readers can tell what is new in the bounded log
        # The same events for one reader on another thread to take (popleft) as they
        # come: append and popleft are atomic, so it never copies or walks the log.
        self.outbox: deque[EngineEvent] = deque(maxlen=log_size)
        self._inbox: deque[_Queued] = deque()
        self._schedule: list[_Scheduled] = []
        self._order = itertools.count()
        self._clips: dict[ClipId, LoopClip] = {}  # only the thread running `process` uses it

    def _release_frames(self, ms: float) -> int:
        return max(1, round(check_release_ms(ms) * self.sample_rate / 1000))

    def new_channel(self, name: str) -> LayerChannel:
        """A layer strip sized for this engine (for AddChannel)."""
        return LayerChannel(name, self._max_block, self._fade, self.retired, self._release,
                            self.effects.new_layer())

    def _log(self, event: EngineEvent) -> None:
        self.events.append(event)
        self.outbox.append(event)
        self.events_logged += 1

    def submit(self, command: EngineCommand) -> None:
        """Queue a command; safe from any thread (deque append is atomic). Never called
        by the audio thread, so a release curve is built here."""
        if isinstance(command, SetRelease):
            curve = release_curve(self._release_frames(command.ms))
            self._inbox.append(_ReleaseCurve(command.layer, curve))
        else:
            self._inbox.append(command)

    def drop_retired(self) -> None:
        """Free the clips the engine has let go of (call from any thread but the one
        running `process`)."""
        while self.retired:
            self.retired.popleft()

    def process(self, frames: int, out: np.ndarray | None = None) -> np.ndarray:
        """Render the next `frames` frames of master output (into `out` when given)."""
        if out is None:
            out = np.zeros((frames, 2), np.float32)
        else:
            out[:frames] = 0.0
        position = 0
        while position < frames:
            count = min(frames - position, self._max_block)
            self._process_block(out[position:position + count])
            position += count
        return out

    def _process_block(self, out: np.ndarray) -> None:
        self._drain_inbox()
        start = self.frame
        end = start + out.shape[0]
        cursor = start
        while self._schedule and self._schedule[0].frame < end:
            item = self._schedule.pop(0)
            if item.frame > cursor:
                self._mix(out[cursor - start:item.frame - start], cursor, cursor - start)
                cursor = item.frame
            self._apply(item)
        if cursor < end:
            self._mix(out[cursor - start:], cursor, cursor - start)
        self.effects.finish(out, start)
        self.master.process(out)
        self.frame = end

    def _drain_inbox(self) -> None:
        while self._inbox:
            command = self._inbox.popleft()
            match command:
                case StoreClip(clip_id, stored):
                    self._clips[clip_id] = stored
                case ForgetClip(clip_id):
                    forgotten = self._clips.pop(clip_id, None)
                    if forgotten is not None:  # freed by the thread that empties `retired`
                        self.retired.append(forgotten)
                case ChangeQuantize(quantize):
                    self.quantize = quantize
                case SetChannel():
                    self._set_channel(command)
                case SetEffect(at_frame=at_frame):
                    if at_frame is None:
                        self._set_effect(command, self.frame)
                    else:
                        frame = max(self.frame, at_frame)
                        self._enqueue(frame, 1, self.transport.bar_at(frame), command)
                case _ReleaseCurve(layer, curve):
                    channel = self.channels.get(layer)
                    if channel is not None:
                        channel.set_release(curve)
                case AddChannel() | RemoveChannel():
                    self._change_channels(command)
                case SwapClip(layer, clip_id):
                    channel = self.channels.get(layer)
                    clip = self._clips.get(clip_id)
                    if channel is not None and channel.player is not None and clip is not None:
                        frame, bar = channel.player.next_loop_start(self.frame)
                        self._enqueue(frame, 1, bar, command, {layer: clip})
                case Realign(bar):
                    frame = max(self.frame, self.transport.frame_at(bar))
                    self._enqueue(frame, 0, Fraction(bar), command)
                case _:
                    self._schedule_timed(command)

    def _schedule_timed(self, command: Timed) -> None:
        if command.at_bar is not None:
            bar = Fraction(command.at_bar)
            frame = max(self.frame, self.transport.frame_at(bar))
        else:
            frame, bar = self.transport.next_boundary(
                self.frame, command.quantize or self.quantize
            )
        clips: dict[str, LoopClip | None] = {}
        if isinstance(command, StartClip):
            clip = self._clips.get(command.clip)
            if clip is None:
                return  # never stored, or forgotten: nothing to start
            clips[command.layer] = clip
        elif isinstance(command, StartScene):
            for layer, clip_id in command.clips.items():
                if clip_id is None:
                    clips[layer] = None
                elif clip_id in self._clips:
                    clips[layer] = self._clips[clip_id]
        rank = 0 if isinstance(command, ChangeTempo) else 1
        self._enqueue(frame, rank, bar, command, clips)

    def _enqueue(self, frame: int, rank: int, bar: Fraction,
                 command: Timed | SwapClip | Realign | SetEffect,
                 clips: dict[str, LoopClip | None] | None = None) -> None:
        bisect.insort(self._schedule, _Scheduled(frame, rank, next(self._order), bar, command,
                                                 clips or {}))

    def _change_channels(self, command: AddChannel | RemoveChannel) -> None:
        """Copy-on-write, so threads reading `channels` always see a whole dict."""
        channels = dict(self.channels)
        if isinstance(command, AddChannel):
            channels.setdefault(command.channel.name, command.channel)
        else:
            channels.pop(command.layer, None)
        self.channels = channels

    def _set_channel(self, command: SetChannel) -> None:
        channel = self.channels.get(command.layer)
        if channel is None:
            return
        if command.gain_db is not None:
            channel.gain = float(10 ** (command.gain_db / 20))
        if command.muted is not None:
            channel.muted = command.muted
        if command.soloed is not None:
            channel.soloed = command.soloed

    def _set_effect(self, command: SetEffect, frame: int) -> None:
        """Apply an effect change at `frame` and log it (a value it already has is not)."""
        layer = command.layer
        if layer is None:
            if not self.effects.set_master(command.param, command.value, frame):
                return
        else:
            channel = self.channels.get(layer)
            effects = channel.effects if channel is not None else None
            if not isinstance(effects, LayerEffects) or not effects.set(command.param,
                                                                         command.value):
                return
            if channel is not None and not channel.active:
                effects.settle()  # nothing sounds: no glide needed
        self._log(EngineEvent(frame, self.transport.bar_at(frame), EventKind.FX, layer or "",
                              param=command.param, value=command.value))

    def _apply(self, item: _Scheduled) -> None:
        match item.command:
            case SetEffect():
                self._set_effect(item.command, item.frame)
            case StartScene(scene=scene):
                for name, clip in item.clips.items():
                    if clip is not None:
                        self._launch(name, clip, item)
                    else:
                        self._stop(name, item)
                self._log(EngineEvent(item.frame, item.bar, EventKind.SCENE, scene=scene))
            case StartClip(layer):
                self._launch(layer, item.clips[layer], item)
            case ChangeTempo(bpm):
                self.transport.set_tempo(bpm, item.bar)
                self._log(EngineEvent(item.frame, item.bar, EventKind.TEMPO, tempo=bpm))
                self._retime(item.frame)
            case Realign(bar, end):
                on_time = item.frame == self.transport.frame_at(item.bar)
                if on_time and self.transport.stretch_bar(bar, end):
                    self._log(EngineEvent(item.frame, item.bar, EventKind.REALIGN, end=end))
                    self._retime(item.frame)
            case SwapClip(layer, _, replaces):
                channel = self.channels.get(layer)
                clip = item.clips[layer]
                if channel is not None and channel.player is not None and clip is not None and (
                    channel.player.clip.slot == replaces
                ):
                    self._launch(layer, clip, item, EventKind.SWAP)
            case StopChannel(layer):
                self._stop(layer, item)

    def _retime(self, now: int) -> None:
        """Bar lines moved: scheduled commands keep their bar, so their frames follow."""
        for item in self._schedule:
            item.frame = max(now, self.transport.frame_at(item.bar))
        self._schedule.sort()

    def _launch(self, name: str, clip: LoopClip | None, item: _Scheduled,
                kind: EventKind = EventKind.LAUNCH) -> None:
        channel = self.channels.get(name)
        if channel is None or clip is None:
            return
        channel.switch(Player(clip, item.bar, self.transport, channel.fade_in))
        self._log(EngineEvent(item.frame, item.bar, kind, name, clip.slot))

    def _stop(self, name: str, item: _Scheduled) -> None:
        channel = self.channels.get(name)
        if channel is None or channel.player is None:
            return
        panic = isinstance(item.command, StopChannel) and item.command.panic
        channel.stop(item.frame, panic)
        self._log(EngineEvent(item.frame, item.bar, EventKind.STOP, name))

    def _mix(self, out: np.ndarray, frame: int, offset: int) -> None:
        any_solo = any(c.soloed for c in self.channels.values())
        for channel in self.channels.values():
            if channel.active:
                audible = not channel.muted and (channel.soloed or not any_solo)
                self.effects.mix(channel, out, frame, offset, audible)
