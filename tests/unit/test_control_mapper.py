"""Playing the control map: learn, soft takeover, relative encoders, toggles, triggers,
OSC values, and learn → save → reload → the same CC moves the same parameter."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import mido
import pytest
import yaml

from livetimbre.controllers.mapped import ControlMapper, Move, osc_move, relative_ticks
from livetimbre.controllers.midi.controls import move_of
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.live.boundary import ErrorBoundary
from livetimbre.live.learning import Learning, map_text
from livetimbre.live.surface import Reply
from livetimbre.patch import parse_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.session import commands as c
from livetimbre.session.learnable import Continuous, resolve
from livetimbre.session.model import Session
from livetimbre.session.params import PARAMS
from livetimbre.session.state import SessionHistory

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 120}
layers: {drums: {}, bass: {}}
scenes: [{name: a}, {name: b}]
"""


class _Control:
    """Performs as the live Performer does for what a mapped control sends."""

    def __init__(self, history: SessionHistory, learning: Learning, logs: Path) -> None:
        self.boundary = ErrorBoundary(logs)
        self.history = history
        self.learning = learning
        self.actions: list[c.Command] = []

    def perform(self, command: c.Command, surface: str) -> Reply:
        if isinstance(command, c.SessionChange):
            return Reply(command.answer(self.history.apply(command)))
        if isinstance(command, c.Learn):
            return Reply(self.learning.arm(command, self.history.current))
        self.actions.append(command)
        return Reply("done")


class _View:
    def __init__(self, history: SessionHistory) -> None:
        self._history = history

    @property
    def session(self) -> Session:
        return self._history.current


class Rig:
    def __init__(self, session: Session, logs: Path) -> None:
        self.history = SessionHistory(session)
        self.learning = Learning()
        self.control = _Control(self.history, self.learning, logs)
        self.said: list[str] = []
        ctx: Any = SimpleNamespace(control=self.control, view=_View(self.history),
                                   learning=self.learning, say=self.said.append)
        self.mapper = ControlMapper(ctx)

    @property
    def session(self) -> Session:
        return self.history.current

    def cc(self, number: int, value: int, channel: int = 0) -> bool:
        move = move_of(mido.Message("control_change", channel=channel, control=number,
                                    value=value))
        assert move is not None
        return self.mapper.handle(move, "MIDI")

    def note(self, number: int, on: bool = True, channel: int = 0) -> bool:
        kind = "note_on" if on else "note_off"
        move = move_of(mido.Message(kind, channel=channel, note=number, velocity=100 * on))
        assert move is not None
        return self.mapper.handle(move, "MIDI")

    def learn(self, line: str) -> None:
        self.learning.arm(parse_learn(line), self.session)


def parse_learn(line: str) -> c.Learn:
    from livetimbre.session.slash import parse_line

    command = parse_line(line)
    assert isinstance(command, c.Learn)
    return command


@pytest.fixture
def rig(genres: GenreRegistry, tmp_path: Path) -> Rig:
    return Rig(parse_patch(PATCH, "p.yaml", genres), tmp_path)


def _fx(session: Session, layer: str, name: str) -> float:
    return PARAMS[name].value(session, layer)


def _gain_raw(target: Continuous, db: float) -> int:
    return round(target.position_of(db) * 127)


def test_learn_binds_the_next_control_and_it_then_moves_the_parameter(rig: Rig) -> None:
    assert not rig.cc(74, 10)  # nothing mapped, nothing learned: the surface's own
    rig.learn("/learn drums cutoff jump")
    assert rig.cc(74, 5)  # the learning message binds, and sets nothing
    assert [str(b) for b in rig.session.midi_map] == ["ch1:cc74 drums cutoff jump"]
    assert rig.learning.armed is None
    assert "ch1:cc74 → drums cutoff" in rig.said[-1]
    assert rig.cc(74, 127)
    assert _fx(rig.session, "drums", "cutoff") == 20000
    rig.cc(74, 0)
    assert _fx(rig.session, "drums", "cutoff") == 20
    rig.cc(74, 64)
    target = resolve("drums cutoff", rig.session)
    assert isinstance(target, Continuous)
    assert _fx(rig.session, "drums", "cutoff") == target.value_at(64 / 127)
    assert "ch1:cc74  → drums cutoff (jump)" in map_text(rig.session, rig.learning)


def test_releases_are_not_learned(rig: Rig) -> None:
    """The release of the button that armed learning (a CC back to 0, a note off, an OSC
    button's 0) is not bound; the next press or move is."""
    rig.learn("/learn scene b")
    assert rig.cc(89, 0)
    assert rig.note(40, on=False)
    assert rig.mapper.handle(osc_move("/1/push1", [0]), "OSC")
    assert rig.session.midi_map == () and rig.learning.armed is not None
    rig.cc(21, 40)
    assert [str(b) for b in rig.session.midi_map] == ["ch1:cc21 scene b"]


def test_soft_takeover_holds_until_the_control_passes_the_value(rig: Rig) -> None:
    rig.learn("/learn bass gain")
    rig.cc(7, 2)
    target = resolve("bass gain", rig.session)
    assert isinstance(target, Continuous)
    at = _gain_raw(target, 0.0)  # the gain is 0 dB: this far along the fader's travel
    for raw in (5, 30, at - 10, at - 3):  # below the value: it holds
        rig.cc(7, raw)
        assert rig.session.layer("bass").gain_db == 0.0
    assert sum("take over" in line for line in rig.said) == 1  # said once, not per message
    rig.cc(7, at + 4)  # passes the value: caught
    assert rig.session.layer("bass").gain_db == target.value_at((at + 4) / 127)
    rig.cc(7, 40)  # and from now on it follows
    assert rig.session.layer("bass").gain_db == target.value_at(40 / 127)


def test_takeover_is_needed_again_after_another_surface_moved_the_value(rig: Rig) -> None:
    rig.history.apply(c.SetGain("bass", -60))
    rig.learn("/learn bass gain")
    rig.cc(7, 1)
    rig.cc(7, 1)  # next to the value: caught at once
    target = resolve("bass gain", rig.session)
    assert isinstance(target, Continuous)
    assert rig.session.layer("bass").gain_db == target.value_at(1 / 127)
    rig.history.apply(c.SetGain("bass", 0.0))  # the REPL, say
    rig.cc(7, 3)
    assert rig.session.layer("bass").gain_db == 0.0  # held: the fader is far below
    rig.cc(7, 127)  # crossed on the way up
    assert rig.session.layer("bass").gain_db == 6.0


def test_jump_sets_at_once(rig: Rig) -> None:
    rig.learn("/learn bass gain jump")
    rig.cc(7, 1)
    rig.cc(7, 2)
    assert rig.session.layer("bass").gain_db == pytest.approx(-60 + 66 * 2 / 127, abs=0.01)


@pytest.mark.parametrize(("encoding", "value", "ticks"), [
    ("relative", 1, 1), ("relative", 2, 2), ("relative", 63, 63), ("relative", 127, -1),
    ("relative", 126, -2), ("relative", 65, -63), ("relative", 0, 0),
    ("offset", 65, 1), ("offset", 66, 2), ("offset", 127, 63), ("offset", 63, -1),
    ("offset", 62, -2), ("offset", 1, -63), ("offset", 64, 0),
    ("signed", 1, 1), ("signed", 2, 2), ("signed", 63, 63), ("signed", 65, -1),
    ("signed", 66, -2), ("signed", 127, -63), ("signed", 0, 0),
])
def test_relative_encodings(encoding: str, value: int, ticks: int) -> None:
    assert relative_ticks(encoding, value) == ticks


@pytest.mark.parametrize(("encoding", "plus_one", "minus_two"), [
    ("relative", 1, 126), ("offset", 65, 62), ("signed", 1, 66)])
def test_relative_encoders_step_from_the_current_value(rig: Rig, encoding: str, plus_one: int,
                                                        minus_two: int) -> None:
    rig.learn(f"/learn tempo {encoding}")
    rig.cc(20, plus_one)  # learning: binds only
    assert rig.session.tempo == 120
    rig.cc(20, plus_one)
    assert rig.session.tempo == 120.5  # a tick is 0.5 BPM
    rig.cc(20, minus_two)
    assert rig.session.tempo == 119.5
    rig.history.apply(c.SetTempo(90))  # no takeover needed: it steps from where it is
    rig.cc(20, plus_one)
    assert rig.session.tempo == 90.5


def test_a_relative_encoder_steps_a_log_parameter_along_its_travel(rig: Rig) -> None:
    rig.learn("/learn drums cutoff relative")
    rig.cc(21, 1)
    target = resolve("drums cutoff", rig.session)
    assert isinstance(target, Continuous)
    for _ in range(3):
        rig.cc(21, 127)  # three ticks down from the top
    assert _fx(rig.session, "drums", "cutoff") == target.value_at(1 - 3 / 127)


def test_tempo_nudge_moves_by_the_controls_change(rig: Rig) -> None:
    rig.learn("/learn tempo nudge")
    rig.cc(22, 64)
    rig.cc(22, 64)  # first value after learning: no change yet
    rig.cc(22, 67)
    assert rig.session.tempo == pytest.approx(120.3)
    rig.cc(22, 60)
    assert rig.session.tempo == pytest.approx(119.6)


def test_pads_toggle_and_cc_buttons_toggle_on_press(rig: Rig) -> None:
    rig.learn("/learn drums mute")
    rig.note(40)
    rig.note(40, on=False)  # the release of the learning press: nothing
    assert not rig.session.layer("drums").muted
    rig.note(40)
    assert rig.session.layer("drums").muted
    rig.note(40, on=False)
    assert rig.session.layer("drums").muted
    rig.note(40)
    assert not rig.session.layer("drums").muted
    rig.learn("/learn bass solo")
    rig.cc(30, 127)
    for value, soloed in ((127, True), (0, True), (127, False), (0, False)):
        rig.cc(30, value)
        assert rig.session.layer("bass").soloed is soloed


def test_an_encoder_turns_a_switch_on_up_and_off_down(rig: Rig) -> None:
    rig.learn("/learn master tapestop relative")
    rig.cc(40, 1)
    for value, on in ((1, True), (2, True), (127, False), (0, False), (3, True)):
        rig.cc(40, value)
        assert PARAMS["tapestop"].value(rig.session) == float(on)


def test_triggers_fire_on_presses_and_rising_edges(rig: Rig) -> None:
    rig.learn("/learn scene b")
    rig.note(50)
    rig.note(50, on=False)
    rig.note(50)
    rig.note(50, on=False)
    assert rig.control.actions == [c.LaunchScene("b")]
    rig.learn("/learn drums clip 2")
    rig.cc(31, 5)
    for value in (10, 70, 90, 20, 100):  # rises past half way twice
        rig.cc(31, value)
    assert rig.control.actions[1:] == [c.LaunchClip("drums", 2)] * 2


def test_osc_learn_and_values(rig: Rig) -> None:
    rig.learn("/learn drums reverb jump")
    assert rig.mapper.handle(osc_move("/1/fader1", [0.2]), "OSC")
    assert [str(b.control) for b in rig.session.midi_map] == ["/1/fader1"]
    rig.mapper.handle(osc_move("/1/fader1", [0.5]), "OSC")
    target = resolve("drums reverb", rig.session)
    assert isinstance(target, Continuous)
    assert _fx(rig.session, "drums", "reverb") == target.value_at(0.5)
    rig.learn("/learn bass mute")
    rig.mapper.handle(osc_move("/1/toggle1", [1.0]), "OSC")
    rig.mapper.handle(osc_move("/1/toggle1", [1.0]), "OSC")
    assert rig.session.layer("bass").muted
    rig.mapper.handle(osc_move("/1/toggle1", [0.0]), "OSC")
    assert not rig.session.layer("bass").muted
    rig.learn("/learn scene b")
    for _ in range(3):  # an address sent without arguments: a press each time
        rig.mapper.handle(osc_move("/go", []), "OSC")
    assert rig.control.actions == [c.LaunchScene("b")] * 2  # the first one was learned
    with pytest.raises(ValueProblem, match="0 to 1"):
        osc_move("/1/fader1", ["loud"])
    with pytest.raises(ValueProblem, match="0 to 1"):
        osc_move("/1/fader1", [float("nan")])


def test_a_binding_whose_layer_is_gone_is_said_not_raised(rig: Rig) -> None:
    rig.learn("/learn bass gain jump")
    rig.cc(7, 5)
    rig.history.replace(replace(rig.session, layers=rig.session.layers[:1]))  # a reload
    assert rig.cc(7, 100)
    assert "Unknown layer 'bass'" in rig.said[-1]
    rig.cc(7, 90)
    rig.cc(7, 80)
    assert sum("Unknown layer 'bass'" in line for line in rig.said) == 1  # said once


def test_learn_save_reload_the_same_cc_moves_the_same_parameter(
        rig: Rig, genres: GenreRegistry, tmp_path: Path) -> None:
    rig.learn("/learn drums resonance jump")
    rig.cc(71, 9, channel=3)
    rig.learn("/learn tempo relative")
    rig.cc(72, 1, channel=3)
    saved = yaml.safe_dump(session_to_patch(rig.session), sort_keys=False)
    assert "midi_map:" in saved
    again = Rig(parse_patch(saved, "saved.yaml", genres), tmp_path)
    again.cc(71, 127, channel=3)
    target = resolve("drums resonance", again.session)
    assert isinstance(target, Continuous)
    assert _fx(again.session, "drums", "resonance") == target.value_at(1.0)
    again.cc(72, 2, channel=3)
    assert again.session.tempo == 121
    assert not again.cc(71, 127, channel=4)  # another channel is another control


def test_move_of_ignores_what_is_not_a_control() -> None:
    assert move_of(mido.Message("pitchwheel", pitch=100)) is None
    assert move_of(mido.Message("clock")) is None
    move = move_of(mido.Message("note_on", channel=9, note=36, velocity=0))
    assert move == Move(move.control, 0, 0.0, press=False) and str(move.control) == "ch10:note36"


def test_mapped_osc_controls_are_sent_changes_made_elsewhere(
        rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.controllers.osc import echo

    now = [100.0]
    monkeypatch.setattr(echo.time, "monotonic", lambda: now[0])
    sent: list[tuple[tuple[str, int], str, float]] = []
    feedback = echo.MappedEcho(rig.mapper, lambda client, address, value: sent.append(
        (client, address, value)))
    tablet = ("10.0.0.5", 9000)
    rig.learn("/learn bass gain jump")
    rig.mapper.handle(osc_move("/1/fader1", [0.3]), "OSC")
    rig.mapper.handle(osc_move("/1/fader1", [0.5]), "OSC")
    feedback.seen("/1/fader1", tablet)
    feedback.update()
    assert sent == []  # the tablet's own move is not echoed
    rig.history.apply(c.SetGain("bass", -6))  # the REPL
    feedback.update()
    assert sent == []  # hands off just after the tablet moved it
    now[0] += 1
    feedback.update()
    gain = resolve("bass gain", rig.session)
    assert isinstance(gain, Continuous)
    assert sent == [(tablet, "/1/fader1", gain.position_of(-6))]
    feedback.update()
    assert len(sent) == 1  # unchanged: not sent again
    rig.learn("/learn bass mute")
    rig.mapper.handle(osc_move("/1/toggle1", [1.0]), "OSC")
    feedback.seen("/1/toggle1", tablet)
    rig.history.apply(c.SetMute("bass", True))
    now[0] += 1
    feedback.update()
    assert sent[-1] == (tablet, "/1/toggle1", 1.0)
    rig.history.apply(c.Unmap("all"))
    feedback.update()
    assert len(sent) == 2  # unmapped: forgotten
