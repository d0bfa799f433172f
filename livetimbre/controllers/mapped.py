"""Mapped controls: a moved knob, fader, pad or OSC control → the command it asks for.

Every MIDI input and the OSC server hand their controls here first. While learning is
armed the control is bound (`Learning.take`); a mapped control becomes its target's
command — absolute values with soft takeover (the value holds until the control passes
it, so a fader does not jump), relative encoders stepping from the current value,
toggles and triggers on presses. An unmapped control is left to its surface.
"""

from __future__ import annotations

__all__ = ["STEPS", "ControlMapper", "Move", "osc_move", "relative_ticks"]

import math
from dataclasses import dataclass

from livetimbre.errors import LivetimbreError, ValueProblem
from livetimbre.live.boundary import Failure
from livetimbre.live.surface import SurfaceContext
from livetimbre.session import commands as c
from livetimbre.session.learnable import Continuous, Target, Toggle, Trigger, resolve
from livetimbre.session.mapping import Binding, Control
from livetimbre.session.model import Session

STEPS = 127
CLOSE = 1.5 / STEPS  # an absolute control this near the value takes it over


def relative_ticks(encoding: str, value: int) -> int:
    """How many steps a relative encoder's CC `value` moves (negative: down)."""
    if encoding == "offset":
        return value - 64
    if value in (0, 64):
        return 0
    if encoding == "signed":
        return value if value < 64 else -(value - 64)
    return value if value < 64 else value - 128  # two's complement


@dataclass(frozen=True)
class Move:
    """One control message: `raw` 0-127 (an OSC value scaled to it), `position` 0..1;
    for a note, `press` (note on) or not (note off); `impulse`: an OSC message without
    arguments, a press each time."""

    control: Control
    raw: int
    position: float
    press: bool = True
    impulse: bool = False


def osc_move(address: str, params: list[object]) -> Move:
    """An OSC control message as a Move: no argument is a press; a number 0..1 is the
    position (as TouchOSC and Open Stage Control send), a larger one counts 0-127."""
    control = Control("osc", address=address)
    if not params:
        return Move(control, STEPS, 1.0, impulse=True)
    value = params[0]
    if isinstance(value, bool):
        value = float(value)
    if not isinstance(value, int | float) or not math.isfinite(value) or not (
            0 <= value <= STEPS):
        shown = repr(value)[:40]
        raise ValueProblem(f"{address[:60]}: a mapped control's value is a number from 0 to 1 "
                           f"(or 0 to 127), got {shown}.")
    position = float(value) if value <= 1 else value / STEPS
    return Move(control, round(position * STEPS), position)


@dataclass
class _State:
    last: float | None = None  # the control's previous position
    last_raw: int | None = None
    engaged: bool = False  # soft takeover: the control has caught the value
    sent: float | None = None  # the value this control last set
    waiting_said: bool = False


class ControlMapper:
    """Learns and plays the session's control map for the surfaces of one run."""

    def __init__(self, ctx: SurfaceContext) -> None:
        self._ctx = ctx
        self._states: dict[Control, _State] = {}
        self._index: tuple[tuple[Binding, ...], dict[Control, Binding]] = ((), {})
        self.mapped = 0  # messages that became commands
        self._broken: set[Control] = set()  # controls whose target is gone (said once)

    def binding(self, control: Control) -> Binding | None:
        bindings = self._ctx.view.session.midi_map
        if self._index[0] is not bindings:
            self._index = (bindings, {b.control: b for b in bindings})
            self._states = {k: v for k, v in self._states.items() if k in self._index[1]}
        return self._index[1].get(control)

    def position(self, control: Control) -> float | None:
        """Where `control`'s target is now on its travel (0..1; a switch 0 or 1); None
        when the control is not mapped, is a trigger, or its target is gone."""
        binding = self.binding(control)
        if binding is None:
            return None
        session = self._ctx.view.session
        try:
            target = resolve(binding.target, session)
        except LivetimbreError:
            return None
        if isinstance(target, Toggle):
            return float(target.read(session))
        if isinstance(target, Continuous) and not target.delta:
            return target.position_of(target.read(session))
        return None

    def handle(self, move: Move, surface: str) -> bool:
        """Learn or play `move`; False when it is neither (its surface's own to use).
        Errors are said, never raised."""
        outcome = self._ctx.control.boundary.run(
            f"{surface} {move.control}", lambda: self._handle(move, surface))
        if isinstance(outcome, Failure):
            self._ctx.say(f"{surface}: {outcome.message}")
            return True
        return outcome

    def _handle(self, move: Move, surface: str) -> bool:
        learning = self._ctx.learning
        if learning.armed is not None:
            if not move.press or move.raw == 0:
                return True  # a release (of the button that armed learning, say): not bound
            learned = learning.take(move.control)
            if learned is not None:
                self._perform(learned, surface)
                self._states.pop(move.control, None)
                return True
        binding = self.binding(move.control)
        if binding is None:
            return False
        session = self._ctx.view.session
        try:
            target = resolve(binding.target, session)
        except LivetimbreError as exc:
            if move.control not in self._broken:  # said once, not for every message
                self._broken.add(move.control)
                self._ctx.say(f"{surface}: {binding.control} → {binding.target}: {exc}")
            return True
        self._broken.discard(move.control)
        state = self._states.setdefault(move.control, _State())
        command = self._command(binding, target, move, state, session)
        state.last, state.last_raw = move.position, move.raw
        if command is not None:
            self.mapped += 1
            self._perform(command, surface)
        return True

    def _perform(self, command: c.Command, surface: str) -> None:
        reply = self._ctx.control.perform(command, surface)
        if reply.error or isinstance(command, c.MapControl):
            self._ctx.say(f"{surface}: {reply.text}")

    def _command(self, binding: Binding, target: Target, move: Move, state: _State,
                 session: Session) -> c.Command | None:
        if isinstance(target, Trigger):
            return target.make(session) if self._pressed(binding, move, state) else None
        if isinstance(target, Toggle):
            return self._toggle(binding, target, move, session)
        return self._continuous(binding, target, move, state, session)

    def _pressed(self, binding: Binding, move: Move, state: _State) -> bool:
        """A note on, a rising edge past half way, or an encoder turned up."""
        if move.control.kind == "note" or move.impulse:
            return move.press
        if binding.encoding != "absolute":
            return relative_ticks(binding.encoding, move.raw) > 0
        return move.position >= 0.5 and (state.last is None or state.last < 0.5)

    def _toggle(self, binding: Binding, target: Toggle, move: Move,
                session: Session) -> c.Command | None:
        now = target.read(session)
        if binding.encoding != "absolute":  # an encoder: turned up on, down off
            ticks = relative_ticks(binding.encoding, move.raw)
            return target.make(ticks > 0) if ticks and (ticks > 0) != now else None
        if move.impulse or move.control.kind == "note" or (
                move.control.kind == "cc" and move.raw in (0, 127)):
            # a pad or a momentary button: each press flips it
            if not move.press or (move.control.kind == "cc" and move.raw == 0):
                return None
            return target.make(not now)
        on = move.position >= 0.5  # a fader, or an OSC toggle: its state is the value
        return target.make(on) if on != now else None

    def _continuous(self, binding: Binding, target: Continuous, move: Move, state: _State,
                    session: Session) -> c.Command | None:
        current = target.read(session)
        if move.control.kind == "note":  # a pad: the next choice, or its velocity
            if not move.press:
                return None
            if target.choices:
                after = target.position_of(current) + 1 / target.choices
                return target.make(target.value_at(after if after < 1 else 0.0))
            return target.make(target.value_at(move.position))
        if binding.encoding != "absolute" or target.delta:
            if binding.encoding != "absolute":
                ticks = relative_ticks(binding.encoding, move.raw)
            else:
                ticks = 0 if state.last_raw is None else move.raw - state.last_raw
            value = target.stepped(current, ticks)
            return target.make(value) if value != current else None
        value = target.value_at(move.position)
        if binding.takeover and not self._caught(target, move, state, current):
            return None
        state.sent = value
        return target.make(value) if value != current else None

    def _caught(self, target: Continuous, move: Move, state: _State, current: float) -> bool:
        """Soft takeover: whether the control has met the current value (and keeps it)."""
        here = target.position_of(current)
        if state.engaged and state.sent is not None and (
                abs(target.position_of(state.sent) - here) > CLOSE):
            state.engaged = False  # another surface moved the value: catch it again
            state.waiting_said = False
        if not state.engaged:
            crossed = state.last is not None and (state.last - here) * (move.position - here) <= 0
            if abs(move.position - here) <= CLOSE or crossed:
                state.engaged = True
            elif not state.waiting_said:
                state.waiting_said = True
                way = "up" if move.position < here else "down"
                self._ctx.say(f"{target.label} is at {current:g} {target.unit}: move "
                              f"{move.control} {way} to it to take over")
        return state.engaged
