"""Every command is in a union and handled: a new command class that is left out of
`SessionChange` / `Action`, or out of a match over them, fails here (mypy fails too,
through `assert_never`, but pytest does not run mypy)."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
import types
from typing import get_args

import pytest

from livetimbre.live import performer
from livetimbre.session import changes, mapchanges, patternchange, sources, state
from livetimbre.session import commands as c
from livetimbre.session.mapping import Binding, parse_control
from livetimbre.session.slash import parse_line

pytestmark = pytest.mark.timeout(30)


def _classes(module: object) -> set[type]:
    """The command classes `module` defines (frozen dataclasses)."""
    return {obj for _, obj in inspect.getmembers(module, inspect.isclass)
            if obj.__module__ == getattr(module, "__name__", "")
            and dataclasses.is_dataclass(obj)}


def _matched(function: object) -> set[str]:
    """The names of the classes `c.NAME(...)` patterns match in `function`'s source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.MatchClass) and isinstance(node.cls, ast.Attribute):
            names.add(node.cls.attr)
    return names


def test_every_session_change_is_in_the_union() -> None:
    assert _classes(changes) | _classes(mapchanges) | _classes(sources) | _classes(
        patternchange) == set(
        get_args(c.SessionChange))


def test_every_other_command_is_an_action() -> None:
    assert _classes(c) == set(get_args(c.Action))
    assert set(get_args(c.Command)) == set(get_args(c.SessionChange)) | set(get_args(c.Action))


def test_apply_has_a_case_for_every_session_change() -> None:
    assert _matched(state.apply) == {cls.__name__ for cls in get_args(c.SessionChange)}


def test_the_performer_has_a_case_for_every_action() -> None:
    assert _matched(performer.Performer.perform) == {cls.__name__
                                                     for cls in get_args(c.Action)}


EXAMPLES: list[changes.SessionChange] = [
    c.SetTempo(123.5), c.SetKey("F# minor"), c.SetGenre("house"), c.SetSeed(42),
    c.SetQuantize("2M"), c.SetModel("procedural"), c.SetDuration(150),
    c.SetSampling((("temperature", 1.1), ("top_k", None)), "lead"),
    c.SetClipPrompt("drums", 2, "driving beat"), c.SetClipPrompt("drums", "drop", None),
    c.SetLyrics("vocals", 2, "hold on\nthe night is young"), c.SetLyrics("vocals", "drop", None),
    c.SetGain("bass", -3), c.SetRelease("pads", 800), c.SetMute("pads", False),
    c.SetSolo("drums", True), c.SetFx("drums", "cutoff", 800), c.SetFx(None, "stutter", 0.25),
    c.MapControl(Binding(parse_control("ch1:cc74"), "drums cutoff", "relative", False)),
    c.MapControl(Binding(parse_control("/1/fader1"), "tempo")),
    c.Unmap("ch1:cc74"), c.Unmap("drums cutoff"), c.Unmap("all"),
    c.AddLayer("keys", "rhodes"), c.AddScene("drop"),
    c.RenameScene(2, "drop"), c.SetClipSample("drums", 1, "/loops/break 93.wav", 93, "auto"),
    c.SetClipSample("drums", "drop", "/loops/pad.flac", None, "E minor"),
    c.SetClipPattern("drums", 1, "bd*2 [~ sd] <hh oh>(3,8)"), c.SetClipPattern("bass", 2, None),
    c.SetKit("drums", "/kits/dusty"), c.SetKit("drums", None),
]


def test_the_examples_cover_every_session_change() -> None:
    assert {type(e) for e in EXAMPLES} == set(get_args(c.SessionChange))


@pytest.mark.parametrize("command", EXAMPLES, ids=lambda e: type(e).__name__)
def test_a_session_changes_slash_form_parses_back_to_it(command: c.SessionChange) -> None:
    assert parse_line(command.slash()) == command


def test_the_checks_see_a_class_left_out() -> None:
    """A command class defined but in no union, and one in no match, are both seen."""
    module = types.ModuleType("livetimbre.session.louder")

    @dataclasses.dataclass(frozen=True)
    class Louder:
        db: float

    Louder.__module__ = module.__name__
    module.Louder = Louder
    assert _classes(module) - set(get_args(c.Command)) == {Louder}

    def perform(command: object) -> str:
        match command:
            case c.Undo():
                return "undone"
        return "ok"

    assert _matched(perform) == {"Undo"}
