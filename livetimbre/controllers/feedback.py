"""Feedback for control surfaces: beats and clip-slot states as they change.

One asyncio task looks at the engine's frame counter and the Session View every few
milliseconds and tells listeners what changed: OSC subscribers, grid controller LEDs.
It reads the engine's clock; it never owns time (DESIGN §4).
"""

from __future__ import annotations

__all__ = ["BeatListener", "Cell", "Feedback", "SlotListener", "slot_states"]

import asyncio
from collections.abc import Callable

from livetimbre.app import App
from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.session.model import SlotState

Cell = tuple[str, int]  # a Session View cell: layer, 0-based scene index
BeatListener = Callable[[int, int], None]  # 1-based bar, beat
SlotListener = Callable[[list[tuple[Cell, SlotState]]], None]  # the cells that changed


def slot_states(app: App) -> dict[Cell, SlotState]:
    """Every cell of the Session View and its state."""
    session = app.session
    return {(layer.name, index): app.slot_view(layer.name, index).state
            for index in range(len(session.scenes)) for layer in session.layers}


class Feedback:
    """Watches `app` and calls listeners on each new beat and each slot state change."""

    def __init__(self, app: App, beat_interval: float = 0.002,
                 slot_interval: float = 0.03) -> None:
        self._app = app
        self._beat_interval = beat_interval
        self._slot_every = max(1, round(slot_interval / beat_interval))
        self._beat_listeners: list[BeatListener] = []
        self._slot_listeners: list[SlotListener] = []
        self._beat: tuple[int, int] | None = None
        self._slots: dict[Cell, SlotState] = {}
        self._task: asyncio.Task[None] | None = None

    def on_beat(self, listener: BeatListener) -> None:
        self._beat_listeners.append(listener)

    def on_slot(self, listener: SlotListener) -> None:
        self._slot_listeners.append(listener)

    @property
    def slots(self) -> dict[Cell, SlotState]:
        """The states last seen (for a listener that wants the whole picture)."""
        return dict(self._slots)

    def start(self) -> None:
        self._slots = slot_states(self._app)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(self._beat_interval)
            self.check_beat()
            tick += 1
            if tick % self._slot_every == 0:
                self.check_slots()

    def check_beat(self) -> None:
        """Tell beat listeners if the engine has reached a new beat."""
        engine = self._app.engine
        beat = engine.transport.bar_beat(engine.frame)
        if beat == self._beat:
            return
        self._beat = beat
        for listener in self._beat_listeners:
            listener(*beat)

    def check_slots(self) -> None:
        """Tell slot listeners of every cell whose state changed (or that appeared)."""
        now = slot_states(self._app)
        changed = [(key, state) for key, state in now.items() if self._slots.get(key) != state]
        self._slots = now
        if changed:
            for listener in self._slot_listeners:
                listener(changed)
