"""A process that sends MIDI at engine frames: clock ticks, start/stop, notes.

The control loop schedules events by the frame at which they should be heard; this
process turns each frame into a moment on the monotonic clock through the epoch the
audio process publishes (frame f is heard at epoch + f / rate), sleeps until then and
sends. It has a GIL of its own, so nothing in the REPL or the OSC server delays a tick,
and, once set up, runs on the audio CPU just below the audio thread's real-time
priority: its work is a few microseconds per event. It never owns time (DESIGN §4): it
only reads the audio clock.

Pipe protocol (from the control loop): ("schedule", stream, from_frame, events) drops
the stream's queued events at or after `from_frame` and queues `events`, a list of
(frame, priority, port, bytes); ("now", port, [bytes, ...]) sends at once; ("stop",
[(port, bytes), ...]) sends those last, replies ("stopped", stats) and ends.
"""

from __future__ import annotations

__all__ = ["SenderConfig", "SenderStats", "sender_main"]

import contextlib
import heapq
import itertools
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from livetimbre.system.cpus import CpuPlan, pin_process

CLOCK_TICK = 0xF8
COARSE_WAIT = 0.002  # wait on the pipe until this close to the next event, then sleep
PRIORITY = 5  # SCHED_FIFO, below JACK's and the audio thread's


@dataclass(frozen=True)
class SenderConfig:
    sample_rate: int
    ports: tuple[tuple[str, str], ...]  # (port name, label of livetimbre's own port)
    cpus: CpuPlan | None = None
    farewell: tuple[tuple[int, bytes], ...] = ()  # sent if the control process vanishes


@dataclass
class SenderStats:
    """What the sender measured: for each clock tick, when it was due and when sent
    (monotonic ns), and how many events went out after their moment by > 1 ms."""

    tick_due_ns: list[int] = field(default_factory=list)
    tick_sent_ns: list[int] = field(default_factory=list)
    sent: int = 0
    late: int = 0


class _Sender:
    def __init__(self, conn: Connection, shared: Any, config: SenderConfig) -> None:
        self.conn = conn
        self.shared = shared
        self.rate = config.sample_rate
        self.queue: list[tuple[int, int, int, str, int, bytes]] = []
        self.order = itertools.count()
        self.stats = SenderStats()
        self.ports: list[Any] = []

    def due_ns(self, frame: int) -> int:
        return int(self.shared[3]) + frame * 1_000_000_000 // self.rate

    def handle(self, message: tuple[Any, ...]) -> bool:
        kind = message[0]
        if kind == "schedule":
            _, stream, from_frame, events = message
            self.queue = [e for e in self.queue if e[3] != stream or e[0] < from_frame]
            for frame, priority, port, data in events:
                self.queue.append((frame, priority, next(self.order), stream, port, data))
            heapq.heapify(self.queue)
        elif kind == "now":
            _, port, messages = message
            for data in messages:
                self.send(port, data)
        elif kind == "stop":
            for port, data in message[1]:
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


def sender_main(conn: Connection, shared: Any, config: SenderConfig) -> None:
    """Entry point of the MIDI sender process."""
    from livetimbre.errors import LivetimbreError
    from livetimbre.system.midi_ports import MidiOutput

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    sender = _Sender(conn, shared, config)
    try:
        sender.ports = [MidiOutput(name, label) for name, label in config.ports]
    except LivetimbreError as exc:
        conn.send(("error", str(exc)))
        return
    # Only now, with the imports and the ports' set-up (page faults, allocation) done
    # off it, does the whole process move to the audio CPU.
    if config.cpus is not None:
        pin_process(config.cpus.audio)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(PRIORITY))
    conn.send(("ready",))
    try:
        sender.run()
    except (EOFError, OSError):  # the parent is gone (killed): leave no note hanging
        for port, data in config.farewell:
            sender.send(port, data)
    finally:
        with contextlib.suppress(OSError):
            conn.send(("stopped", sender.stats))
        for port in sender.ports:
            port.close()
