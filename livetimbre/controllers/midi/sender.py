"""The control loop's side of the MIDI sender process: start it, schedule, stop it."""

from __future__ import annotations

__all__ = ["ALL_NOTES_OFF", "ALL_SOUND_OFF", "APPEND", "MidiEvent", "MidiSender"]

import multiprocessing
from typing import Any

from livetimbre.controllers.midi.sender_process import SenderConfig, SenderStats, sender_main
from livetimbre.errors import ConfigError
from livetimbre.live.surface import SurfaceContext

MidiEvent = tuple[int, int, int, bytes]  # frame, priority (lower first), port, bytes
ALL_SOUND_OFF, ALL_NOTES_OFF = 120, 123
APPEND = 1 << 62  # a `schedule` from this frame replaces nothing: it adds


class MidiSender:
    """One sender process for every frame-timed MIDI output of a run."""

    def __init__(self, ctx: SurfaceContext, ports: list[tuple[str, str]]) -> None:
        self._say = ctx.say
        self.port_count = len(ports)
        self._context = multiprocessing.get_context("spawn")
        self._conn, child = self._context.Pipe(duplex=True)
        config = SenderConfig(ctx.clock.sample_rate, tuple(ports), ctx.cpus,
                              tuple(self.silence()))
        self._process = self._context.Process(
            target=sender_main, args=(child, ctx.clock.shared, config),
            name="livetimbre-midi", daemon=True)
        self._child = child
        self.stats: SenderStats | None = None

    def start(self, timeout: float = 10.0) -> None:
        self._process.start()
        self._child.close()
        if not self._conn.poll(timeout):
            raise ConfigError("The MIDI sender process did not start.")
        reply = self._conn.recv()
        if reply[0] == "error":
            self._process.join(2)
            raise ConfigError(str(reply[1]))

    def silence(self) -> list[tuple[int, bytes]]:
        """All notes off and all sound off, on every channel of every port."""
        return [(port, bytes([0xB0 | channel, control, 0])) for port in range(self.port_count)
                for channel in range(16) for control in (ALL_NOTES_OFF, ALL_SOUND_OFF)]

    def schedule(self, stream: str, from_frame: int, events: list[MidiEvent]) -> None:
        """Replace `stream`'s events at or after `from_frame` with `events`."""
        self._send(("schedule", stream, from_frame, events))

    def now(self, port: int, messages: list[bytes]) -> None:
        self._send(("now", port, messages))

    def stop(self, last: list[tuple[int, bytes]]) -> SenderStats | None:
        """Send `last` (port, bytes) at once, end the process; returns its figures."""
        if not self._process.is_alive():
            return self.stats
        self._send(("stop", last))
        if self._conn.poll(5):
            reply: Any = self._conn.recv()
            if reply[0] == "stopped":
                self.stats = reply[1]
        self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
        self._conn.close()
        return self.stats

    def _send(self, message: tuple[Any, ...]) -> None:
        try:
            self._conn.send(message)
        except OSError:
            self._say("MIDI sender stopped; MIDI out is off until restart")
