"""MIDI control inputs: knobs, faders, pads and keys of any device (`--control-in`),
read for MIDI learn and the session's control map.

A message becomes a `Move` here and goes to the `ControlMapper`; nothing else of MIDI
travels further. A port that goes away is looked for again every second.
"""

from __future__ import annotations

__all__ = ["ControlInputs", "move_of"]

import asyncio
from typing import Any

from livetimbre.controllers.mapped import ControlMapper, Move
from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.errors import ConfigError, LivetimbreError
from livetimbre.live.surface import SurfaceContext
from livetimbre.session.mapping import Control
from livetimbre.system.midi_ports import MidiInput, find_port, list_ports

RECONNECT_SECONDS = 1.0


def move_of(message: Any) -> Move | None:
    """The Move a mido message is (a control change, note on or note off), else None."""
    kind = message.type
    if kind == "control_change":
        return Move(Control("cc", message.channel + 1, message.control), message.value,
                    message.value / 127)
    if kind in ("note_on", "note_off"):
        press = kind == "note_on" and message.velocity > 0
        return Move(Control("note", message.channel + 1, message.note), message.velocity,
                    message.velocity / 127, press)
    return None


class ControlInputs:
    """The ports named by `words` (each: words of a port name), read into `mapper`."""

    def __init__(self, ctx: SurfaceContext, mapper: ControlMapper, words: list[str]) -> None:
        if not words:
            raise ConfigError("--control-in names no port (e.g. --control-in nanoKONTROL).")
        self._ctx = ctx
        self._mapper = mapper
        self.words = words
        self._inputs: dict[str, MidiInput] = {}  # by the words that found it
        self._task: asyncio.Task[None] | None = None
        self.received = 0

    async def start(self) -> str:
        self._connect()
        self._task = asyncio.create_task(self._watch())
        found = [port.port for port in self._inputs.values()]
        return ("MIDI control in: " + (", ".join(found) if found else "none yet") +
                ("" if len(found) == len(self.words) else " (waiting for " +
                 ", ".join(w for w in self.words if w not in self._inputs) + ")"))

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        for port in self._inputs.values():
            port.close()
        self._inputs.clear()

    def _connect(self) -> None:
        names = list_ports().inputs
        for word in self.words:
            if word in self._inputs and self._inputs[word].port in names:
                continue
            old = self._inputs.pop(word, None)
            if old is not None:
                old.close()
                self._ctx.say(f"MIDI control in {old.port} unplugged; waiting for it")
            name = find_port(names, [word])
            if name is None:
                continue
            try:
                self._inputs[word] = MidiInput(name, "control in", self.handle)
            except LivetimbreError as exc:
                self._ctx.say(f"MIDI control in: {exc}")
                continue
            self._ctx.place_threads()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(RECONNECT_SECONDS)
            self._connect()

    def handle(self, message: Any) -> None:
        """One message from a control port (on the loop)."""
        move = move_of(message)
        if move is None:
            return
        self.received += 1
        self._mapper.handle(move, "MIDI")
