"""The frame-timed MIDI outputs of a run: clock out and notes out, on one sender."""

from __future__ import annotations

__all__ = ["MidiOutputs"]

from livetimbre.controllers.midi.clock import ClockOut
from livetimbre.controllers.midi.messages import SenderStats
from livetimbre.controllers.midi.notes import NotesOut
from livetimbre.controllers.midi.sender import MidiSender
from livetimbre.live.surface import SurfaceContext
from livetimbre.system.midi_ports import resolve_output


class MidiOutputs:
    """`--clock-out` and `--midi-out`; ports are resolved on construction, so a wrong
    name fails before the audio starts. /panic and every way out silence every note."""

    def __init__(self, ctx: SurfaceContext, clock_out: str | None, midi_out: str | None,
                 layers: tuple[str, ...] = ()) -> None:
        self._ctx = ctx
        ports: list[tuple[str, str]] = []
        if clock_out is not None:
            ports.append((resolve_output(clock_out, "--clock-out"), "clock out"))
        if midi_out is not None:
            ports.append((resolve_output(midi_out, "--midi-out"), "notes out"))
        self.port_names = [name for name, _label in ports]
        self.sender = MidiSender(ctx, ports)
        self.clock: ClockOut | None = None
        self._clock_port = 0 if clock_out is not None else None
        self._notes_port = len(ports) - 1 if midi_out is not None else None
        self._layers = layers
        self.notes: NotesOut | None = None
        self.stats: SenderStats | None = None

    async def start(self) -> list[str]:
        self.sender.start()
        self._ctx.on_panic(self.panic)
        lines = []
        if self._clock_port is not None:
            self.clock = ClockOut(self._ctx, self.sender, self._clock_port)
            self.clock.start()
            lines.append(f"MIDI clock out: {self.port_names[self._clock_port]}")
        if self._notes_port is not None:
            self.notes = NotesOut(self._ctx, self.sender, self._notes_port, self._layers)
            self.notes.start()
            which = ", ".join(self._layers) if self._layers else "every layer"
            lines.append(f"MIDI notes out ({which}): {self.port_names[self._notes_port]}")
        return lines

    def panic(self) -> None:
        for port in range(self.sender.port_count):
            self.sender.now(port, [data for p, data in self.sender.silence() if p == port])

    async def stop(self) -> None:
        if self.notes is not None:
            await self.notes.stop()
        last = await self.clock.stop() if self.clock is not None else []
        self.stats = self.sender.stop(last + self.sender.silence())
