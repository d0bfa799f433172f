"""The autosave state (`autosave.json`) read back: typed, and a damaged, hostile or old
file gives a one-line message naming the file, never its content, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livetimbre.cli.common import report
from livetimbre.errors import FileProblem
from livetimbre.live.saving import AutosaveState, restore_session, restore_state

pytestmark = pytest.mark.timeout(30)


def test_a_missing_file_is_an_empty_state(tmp_path: Path) -> None:
    assert restore_state(tmp_path) == AutosaveState(patch=None, playing={})


def test_what_autosave_writes_reads_back(tmp_path: Path) -> None:
    state = AutosaveState(patch=str(tmp_path / "set.yaml"), playing={"drums": "intro"})
    (tmp_path / "autosave.json").write_text(json.dumps(state.model_dump(mode="json")))
    assert restore_state(tmp_path) == state


def test_an_older_or_newer_file_with_other_keys_still_reads(tmp_path: Path) -> None:
    (tmp_path / "autosave.json").write_text(json.dumps(
        {"patch": None, "playing": {"bass": "two"}, "version": 9, "extra": [1, 2]}))
    assert restore_state(tmp_path).playing == {"bass": "two"}
    (tmp_path / "autosave.json").write_text("{}")
    assert restore_state(tmp_path) == AutosaveState()


SECRET = "SECRET-CONTENT-d41d8"


@pytest.mark.parametrize("text", [
    f"not json {SECRET}",
    json.dumps([SECRET]),
    json.dumps({"patch": 7, "playing": {}}),
    json.dumps({"patch": "", "playing": {}}),
    json.dumps({"patch": None, "playing": {"drums": [SECRET]}}),
    json.dumps({"patch": None, "playing": SECRET}),
    json.dumps({"patch": "x" * 5000}),
], ids=["not-json", "a-list", "patch-number", "patch-empty", "scene-list", "playing-string",
        "patch-too-long"])
def test_a_damaged_file_is_named_not_echoed(tmp_path: Path, text: str) -> None:
    (tmp_path / "autosave.json").write_text(text)
    with pytest.raises(FileProblem) as caught:
        restore_state(tmp_path)
    message = str(caught.value)
    assert "autosave.json" in message and "damaged" in message
    assert SECRET not in message and "\n" not in message and len(message) < 400


def test_a_huge_or_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "autosave.json"
    path.write_bytes(b"{" + b" " * (2 << 20) + b"}")
    with pytest.raises(FileProblem, match="autosave"):
        restore_state(tmp_path)
    path.write_bytes(b"\xff\xfe\x00" + SECRET.encode())
    with pytest.raises(FileProblem) as caught:
        restore_state(tmp_path)
    assert SECRET not in str(caught.value)


def test_a_folder_in_its_place_is_refused(tmp_path: Path) -> None:
    (tmp_path / "autosave.json").mkdir()
    with pytest.raises(FileProblem, match="autosave"):
        restore_state(tmp_path)


PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers: {drums: {}, bass: {}}
scenes:
  - name: one
    clips: {drums: "four on the floor"}
"""


def test_restore_says_a_damaged_state_and_goes_on(
        tmp_path: Path, genres, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "autosave.yaml").write_text(PATCH)
    (tmp_path / "autosave.json").write_text(f'{{"patch": 7, "playing": "{SECRET}"}}')
    session, path = restore_session(tmp_path, genres, report)
    err = capsys.readouterr().err
    assert path is None and [layer.name for layer in session.layers] == ["drums", "bass"]
    assert "restored the session autosaved in" in err
    assert "is damaged" in err and "restored without it" in err
    assert SECRET not in err and "Traceback" not in err


def test_restore_names_only_layers_and_scenes_of_the_session(
        tmp_path: Path, genres, capsys: pytest.CaptureFixture[str]) -> None:
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH)
    (tmp_path / "autosave.yaml").write_text(PATCH)
    (tmp_path / "autosave.json").write_text(json.dumps(
        {"patch": str(patch), "playing": {"drums": "one", "ghost": "one", "bass": SECRET}}))
    _session, path = restore_session(tmp_path, genres, report)
    err = capsys.readouterr().err
    assert path == patch and f"watching {patch} again" in err
    assert "it was playing drums@one:" in err
    assert "ghost" not in err and SECRET not in err
