"""The audio process: the engine and its output live in a process of their own.

Nothing else runs Python there, so the audio callback never waits for the GIL behind
the REPL, the render dispatcher or the patch watcher. On a two-core machine a redraw
of the REPL's grid in the same process was enough to make JACK miss deadlines.

It is a `ChildProcess`: it answers its start with `Ready(AudioStarted)` or
`StartFailed`, then serves the messages of `engine.messages`, all on one thread:
commands for the engine's queue, clips (whose raw bytes follow `ClipComing` on the
pipe's socket), recording, shutdown. It sends the engine's new events as `Events`.
Frame count, underruns, callback errors and the epoch are published in shared
integers after every block.
"""

from __future__ import annotations

__all__ = ["AudioConfig", "audio_main", "receive_into", "send_from"]

import contextlib
import signal
import socket
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from livetimbre.engine.commands import AddChannel, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.messages import (
    AddLayer,
    AudioStarted,
    ClipComing,
    Events,
    Record,
    Recorded,
    RecordFailed,
    RecordStarted,
    Shutdown,
    Stopped,
    Submit,
    ToAudio,
)
from livetimbre.engine.mixer import LoopClip
from livetimbre.system.cpus import CpuPlan
from livetimbre.system.processes import Ready, SharedInts, StartFailed

if TYPE_CHECKING:
    from livetimbre.engine.output import Output

CHUNK = 1 << 18  # bytes per socket call when moving clip audio
MESSAGES_PRIORITY = 1  # SCHED_FIFO of the message thread: below every audio thread


@dataclass(frozen=True)
class AudioConfig:
    """What the audio process needs to open its engine and output (picklable)."""

    sample_rate: int
    tempo: float
    meter: str
    layers: tuple[str, ...]
    quantize: str
    block_size: int
    output: str
    device: str | None
    cpus: CpuPlan | None = None  # the output's threads on `audio`, the rest on `others`


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
    """Send `source`'s bytes through `sock` in chunks (for `receive_into`)."""
    view = np.ascontiguousarray(source).data.cast("B")
    for start in range(0, len(view), CHUNK):
        sock.sendall(view[start:start + CHUNK])


class _Server:
    """The child side: engine, output, recorder."""

    def __init__(self, conn: Connection, shared: SharedInts, config: AudioConfig) -> None:
        self.conn = conn
        self.sock = socket.socket(fileno=conn.fileno())
        self.shared = shared
        self.engine = Engine(config.sample_rate, config.tempo, config.meter,
                             list(config.layers), quantize=config.quantize,
                             block_size=config.block_size)
        self.output: Output | None = None

    def handle(self, message: ToAudio) -> bool:
        """Act on one message; False once told to shut down."""
        match message:
            case Shutdown():
                return False
            case ClipComing(clip_id, shape, bars, slot, per_bar):
                audio = np.empty(shape, np.float32)
                receive_into(self.sock, audio)
                self.engine.submit(StoreClip(clip_id, LoopClip(audio, bars, slot, per_bar)))
            case Submit(command):
                self.engine.submit(command)
            case AddLayer(name):
                self.engine.submit(AddChannel(self.engine.new_channel(name)))
            case Record(path, max_frames):
                self.record(path, max_frames)
        return True

    def record(self, path: Path | None, max_frames: int | None = None) -> None:
        from livetimbre.engine.recorder import Recorder

        assert self.output is not None
        if path is not None:
            try:
                self.output.recorder = Recorder(path, self.engine.sample_rate,
                                                max_frames=max_frames)
            except Exception as exc:  # report to the parent; never crash the audio
                self.conn.send(RecordFailed(f"Cannot record to {path}: {exc}"))
            else:
                self.conn.send(RecordStarted())
            return
        recorder = self.output.recorder
        self.output.recorder = None
        if recorder is None:
            self.conn.send(Recorded(0, 0, 0))
            return
        frames = recorder.stop()
        self.conn.send(Recorded(frames, recorder.start_frame or 0, recorder.dropped))

    def publish_events(self) -> None:
        """Send the engine's events logged since the last call (the one place that does).

        They are taken from the engine's outbox one by one: copying the whole log (up to
        100,000 events once effects are swept) would hold the GIL the callback needs."""
        outbox = self.engine.outbox
        new = []
        while outbox:
            new.append(outbox.popleft())
        if new:
            self.conn.send(Events(tuple(new)))

    def run(self, config: AudioConfig) -> None:
        from livetimbre.engine.output import open_output
        from livetimbre.errors import LivetimbreError
        from livetimbre.system.cpus import pin_this_thread
        from livetimbre.system.realtime import realtime_thread, tune_for_audio

        # The output's threads (PortAudio's, JACK's, the null output's) are started on
        # the audio CPU and inherit it; this thread, which receives clips and starts the
        # recorder's writer, then moves to the other CPUs, away from the callback.
        if config.cpus is not None:
            pin_this_thread(config.cpus.audio)
        try:
            output, note = open_output(config.output, self.engine, config.device,
                                       config.block_size)
        except LivetimbreError as exc:
            self.conn.send(StartFailed(str(exc)))
            return
        self.output = output
        output.published = self.shared
        tune_for_audio()
        output.start()
        if config.cpus is not None:
            pin_this_thread(config.cpus.others)
        # This thread takes the GIL for a moment at every message (50 a second while a
        # knob turns). Preempted by any ordinary process in such a moment, it kept the
        # callback waiting for the GIL 9-30 ms (measured: most underruns of the soak
        # with effects). Real-time at the lowest priority, nothing but the audio's own
        # threads preempts it; it spends its time asleep in `poll`. The recorder's writer,
        # started from here, inherits that, for the same reason.
        realtime_thread(MESSAGES_PRIORITY)
        self.conn.send(Ready(AudioStarted(output.name, note)))
        try:
            running = True
            while running:
                if self.conn.poll(0.005):
                    running = self.handle(self.conn.recv())
                self.publish_events()
                self.engine.drop_retired()
        except (EOFError, OSError):
            pass  # the parent is gone: stop cleanly
        finally:
            if output.recorder is not None:
                self.record(None)
            output.stop()
            self.publish_events()
            with contextlib.suppress(OSError):
                self.conn.send(Stopped(output.timer.summary()))


def audio_main(conn: Connection, shared: SharedInts, config: AudioConfig) -> None:
    """Entry point of the audio process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    _Server(conn, shared, config).run(config)
