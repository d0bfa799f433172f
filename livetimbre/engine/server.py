"""The audio process: the engine and its output live in a process of their own.

Nothing else runs Python there, so the audio callback never waits for the GIL behind
the REPL, the render dispatcher or the patch watcher. On a two-core machine a redraw
of the REPL's grid in the same process was enough to make JACK miss deadlines.

Parent → child over a socket pair (multiprocessing Connection), all from one thread:
`("clip", id, shape, bars, label, samples_per_bar)` followed by the raw float32 bytes,
`("forget", id)`, `("cmd", command)` with clips replaced by `ClipRef`s,
`("layer", name, add)`, `("quantize", q)`, `("record", path or None)`, `("stop",)`.
Child → parent: `("started", output name, note)` or `("error", message)`,
`("events", [...])`, `("recorded", frames, start, dropped)` or `("record_error", msg)`,
`("stopped", callback timing summary)`. Frame count, underruns and callback errors are
published in shared integers after every block.
"""

from __future__ import annotations

__all__ = ["AudioConfig", "ClipRef", "audio_main"]

import contextlib
import signal
import socket
from dataclasses import dataclass, replace
from fractions import Fraction
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.system.cpus import CpuPlan

CHUNK = 1 << 18  # bytes per socket call when moving clip audio


@dataclass(frozen=True)
class AudioConfig:
    sample_rate: int
    tempo: float
    meter: str
    layers: tuple[str, ...]
    quantize: str
    block_size: int
    output: str
    device: str | None
    cpus: CpuPlan | None = None  # the output's threads on `audio`, the rest on `others`


@dataclass(frozen=True)
class ClipRef:
    """A clip already sent to the audio process, by id."""

    id: int
    label: str


def receive_into(sock: socket.socket, target: np.ndarray) -> None:
    """Fill `target` from `sock` in chunks (each recv releases the GIL)."""
    view = target.data.cast("B")
    done = 0
    while done < len(view):
        got = sock.recv_into(view[done:done + CHUNK])
        if got == 0:
            raise EOFError("the audio connection closed mid-clip")
        done += got


def send_from(sock: socket.socket, source: np.ndarray) -> None:
    view = np.ascontiguousarray(source).data.cast("B")
    for start in range(0, len(view), CHUNK):
        sock.sendall(view[start:start + CHUNK])


class _Server:
    """The child side: engine, output, clip store, recorder."""

    def __init__(self, conn: Connection, shared: Any, config: AudioConfig) -> None:
        from livetimbre.engine.engine import Engine

        self.conn = conn
        self.sock = socket.socket(fileno=conn.fileno())
        self.shared = shared
        self.engine = Engine(config.sample_rate, config.tempo, config.meter,
                             list(config.layers), quantize=config.quantize,
                             block_size=config.block_size)
        self.clips: dict[int, Any] = {}
        self.sent_events = 0
        self.output: Any = None

    def resolve(self, command: Any) -> Any:
        """Swap ClipRefs in a command for the clips they name."""
        from livetimbre.engine.engine import Launch, LaunchScene, Replace

        if isinstance(command, Launch | Replace):
            ref: Any = command.clip
            return replace(command, clip=self.clips[ref.id])
        if isinstance(command, LaunchScene):
            refs: dict[str, Any] = dict(command.clips)
            clips = {k: (None if v is None else self.clips[v.id]) for k, v in refs.items()}
            return replace(command, clips=clips)
        return command

    def handle(self, message: tuple[Any, ...]) -> bool:
        from livetimbre.engine.engine import AddChannel, RemoveChannel
        from livetimbre.engine.mixer import LoopClip
        from livetimbre.engine.recorder import Recorder

        kind = message[0]
        if kind == "stop":
            return False
        if kind == "clip":
            clip_id, shape, bars, label, per_bar = message[1:]
            audio = np.empty(shape, np.float32)
            receive_into(self.sock, audio)
            self.clips[clip_id] = LoopClip(audio, bars, label, per_bar)
        elif kind == "forget":
            self.clips.pop(message[1], None)  # a player still using it keeps it alive
        elif kind == "cmd":
            self.engine.submit(self.resolve(message[1]))
        elif kind == "layer":
            name, add = message[1], message[2]
            self.engine.submit(AddChannel(self.engine.new_channel(name)) if add
                               else RemoveChannel(name))
        elif kind == "quantize":
            self.engine.quantize = message[1]
        elif kind == "record":
            self.record(message[1], Recorder)
        return True

    def record(self, path: Path | None, recorder_type: Any) -> None:
        if path is not None:
            try:
                self.output.recorder = recorder_type(path, self.engine.sample_rate)
            except Exception as exc:  # report to the parent; never crash the audio
                self.conn.send(("record_error", f"Cannot record to {path}: {exc}"))
            return
        recorder = self.output.recorder
        self.output.recorder = None
        if recorder is None:
            self.conn.send(("recorded", 0, 0, 0))
            return
        frames = recorder.stop()
        self.conn.send(("recorded", frames, recorder.start_frame or 0, recorder.dropped))

    def publish_events(self) -> None:
        logged = self.engine.events_logged
        new = min(logged - self.sent_events, len(self.engine.events))
        self.sent_events = logged
        if new > 0:
            events = list(self.engine.events)[-new:]
            self.conn.send(("events", [(e.frame, e.bar.numerator, e.bar.denominator, e.kind,
                                        e.layer, e.label) for e in events]))

    def run(self, config: AudioConfig) -> None:
        from livetimbre.engine.output import open_output
        from livetimbre.errors import LivetimbreError
        from livetimbre.system.cpus import pin_this_thread
        from livetimbre.system.realtime import tune_for_audio

        # The output's threads (PortAudio's, JACK's, the null output's) are started on
        # the audio CPU and inherit it; this thread, which receives clips and starts the
        # recorder's writer, then moves to the other CPUs, away from the callback.
        if config.cpus is not None:
            pin_this_thread(config.cpus.audio)
        try:
            self.output, note = open_output(config.output, self.engine, config.device,
                                            config.block_size)
        except LivetimbreError as exc:
            self.conn.send(("error", str(exc)))
            return
        self.output.published = self.shared
        tune_for_audio()
        self.output.start()
        if config.cpus is not None:
            pin_this_thread(config.cpus.others)
        self.conn.send(("started", self.output.name, note))
        try:
            running = True
            while running:
                if self.conn.poll(0.005):
                    running = self.handle(self.conn.recv())
                self.publish_events()
        except (EOFError, OSError):
            pass  # the parent is gone: stop cleanly
        finally:
            if self.output.recorder is not None:
                self.record(None, None)
            self.output.stop()
            self.publish_events()
            with contextlib.suppress(OSError):
                self.conn.send(("stopped", self.output.timer.summary()))


def audio_main(conn: Connection, shared: Any, config: AudioConfig) -> None:
    """Entry point of the audio process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _Server(conn, shared, config).run(config)


def event_from_wire(item: tuple[Any, ...]) -> Any:
    from livetimbre.engine.engine import EngineEvent

    frame, numerator, denominator, kind, layer, label = item
    return EngineEvent(frame, Fraction(numerator, denominator), kind, layer, label)
