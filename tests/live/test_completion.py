"""Completion of slash commands from what the session knows (no audio needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from livetimbre.app import App
from livetimbre.repl.completion import SlashCompleter
from livetimbre.session.slash import COMMANDS
from tests.live._support import genres, make_app, write_patch


@pytest.fixture
def app(tmp_path: Path) -> App:
    return make_app(write_patch(tmp_path))


def _complete(app: App, text: str, whole_word: bool = True) -> list[str]:
    completer = SlashCompleter(app.views, [genre.id for genre in app.genres])
    found = list(completer.get_completions(Document(text), CompleteEvent(text_inserted=True)))
    typed = "" if text.endswith(" ") else text.split()[-1] if text.split() else ""
    for completion in found:
        if whole_word:  # the completion replaces the word typed so far
            assert completion.start_position == -len(typed), (text, completion)
    return [completion.text for completion in found]


def test_la_completes_to_launch_and_layer(app: App) -> None:
    assert sorted(_complete(app, "/la")) == ["/launch", "/layer"]


def test_empty_line_and_slash_offer_every_command(app: App) -> None:
    everything = sorted("/" + name for name in COMMANDS)
    assert sorted(_complete(app, "/")) == everything
    assert sorted(_complete(app, "")) == everything


def test_launch_offers_layer_names(app: App) -> None:
    assert _complete(app, "/launch ") == ["drums", "bass", "chords"]
    assert _complete(app, "/launch b") == ["bass"]
    assert _complete(app, "/stop ") == ["drums", "bass", "chords", "all"]
    assert _complete(app, "/release ") == ["drums", "bass", "chords"]


def test_launch_layer_offers_scene_numbers_and_names(app: App) -> None:
    assert _complete(app, "/launch drums ") == ["1", "2", "one", "two"]
    assert _complete(app, "/launch drums t") == ["two"]
    assert _complete(app, "/clip bass ") == ["1", "2", "one", "two"]


def test_genre_offers_genre_ids(app: App) -> None:
    offered = _complete(app, "/genre ")
    assert offered == [genre.id for genre in genres()]
    assert {"house", "synthwave", "techno"} <= set(offered)
    assert _complete(app, "/genre synthw") == ["synthwave"]
    assert _complete(app, "/genre syn") == ["synth-pop", "synthwave"]


def test_completion_follows_session_changes(app: App) -> None:

    assert not app.control.run_line("/layer add keys rhodes", "test").error
    assert not app.control.run_line("/scene add outro", "test").error
    assert _complete(app, "/launch ") == ["drums", "bass", "chords", "keys"]
    assert _complete(app, "/launch keys ") == ["1", "2", "3", "one", "two", "outro"]


def test_other_positions_offer_their_choices(app: App) -> None:
    assert _complete(app, "/quantize 1/") == ["1/2", "1/4", "1/8", "1/16"]
    assert _complete(app, "/mute bass ") == ["on", "off"]
    assert _complete(app, "/help cl") == ["clip"]
    assert _complete(app, "/record ") == ["start", "stop"]
    assert _complete(app, "/launch drums 1 ") == []
    assert _complete(app, "/tempo ") == []
    assert _complete(app, "/compose s") == ["stop"]
    assert _complete(app, '/compose "pads" --s') == ["--short", "--seed"]
    assert "house" in _complete(app, '/compose "pads" --genre ')


def test_paths_complete_for_load_and_save(app: App, tmp_path: Path) -> None:
    (tmp_path / "set-one.yaml").write_text("x")
    # The path completer inserts the rest of the name after the cursor.
    assert _complete(app, f"/load {tmp_path}/set-", whole_word=False) == ["one.yaml"]
    assert _complete(app, f"/save {tmp_path}/set-", whole_word=False) == ["one.yaml"]


def test_sample_and_kit_complete_layers_scenes_paths_and_options(app: App,
                                                                 tmp_path: Path) -> None:
    (tmp_path / "break-93.wav").write_bytes(b"")
    (tmp_path / "kits").mkdir()
    assert _complete(app, "/sample b") == ["bass"]
    assert _complete(app, "/sample bass t") == ["two"]
    assert _complete(app, f"/sample bass 1 {tmp_path}/break-", whole_word=False) == [
        "93.wav"]
    assert _complete(app, "/sample bass 1 x.wav key=") == ["key=auto", "key=off"]
    assert _complete(app, f"/kit drums {tmp_path}/ki", whole_word=False) == ["ts"]
