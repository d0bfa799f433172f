"""The parent's handle on the audio process (see `engine.server`).

It mirrors what the control side needs to know: the frame count and underruns (shared
integers), the engine's event log, which clip each layer plays, and a replica of the
transport's tempo map (rebuilt from the engine's tempo events), so displays and tests
can convert frames and bars exactly as the engine does.
"""

from __future__ import annotations

__all__ = ["AudioClient"]

import multiprocessing
import os
import socket
import threading
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.engine.engine import (
    EngineCommand,
    EngineEvent,
    Launch,
    LaunchScene,
    Replace,
    SetLayer,
)
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.server import AudioConfig, ClipRef, audio_main, event_from_wire, send_from
from livetimbre.engine.transport import Transport
from livetimbre.errors import ConfigError, ValueProblem


class AudioClient:
    """Starts, drives and observes the audio process."""

    def __init__(self, config: AudioConfig) -> None:
        self.config = config
        self.sample_rate = config.sample_rate
        self.transport = Transport(config.sample_rate, config.tempo, config.meter)
        self.events: deque[EngineEvent] = deque(maxlen=100_000)
        self.events_logged = 0
        self.name = ""
        self.note = ""
        self.callback_stats: dict[str, float] = {}  # from the audio process, after stop
        self._playing: dict[str, str | None] = {}
        self._context = multiprocessing.get_context("spawn")
        self._shared = self._context.RawArray("q", 4)
        self._conn, child = self._context.Pipe(duplex=True)
        self._process = self._context.Process(
            target=audio_main, args=(child, self._shared, config), name="livetimbre-audio",
            daemon=True)
        self._child_end = child
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._sent: dict[int, tuple[np.ndarray, ClipRef]] = {}  # by id() of the audio
        self._ids = 0
        self._replies: deque[tuple[Any, ...]] = deque()
        self._reply_ready = threading.Condition()
        self._listener = threading.Thread(target=self._listen, name="livetimbre-audio-events",
                                          daemon=True)

    # --- lifecycle ------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        self._process.start()
        self._child_end.close()
        # Clip audio goes straight through the pipe's socket; a duplicate descriptor, so
        # the socket and the Connection each close their own.
        self._sock = socket.socket(fileno=os.dup(self._conn.fileno()))
        self._listener.start()
        reply = self._wait_reply(("started", "error"), timeout)
        if reply[0] == "error":
            raise ConfigError(str(reply[1]))
        self.name, self.note = reply[1], reply[2]

    def stop(self) -> None:
        if not self._process.is_alive():
            return
        self._send(("stop",))
        reply = self._wait_reply(("stopped",), 10)
        if len(reply) > 1:
            self.callback_stats = dict(reply[1])
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        with self._send_lock:
            if self._sock is not None:
                self._sock.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid

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
    def shared(self) -> Any:
        """The shared integers (frame, underruns, errors, epoch_ns), for processes that
        follow the clock."""
        return self._shared

    @property
    def underruns(self) -> int:
        return int(self._shared[1])

    @property
    def errors(self) -> int:
        return int(self._shared[2])

    def playing_label(self, layer: str) -> str | None:
        return self._playing.get(layer)

    def _listen(self) -> None:
        while True:
            try:
                message = self._conn.recv()
            except (EOFError, OSError):
                with self._reply_ready:
                    self._replies.append(("stopped",))
                    self._reply_ready.notify_all()
                return
            if message[0] == "events":
                for item in message[1]:
                    self._observe(event_from_wire(item))
                continue
            with self._reply_ready:
                self._replies.append(message)
                self._reply_ready.notify_all()

    def _observe(self, event: EngineEvent) -> None:
        if event.kind == "tempo":
            self.transport.set_tempo(float(event.label), event.bar)
        elif event.kind == "realign":
            self.transport.stretch_bar(int(event.bar), int(event.label))
        elif event.kind in ("launch", "replace"):
            self._playing[event.layer] = event.label
        elif event.kind == "stop":
            self._playing[event.layer] = None
        self.events.append(event)
        self.events_logged += 1

    def _wait_reply(self, kinds: tuple[str, ...], timeout: float) -> tuple[Any, ...]:
        with self._reply_ready:
            ok = self._reply_ready.wait_for(
                lambda: any(r[0] in kinds or r[0] == "stopped" for r in self._replies),
                timeout)
            if not ok:
                raise ConfigError(f"The audio process did not answer ({', '.join(kinds)}).")
            for reply in list(self._replies):
                if reply[0] in kinds or reply[0] == "stopped":
                    self._replies.remove(reply)
                    return reply
        raise ConfigError("The audio process stopped unexpectedly.")

    # --- commands ---------------------------------------------------------------------
    def _send(self, message: tuple[Any, ...]) -> None:
        with self._send_lock:
            self._conn.send(message)

    def _ref(self, clip: LoopClip) -> ClipRef:
        """Send `clip`'s audio once; later commands (and relaunches) name it by id."""
        known = self._sent.get(id(clip.audio))
        if known is not None and known[0] is clip.audio:
            return known[1]
        self._ids += 1
        ref = ClipRef(self._ids, clip.label)
        assert self._sock is not None
        with self._send_lock:
            self._conn.send(("clip", ref.id, clip.audio.shape, clip.bars, clip.label,
                             clip.samples_per_bar))
            send_from(self._sock, clip.audio)
        # The newest clip of a label replaces older ones in the audio process's store.
        for key, (_old, old_ref) in list(self._sent.items()):
            if old_ref.label == clip.label:
                del self._sent[key]
                self._send(("forget", old_ref.id))
        self._sent[id(clip.audio)] = (clip.audio, ref)
        return ref

    def submit(self, command: EngineCommand) -> None:
        """Send an engine command, shipping any clip it carries first."""
        if isinstance(command, Launch):
            wire: Any = Launch(command.layer, self._ref(command.clip), command.quantize,  # type: ignore[arg-type]
                               command.at_bar)
        elif isinstance(command, Replace):
            wire = Replace(command.layer, self._ref(command.clip), command.replaces)  # type: ignore[arg-type]
        elif isinstance(command, LaunchScene):
            clips = {k: (None if v is None else self._ref(v)) for k, v in command.clips.items()}
            wire = LaunchScene(clips, command.label, command.quantize, command.at_bar)  # type: ignore[arg-type]
        else:
            wire = command
        self._send(("cmd", wire))

    def set_layer(self, name: str, gain_db: float | None = None, muted: bool | None = None,
                  soloed: bool | None = None) -> None:
        self.submit(SetLayer(name, gain_db, muted, soloed))

    def add_layer(self, name: str) -> None:
        self._send(("layer", name, True))

    def remove_layer(self, name: str) -> None:
        self._send(("layer", name, False))

    def set_quantize(self, quantize: str) -> None:
        self._send(("quantize", quantize))

    # --- recording ----------------------------------------------------------------------
    def start_recording(self, path: Path) -> None:
        self._send(("record", path))

    def stop_recording(self) -> tuple[int, int, int]:
        """(frames, start frame, dropped frames) of the recording just finished."""
        self._send(("record", None))
        reply = self._wait_reply(("recorded", "record_error"), 30)
        if reply[0] == "record_error":
            raise ValueProblem(str(reply[1]))
        return int(reply[1]), int(reply[2]), int(reply[3])
