"""A grid controller (Launchpad, APC, ...): pads launch clips, side buttons launch scenes
and stop layers, faders set gains; LEDs show every slot's state.

MIDI is read on the asyncio loop (see `ports.MidiInput`); a MIDI message
never travels past this module: it becomes a session command here. The device is looked
for every second, so one unplugged and plugged back is picked up again without a restart.
"""

from __future__ import annotations

__all__ = ["GridController", "fader_db"]

import asyncio
import math
from collections.abc import Callable
from typing import Any

from livetimbre.controllers.feedback import Feedback
from livetimbre.controllers.mapped import ControlMapper
from livetimbre.controllers.midi.controls import move_of
from livetimbre.controllers.midi.profile import ButtonRow, ControllerProfile, LedMap
from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.errors import LivetimbreError
from livetimbre.live.boundary import Failure
from livetimbre.live.surface import SurfaceContext
from livetimbre.session import commands as c
from livetimbre.session.model import SlotState
from livetimbre.system.midi_ports import MidiInput, MidiOutput, find_port, list_ports

RECONNECT_SECONDS = 1.0
# LED messages go out in bursts: a JACK MIDI port carries about 80 events per 256-frame
# period and drops the rest, so a whole-grid refresh is spread over a few periods.
LED_BURST = 32
LED_GAP_SECONDS = 0.006
LAST_BURST_SECONDS = 0.1


def fader_db(value: int) -> float:
    """A 0-127 fader position as gain: 0 is silence (-96 dB), 90 is 0 dB, 127 is +6 dB."""
    if value <= 0:
        return -96.0
    return round(max(-96.0, 6.0 + 40.0 * math.log10(value / 127)), 2)


def _led_message(kind: str, channel: int, number: int, value: int) -> Any:
    import mido

    if kind == "cc":
        return mido.Message("control_change", channel=channel, control=number, value=value)
    return mido.Message("note_on", channel=channel, note=number, velocity=value)


def _sysex(data: list[int]) -> Any:
    import mido

    return mido.Message("sysex", data=data)


class GridController:
    """One connected (or awaited) device described by `profile`."""

    def __init__(self, ctx: SurfaceContext, feedback: Feedback, profile: ControllerProfile,
                 port: str | None = None, say: Callable[[str], None] | None = None,
                 mapper: ControlMapper | None = None) -> None:
        self._ctx = ctx
        self._view = ctx.view
        self.profile = profile
        self.port_words = [port] if port else profile.ports
        self.say = say or ctx.say
        self.connected_to: str | None = None
        self.pressed = 0  # messages that became commands
        self._mapper = mapper  # learned and mapped controls come first
        self._shift = False  # the profile's shift button is held
        self._input: MidiInput | None = None
        self._output: MidiOutput | None = None
        self._lit: dict[tuple[str, int], tuple[int, int]] = {}  # (kind, number) → sent
        self._outbox: dict[object, Any] = {}  # messages to send, newest per LED, in order
        self._outbox_filled = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._feedback = feedback
        feedback.on_slot(lambda _changed: self.refresh())

    # --- connection -----------------------------------------------------------------
    async def start(self) -> str:
        self._connect()
        self._tasks = [asyncio.create_task(self._watch()), asyncio.create_task(self._sender())]
        where = self.connected_to or "waiting for it to be plugged in"
        return f"controller {self.profile.name}: {where}"

    async def stop(self) -> None:
        """Every LED off, the device back in its own mode, the ports closed."""
        for task in self._tasks[:1]:
            task.cancel()  # the watcher: no reconnecting while leaving
        if self._output is not None:
            self.refresh(blank=True)
            for index, data in enumerate(self.profile.exit_messages()):
                self._queue(("exit", index), _sysex(data))
            for _ in range(100):  # the sender drains it in a few periods
                if not self._outbox:
                    break
                await asyncio.sleep(LED_GAP_SECONDS)
            # rtmidi has no flush: the last burst leaves with the port's next periods.
            await asyncio.sleep(LAST_BURST_SECONDS)
        for task in self._tasks:
            await cancel_and_wait(task)
        self._disconnect()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(RECONNECT_SECONDS)
            ports = list_ports()
            self._ctx.place_threads()  # listing may have started a JACK client
            if self.connected_to is not None and self.connected_to not in ports.inputs:
                self.say(f"controller {self.profile.name} unplugged; waiting for it")
                self._disconnect()
            if self.connected_to is None:
                self._connect()
                if self.connected_to is not None:
                    self.say(f"controller {self.profile.name} connected: {self.connected_to}")

    def _connect(self) -> None:
        ports = list_ports()
        name_in = find_port(ports.inputs, self.port_words)
        name_out = find_port(ports.outputs, self.port_words)
        if name_in is None:
            return
        try:
            self._input = MidiInput(name_in, "grid in", self.handle)
            self._output = MidiOutput(name_out, "grid out") if name_out else None
        except LivetimbreError as exc:  # the device vanished between listing and opening
            self.say(f"controller {self.profile.name}: {exc}")
            self._disconnect()
            return
        self._ctx.place_threads()  # the ports' JACK threads to the audio CPU
        self.connected_to = name_in
        self._lit.clear()
        self._outbox.clear()
        for index, data in enumerate(self.profile.init_messages()):
            self._queue(("init", index), _sysex(data))
        self.refresh()

    def _disconnect(self) -> None:
        for port in (self._input, self._output):
            if port is not None:
                port.close()
        self._input = self._output = None
        self.connected_to = None

    def _queue(self, key: object, message: Any) -> None:
        self._outbox.pop(key, None)  # a newer colour replaces one not yet sent
        self._outbox[key] = message
        self._outbox_filled.set()

    async def _sender(self) -> None:
        while True:
            await self._outbox_filled.wait()
            self._outbox_filled.clear()
            while self._outbox:
                for key in list(self._outbox)[:LED_BURST]:
                    self._send(self._outbox.pop(key))
                await asyncio.sleep(LED_GAP_SECONDS)

    def _send(self, message: Any) -> None:
        if self._output is None:
            return
        try:
            self._output.send(message)
        except Exception:  # unplugged mid-send: the watcher reconnects
            self._output = None

    # --- input ----------------------------------------------------------------------
    def handle(self, message: Any) -> None:
        """Turn one MIDI message into a command (on the loop); errors are said, not raised."""
        control = self._ctx.control
        if self._shifted(message):
            return
        move = move_of(message)
        if move is not None and self._mapper is not None and self._mapper.handle(move, "grid"):
            return
        command = control.boundary.run(f"grid MIDI {message}", lambda: self._command_for(message))
        if isinstance(command, Failure):
            self.say(f"controller: {command.message}")
            return
        if command is None:
            return
        self.pressed += 1
        reply = control.perform(command, "grid")
        if reply.error or isinstance(command, c.Learn):
            self.say(f"controller: {reply.text}")

    def _shifted(self, message: Any) -> bool:
        """Follow the shift button; True when `message` is it."""
        shift = self.profile.shift
        move = move_of(message)
        if shift is None or move is None or move.control.channel != shift.channel + 1:
            return False
        if move.control.kind == shift.message and move.control.number == shift.number:
            self._shift = move.press and move.raw > 0
            return True
        return False

    def _learned(self, command: c.Command) -> c.Command:
        """With shift held, what a press would do becomes what to learn."""
        match command:
            case c.LaunchClip(layer, scene):
                return c.Learn(f"{layer} clip {scene}")
            case c.LaunchScene(scene):
                return c.Learn(f"scene {scene}")
            case c.StopLayer(layer):
                return c.Learn(f"{layer} stop")
        return command

    def _command_for(self, message: Any) -> c.Command | None:
        command = self._grid_command(message)
        return self._learned(command) if command is not None and self._shift else command

    def _grid_command(self, message: Any) -> c.Command | None:
        if message.type == "note_on" and message.velocity > 0:
            kind, number = "note", message.note
        elif message.type == "control_change":
            kind, number = "cc", message.control
            faders = self.profile.faders
            if faders and message.channel == faders.channel and number in faders.numbers:
                return self._fader(faders.numbers.index(number), message.value)
            if message.value == 0:
                return None  # a CC button's release
        else:
            return None
        grid = self.profile.grid
        if kind == grid.message and message.channel == grid.channel:
            cell = grid.locate(number)
            if cell is not None:
                return self._pad(*cell)
        scene = _button_index(self.profile.scene_buttons, kind, message.channel, number)
        if scene is not None and scene < len(self._view.session.scenes):
            return c.LaunchScene(scene + 1)
        stop = _button_index(self.profile.stop_buttons, kind, message.channel, number)
        if stop is not None and stop < len(self._view.session.layers):
            return c.StopLayer(self._view.session.layers[stop].name)
        return None

    def _pad(self, row: int, column: int) -> c.Command | None:
        session = self._view.session
        if column >= len(session.layers) or row >= len(session.scenes):
            return None
        layer = session.layers[column].name
        if self._shift:  # learn this slot's launch, whether or not it holds a clip
            return c.Learn(f"{layer} clip {row + 1}")
        if layer in session.scenes[row].clips:
            return c.LaunchClip(layer, row + 1)
        return c.StopLayer(layer)  # an empty slot stops its layer, as in Live

    def _fader(self, index: int, value: int) -> c.Command | None:
        layers = self._view.session.layers
        if index >= len(layers):
            return None
        return c.SetGain(layers[index].name, fader_db(value))

    # --- LEDs -----------------------------------------------------------------------
    def refresh(self, blank: bool = False) -> None:
        """Send the LED messages whose colour changed since they were last sent; with
        `blank`, turn every LED off (each in its profile's 'empty' colour)."""
        if self._output is None:
            return
        session = self._view.session
        grid = self.profile.grid
        states = {} if blank else self._feedback.slots
        for row in range(grid.rows):
            for column in range(grid.columns):
                state = SlotState.EMPTY
                if column < len(session.layers) and row < len(session.scenes):
                    state = states.get((session.layers[column].name, row), state)
                self._light(grid.message, grid.number(row, column), grid.leds, state.value)
        if blank:
            self._light_row(self.profile.scene_buttons, [])
            self._light_row(self.profile.stop_buttons, [])
            return
        self._light_row(self.profile.scene_buttons, self._scene_states(states))
        self._light_row(self.profile.stop_buttons, [
            "playing" if self._view.playing(layer.name) else "ready"
            for layer in session.layers])

    def _scene_states(self, states: dict[tuple[str, int], SlotState]) -> list[str]:
        session = self._view.session
        result = []
        for index, scene in enumerate(session.scenes):
            cells = [states.get((layer, index), SlotState.EMPTY) for layer in scene.clips]
            if not cells:
                result.append("empty")
            elif all(s is SlotState.PLAYING for s in cells):
                result.append("playing")
            elif any(s is SlotState.QUEUED for s in cells):
                result.append("queued")
            else:
                result.append("ready")
        return result

    def _light_row(self, row: ButtonRow | None, states: list[str]) -> None:
        if row is None or row.leds is None:
            return
        for index, number in enumerate(row.numbers):
            state = states[index] if index < len(states) else "empty"
            self._light(row.message, number, row.leds, state)

    def _light(self, kind: str, number: int, leds: LedMap, state: str) -> None:
        channel, value = leds.message(state)
        key = (kind, number)
        if self._lit.get(key) == (channel, value):
            return
        self._lit[key] = (channel, value)
        self._queue(key, _led_message(kind, channel, number, value))


def _button_index(row: ButtonRow | None, kind: str, channel: int, number: int) -> int | None:
    if row is None or row.message != kind or row.channel != channel:
        return None
    return row.numbers.index(number) if number in row.numbers else None
