"""A process that sends MIDI at engine frames: clock ticks, start/stop, notes.

The control loop schedules events by the frame at which they should be heard; this
process turns each frame into a moment on the monotonic clock through the epoch the
audio process publishes (frame f is heard at epoch + f / rate), sleeps until then and
sends. It has a GIL of its own, so nothing in the REPL or the OSC server delays a tick,
and, once set up, runs on the audio CPU just below the audio thread's real-time
priority: its work is a few microseconds per event. It never owns time (DESIGN §4): it
only reads the audio clock.

It is a `ChildProcess` speaking `controllers.midi.messages`: `Schedule` replaces a
stream's events from a frame on, `SendNow` sends at once, `Finish` sends its last
messages, replies `Stopped` with the figures and ends. If the control process
vanishes, the farewell (all notes off) goes out before it ends.
"""

from __future__ import annotations

__all__ = ["SenderConfig", "sender_main"]

import contextlib
import heapq
import itertools
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from livetimbre.controllers.midi.messages import (
    Finish,
    Schedule,
    SenderStats,
    SendNow,
    Stopped,
    ToSender,
)
from livetimbre.system.cpus import CpuPlan, pin_process
from livetimbre.system.processes import Ready, SharedInts, StartFailed

if TYPE_CHECKING:
    from livetimbre.system.midi_ports import MidiOutput

CLOCK_TICK = 0xF8
COARSE_WAIT = 0.002  # wait on the pipe until this close to the next event, then sleep
PRIORITY = 5  # SCHED_FIFO, below JACK's and the audio thread's


@dataclass(frozen=True)
class SenderConfig:
    """What the sender process needs (picklable)."""

    sample_rate: int
    ports: tuple[tuple[str, str], ...]  # (port name, label of livetimbre's own port)
    cpus: CpuPlan | None = None
    farewell: tuple[tuple[int, bytes], ...] = ()  # sent if the control process vanishes


class _Sender:
    def __init__(self, conn: Connection, shared: SharedInts, config: SenderConfig) -> None:
        self.conn = conn
        self.shared = shared
        self.rate = config.sample_rate
        self.queue: list[tuple[int, int, int, str, int, bytes]] = []
        self.order = itertools.count()
        self.stats = SenderStats()
        self.ports: list[MidiOutput] = []

    def due_ns(self, frame: int) -> int:
        return int(self.shared[3]) + frame * 1_000_000_000 // self.rate

    def handle(self, message: ToSender) -> bool:
        """Act on one message; False once told to finish."""
        match message:
            case Schedule(stream, from_frame, events):
                self.queue = [e for e in self.queue if e[3] != stream or e[0] < from_frame]
                for frame, priority, port, data in events:
                    self.queue.append((frame, priority, next(self.order), stream, port, data))
                heapq.heapify(self.queue)
            case SendNow(port, messages):
                for data in messages:
                    self.send(port, data)
            case Finish(last):
                for port, data in last:
                    self.send(port, data)
                return False
        return True

    def send(self, port: int, data: bytes) -> None:
        with contextlib.suppress(Exception):  # an unplugged port: the rest go on
            self.ports[port].send_bytes(list(data))
        self.stats.sent += 1

    def run(self) -> None:
        while True:
            if not self.queue:
                if self.conn.poll(0.1) and not self.handle(self.conn.recv()):
                    return
                continue
            wait = (self.due_ns(self.queue[0][0]) - time.monotonic_ns()) / 1e9
            if wait > COARSE_WAIT:
                if self.conn.poll(wait - COARSE_WAIT) and not self.handle(self.conn.recv()):
                    return
                continue
            if wait > 0:
                time.sleep(wait)
            self.send_due()

    def send_due(self) -> None:
        now = time.monotonic_ns()
        while self.queue and self.due_ns(self.queue[0][0]) <= now:
            frame, _priority, _order, _stream, port, data = heapq.heappop(self.queue)
            sent = time.monotonic_ns()
            self.send(port, data)
            due = self.due_ns(frame)
            if sent - due > 1_000_000:
                self.stats.late += 1
            if data == bytes([CLOCK_TICK]):
                self.stats.tick_due_ns.append(due)
                self.stats.tick_sent_ns.append(sent)


def sender_main(conn: Connection, shared: SharedInts, config: SenderConfig) -> None:
    """Entry point of the MIDI sender process."""
    from livetimbre.errors import LivetimbreError
    from livetimbre.system.midi_ports import MidiOutput

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    sender = _Sender(conn, shared, config)
    try:
        sender.ports = [MidiOutput(name, label) for name, label in config.ports]
    except LivetimbreError as exc:
        conn.send(StartFailed(str(exc)))
        return
    # Only now, with the imports and the ports' set-up (page faults, allocation) done
    # off it, does the whole process move to the audio CPU.
    if config.cpus is not None:
        pin_process(config.cpus.audio)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(PRIORITY))
    conn.send(Ready(None))
    try:
        sender.run()
    except (EOFError, OSError):  # the parent is gone (killed): leave no note hanging
        for port, data in config.farewell:
            sender.send(port, data)
    finally:
        with contextlib.suppress(OSError):
            conn.send(Stopped(sender.stats))
        for output in sender.ports:
            output.close()
