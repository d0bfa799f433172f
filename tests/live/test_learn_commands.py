"""/learn, /map and /unmap in a live App (no audio): the replies, undo, completion, and
the map written by /save and read back by /load."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from livetimbre.app import App
from livetimbre.controllers.mapped import ControlMapper, Move
from livetimbre.errors import ValueProblem
from livetimbre.repl.completion import SlashCompleter
from livetimbre.session import commands as c
from livetimbre.session.mapping import parse_control
from livetimbre.session.slash import parse_line
from tests.live._support import make_app, write_patch

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def app(tmp_path: Path) -> App:
    return make_app(write_patch(tmp_path))


def _line(app: App, line: str) -> str:
    return app.execute(parse_line(line))


def test_learn_map_unmap_and_undo(app: App) -> None:
    assert _line(app, "/map").startswith("No controls mapped")
    assert _line(app, "/learn bass cutoff relative").startswith("learning bass cutoff")
    assert "Learning bass cutoff" in _line(app, "/map")
    mapper = ControlMapper(app.surface_context())
    assert mapper.handle(Move(parse_control("ch3:cc21"), 1, 1 / 127), "MIDI")
    assert _line(app, "/map") == "Mapped controls:\n  ch3:cc21  → bass cutoff (relative)"
    assert _line(app, "/learn off") == "not learning"
    assert _line(app, "/map ch1:note36 scene two") == "ch1:note36 → scene two"
    assert _line(app, "/unmap bass cutoff") == "unmapped bass cutoff"
    assert [str(b) for b in app.session.midi_map] == ["ch1:note36 scene two"]
    assert _line(app, "/undo").startswith("undid /unmap bass cutoff")
    assert len(app.session.midi_map) == 2
    with pytest.raises(ValueProblem, match="Unknown layer 'keys'"):
        _line(app, "/learn keys gain")
    assert app.performer.learning.armed is None  # a refused /learn arms nothing
    with pytest.raises(ValueProblem, match="Nothing is mapped"):
        _line(app, "/unmap ch9:cc9")


def test_the_map_is_saved_and_loaded(app: App, tmp_path: Path) -> None:
    _line(app, "/map ch2:cc74 drums cutoff signed jump")
    _line(app, "/map /1/fader1 master room")
    saved = tmp_path / "mapped.yaml"
    app.execute(c.Save(saved))
    mapped = app.session.midi_map
    _line(app, "/unmap all")
    assert app.session.midi_map == ()

    async def load() -> None:  # /load watches the file (a task, cancelled on leaving)
        app.execute(c.Load(saved))

    asyncio.run(load())
    assert app.session.midi_map == mapped


def _complete(app: App, text: str) -> list[str]:
    completer = SlashCompleter(app.views, [])
    return [x.text for x in completer.get_completions(Document(text),
                                                       CompleteEvent(text_inserted=True))]


def test_learn_completes_targets_word_by_word(app: App) -> None:
    assert "master" in _complete(app, "/learn ") and "drums" in _complete(app, "/learn ")
    assert {"cutoff", "gain", "stop", "clip"} <= set(_complete(app, "/learn drums "))
    assert "stutter" in _complete(app, "/learn master ")
    assert _complete(app, "/learn drums clip ") == ["1", "2", "one", "two"]
    assert _complete(app, "/learn tempo ") == ["nudge", "up", "down"]
    assert _complete(app, "/learn drums cutoff r") == ["relative"]
    _line(app, "/map ch1:cc7 bass gain")
    assert "ch1:cc7" in _complete(app, "/unmap ")


def test_the_toolbar_shows_what_is_being_learned(app: App) -> None:
    from livetimbre.repl.view import toolbar_fragments

    def shown() -> str:
        return "".join(text for _, text in toolbar_fragments(app.views, width=200))

    assert "LEARN" not in shown()
    _line(app, "/learn drums cutoff")
    assert " LEARN drums cutoff: move a control " in shown()
    _line(app, "/learn off")
    assert "LEARN" not in shown()
