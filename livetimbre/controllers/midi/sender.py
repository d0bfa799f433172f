"""The control loop's side of the MIDI sender process: start it, schedule, stop it."""

from __future__ import annotations

__all__ = ["ALL_NOTES_OFF", "ALL_SOUND_OFF", "APPEND", "MidiSender"]

import contextlib

from livetimbre.controllers.midi.messages import (
    Finish,
    MidiEvent,
    Schedule,
    SenderStats,
    SendNow,
    Stopped,
    ToSender,
)
from livetimbre.controllers.midi.sender_process import SenderConfig, sender_main
from livetimbre.errors import ConfigError
from livetimbre.live.surface import SurfaceContext
from livetimbre.system.processes import ChildProcess

ALL_SOUND_OFF, ALL_NOTES_OFF = 120, 123
APPEND = 1 << 62  # a `schedule` from this frame replaces nothing: it adds


class MidiSender:
    """One sender process for every frame-timed MIDI output of a run."""

    def __init__(self, ctx: SurfaceContext, ports: list[tuple[str, str]]) -> None:
        self._say = ctx.say
        self.port_count = len(ports)
        config = SenderConfig(ctx.clock.sample_rate, tuple(ports), ctx.cpus,
                              tuple(self.silence()))
        self._child = ChildProcess(sender_main, (ctx.clock.shared, config),
                                   name="livetimbre-midi", what="the MIDI sender process")
        self.stats: SenderStats | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start the process and wait until its ports are open."""
        self._child.start()
        self._child.wait_ready(type(None), ConfigError, timeout)

    def silence(self) -> list[tuple[int, bytes]]:
        """All notes off and all sound off, on every channel of every port."""
        return [(port, bytes([0xB0 | channel, control, 0])) for port in range(self.port_count)
                for channel in range(16) for control in (ALL_NOTES_OFF, ALL_SOUND_OFF)]

    def schedule(self, stream: str, from_frame: int, events: list[MidiEvent]) -> None:
        """Replace `stream`'s events at or after `from_frame` with `events`."""
        self._send(Schedule(stream, from_frame, events))

    def now(self, port: int, messages: list[bytes]) -> None:
        """Send `messages` on `port` at once."""
        self._send(SendNow(port, messages))

    def stop(self, last: list[tuple[int, bytes]]) -> SenderStats | None:
        """Send `last` (port, bytes) at once, end the process; returns its figures."""
        if not self._child.is_alive():
            return self.stats
        self._send(Finish(last))
        conn = self._child.conn
        with contextlib.suppress(EOFError, OSError):
            reply = conn.recv() if conn.poll(5) else None
            if isinstance(reply, Stopped):
                self.stats = reply.stats
        self._child.stop(5)
        conn.close()
        return self.stats

    def _send(self, message: ToSender) -> None:
        try:
            self._child.conn.send(message)
        except OSError:
            self._say("MIDI sender stopped; MIDI out is off until restart")
