"""The parent's handle on the audio process (see `engine.server`).

It mirrors what the control side needs to know: the frame count and underruns (shared
integers), the engine's event log, which slot's clip each layer plays, and a replica of
the transport's tempo map (rebuilt from the engine's tempo events), so displays and
tests can convert frames and bars exactly as the engine does. Listeners `subscribe`d
to the events get each new batch on the control loop.
"""

from __future__ import annotations

__all__ = ["AudioClient", "EventListener"]

import asyncio
import contextlib
import itertools
import os
import socket
import threading
from collections import deque
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from livetimbre.engine.commands import ClipId, ForgetClip
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.engine.messages import (
    AddLayer,
    AudioStarted,
    ClipComing,
    Events,
    Record,
    Recorded,
    RecordFailed,
    RecordStarted,
    RemoteCommand,
    Shutdown,
    Stopped,
    Submit,
    ToAudio,
)
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.server import AudioConfig, audio_main, send_from
from livetimbre.engine.transport import Transport
from livetimbre.errors import ConfigError, FileProblem, ValueProblem
from livetimbre.session.model import SlotKey
from livetimbre.system.processes import ChildProcess, SharedInts, shared_ints

EventListener = Callable[[list[EngineEvent]], None]
_Reply = RecordStarted | Recorded | RecordFailed | Stopped


class AudioClient:
    """Starts, drives and observes the audio process."""

    def __init__(self, config: AudioConfig) -> None:
        self.config = config
        self.sample_rate = config.sample_rate
        self.transport = Transport(config.sample_rate, config.tempo, config.meter)
        self.events: deque[EngineEvent] = deque(maxlen=100_000)
        self.name = ""
        self.note = ""
        self.callback_stats: dict[str, float] = {}  # from the audio process, after stop
        self._playing: dict[str, SlotKey | None] = {}
        self._since: dict[str, Fraction] = {}  # layer → the bar its clip (re)started on
        self._shared = shared_ints(4)
        self._child = ChildProcess(audio_main, (self._shared, config), name="livetimbre-audio",
                                   what="the audio process")
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._stored: dict[SlotKey | None, tuple[LoopClip, ClipId]] = {}  # newest per slot
        self._ids = itertools.count(1)
        self._replies: deque[_Reply] = deque()
        self._ended = False  # the audio process's end of the pipe closed
        self._reply_ready = threading.Condition()
        self._listeners: list[EventListener] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._receiver = threading.Thread(target=self._receive, name="livetimbre-audio-events",
                                          daemon=True)

    # --- lifecycle ------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        """Start the audio process and wait for its output to run. Called on a running
        asyncio loop, event listeners are called on that loop."""
        with contextlib.suppress(RuntimeError):
            self._loop = asyncio.get_running_loop()
        self._child.start()
        started = self._child.wait_ready(AudioStarted, ConfigError, timeout)
        self.name, self.note = started.name, started.note
        # Clip audio goes straight through the pipe's socket; a duplicate descriptor, so
        # the socket and the Connection each close their own.
        self._sock = socket.socket(fileno=os.dup(self._child.conn.fileno()))
        self._receiver.start()

    def stop(self) -> None:
        """Stop the output and end the audio process (its callback timings land in
        `callback_stats`)."""
        if not self._child.is_alive():
            return
        self._send(Shutdown())
        reply = self._wait_reply((Stopped,), 10, "stop")
        if isinstance(reply, Stopped):
            self.callback_stats = dict(reply.stats)
        self._child.stop(5)
        with self._send_lock:
            if self._sock is not None:
                self._sock.close()

    @property
    def pid(self) -> int | None:
        return self._child.pid

    # --- what the audio process publishes ---------------------------------------------
    @property
    def frame(self) -> int:
        return int(self._shared[0])

    @property
    def epoch_ns(self) -> int:
        """Monotonic ns at which frame 0 is heard (0 until the first block): the audio
        clock for followers (MIDI clock, Link)."""
        return int(self._shared[3])

    def heard_at(self, frame: int) -> float:
        """The monotonic time (s) at which `frame` is (or was) heard."""
        return (self.epoch_ns + frame * 1_000_000_000 // self.sample_rate) / 1e9

    def frame_heard_at(self, moment: float) -> int:
        """The frame heard at monotonic time `moment` (s)."""
        return (round(moment * 1e9) - self.epoch_ns) * self.sample_rate // 1_000_000_000

    @property
    def shared(self) -> SharedInts:
        """The shared integers (frame, underruns, errors, epoch_ns), for processes that
        follow the clock."""
        return self._shared

    @property
    def underruns(self) -> int:
        return int(self._shared[1])

    @property
    def errors(self) -> int:
        return int(self._shared[2])

    def playing_slot(self, layer: str) -> SlotKey | None:
        """The slot whose clip `layer` plays (None: stopped, or no slot)."""
        return self._playing.get(layer)

    def playing_since(self, layer: str) -> Fraction | None:
        """The bar on which `layer`'s playing clip started (or was swapped in at its loop
        start): its loop counts from there. None when the layer is stopped."""
        return self._since.get(layer) if self._playing.get(layer) is not None else None

    def subscribe(self, listener: EventListener) -> Callable[[], None]:
        """Call `listener` with each batch of new engine events, in order (on the loop
        the client was started on, if any); returns the function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unsubscribe

    def _receive(self) -> None:
        """The receiving thread: mirrors events, hands them on, queues replies."""
        while True:
            try:
                message = self._child.conn.recv()
            except (EOFError, OSError):
                with self._reply_ready:
                    self._ended = True
                    self._reply_ready.notify_all()
                return
            if isinstance(message, Events):
                for event in message.events:
                    self._observe(event)
                self._publish(list(message.events))
                continue
            with self._reply_ready:
                self._replies.append(message)
                self._reply_ready.notify_all()

    def _observe(self, event: EngineEvent) -> None:
        match event.kind:
            case EventKind.TEMPO if event.tempo is not None:
                self.transport.set_tempo(event.tempo, event.bar)
            case EventKind.REALIGN if event.end is not None:
                self.transport.stretch_bar(int(event.bar), event.end)
            case EventKind.LAUNCH | EventKind.SWAP:
                self._playing[event.layer] = event.slot
                self._since[event.layer] = event.bar
            case EventKind.STOP:
                self._playing[event.layer] = None
        self.events.append(event)

    def _publish(self, batch: list[EngineEvent]) -> None:
        loop = self._loop
        if loop is None:
            self._deliver(batch)
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
            loop.call_soon_threadsafe(self._deliver, batch)

    def _deliver(self, batch: list[EngineEvent]) -> None:
        for listener in list(self._listeners):
            listener(batch)

    def _wait_reply(self, kinds: tuple[type[_Reply], ...], timeout: float,
                    what: str) -> _Reply | None:
        """The first reply of one of `kinds`; None if the audio process ended first."""
        with self._reply_ready:
            ok = self._reply_ready.wait_for(
                lambda: self._ended or any(isinstance(r, kinds) for r in self._replies),
                timeout)
            if not ok:
                raise ConfigError(f"The audio process did not answer ({what}).")
            for reply in list(self._replies):
                if isinstance(reply, kinds):
                    self._replies.remove(reply)
                    return reply
        return None

    # --- commands ---------------------------------------------------------------------
    def _send(self, message: ToAudio) -> None:
        with self._send_lock:
            self._child.conn.send(message)

    def submit(self, command: RemoteCommand) -> None:
        """Send an engine command (clips named by the ids `store` returned)."""
        self._send(Submit(command))

    def store(self, clip: LoopClip) -> ClipId:
        """Ship `clip`'s audio to the engine's clip table once and return its id. The
        newest clip of a slot replaces the older one there."""
        known = self._stored.get(clip.slot)
        if known is not None:
            old, old_id = known
            if old.audio is clip.audio and (old.bars, old.samples_per_bar) == (
                clip.bars, clip.samples_per_bar
            ):
                return old_id
        clip_id = next(self._ids)
        assert self._sock is not None, "the audio process has not started"
        with self._send_lock:
            self._child.conn.send(ClipComing(clip_id, clip.audio.shape, clip.bars, clip.slot,
                                             clip.samples_per_bar))
            send_from(self._sock, clip.audio)
        if known is not None:
            self.submit(ForgetClip(known[1]))
        self._stored[clip.slot] = (clip, clip_id)
        return clip_id

    def add_channel(self, name: str) -> None:
        """Add a channel for layer `name` (built in the audio process)."""
        self._send(AddLayer(name))

    # --- recording ----------------------------------------------------------------------
    def start_recording(self, path: Path, max_frames: int | None = None) -> None:
        """Start recording to `path` (at most `max_frames`); FileProblem at once if the
        file cannot be made."""
        self._send(Record(path, max_frames))
        match self._wait_reply((RecordStarted, RecordFailed), 10, "recording"):
            case RecordFailed(message):
                raise FileProblem(message)

    def stop_recording(self) -> tuple[int, int, int]:
        """(frames, start frame, dropped frames) of the recording just finished."""
        self._send(Record(None))
        match self._wait_reply((Recorded, RecordFailed), 30, "recording"):
            case Recorded(frames, start, dropped):
                return frames, start, dropped
            case RecordFailed(message):
                raise ValueProblem(message)
        raise ConfigError("The audio process stopped unexpectedly.")
