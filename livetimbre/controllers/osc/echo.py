"""Feedback to mapped OSC controls: a tablet's fader or toggle that moves a parameter is
sent the parameter's position whenever it changes elsewhere (the REPL, a MIDI knob, a
patch reload, /undo), so TouchOSC and Open Stage Control show the real value."""

from __future__ import annotations

__all__ = ["MappedEcho"]

import asyncio
import time
from collections.abc import Callable

from livetimbre.controllers.mapped import STEPS, ControlMapper
from livetimbre.session.mapping import Control

Address = tuple[str, int]
ECHO_SECONDS = 0.05  # how often mapped values are compared
HANDS_OFF_SECONDS = 0.3  # a control just moved by its client is not answered meanwhile


class MappedEcho:
    """Sends `address position` to the client that last moved each mapped address."""

    def __init__(self, mapper: ControlMapper, send: Callable[[Address, str, float], None]
                 ) -> None:
        self._mapper = mapper
        self._send = send
        self._clients: dict[str, tuple[Address, float]] = {}  # address → client, when
        self._sent: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    def seen(self, address: str, client: Address) -> None:
        """`client` moved the mapped control `address` just now."""
        self._clients[address] = (client, time.monotonic())
        position = self._mapper.position(Control("osc", address=address))
        if position is not None:
            self._sent[address] = position

    def update(self) -> None:
        """Send the positions that changed since they were last sent or seen."""
        now = time.monotonic()
        for address, (client, moved) in list(self._clients.items()):
            position = self._mapper.position(Control("osc", address=address))
            if position is None:  # unmapped, or a trigger: nothing to show
                del self._clients[address]
                self._sent.pop(address, None)
                continue
            last = self._sent.get(address)
            if now - moved < HANDS_OFF_SECONDS or (
                    last is not None and abs(position - last) < 0.5 / STEPS):
                continue
            self._sent[address] = position
            self._send(client, address, position)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(ECHO_SECONDS)
            self.update()
