"""The words of a vocals clip through the session: /lyrics, the patch's lyrics and
lyrics_file, /save's round trip, the clip plan (whose change re-renders the slot)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from livetimbre.errors import PatchError, ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.music.instruments import VOICE_PROGRAM, role_for_layer
from livetimbre.patch import load_patch, parse_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.session import commands as c
from livetimbre.session.slash import parse_line
from livetimbre.session.state import SessionHistory, apply

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: synthwave, tempo: 100, key: A minor, seed: 3}
layers:
  drums: {}
  vocals: {instrument: alto}
scenes:
  - name: verse
    clips:
      drums: steady beat
      vocals: {prompt: soft hopeful verse, lyrics: "we ran along the river\\nthe lights were low"}
  - name: chorus
    clips:
      vocals: soft hopeful chorus
"""


@pytest.mark.parametrize(("name", "role"), [("vocals", "vocals"), ("vocal", "vocals"),
                                            ("voice", "vocals"), ("singer", "vocals"),
                                            ("lead-vocal", "vocals"), ("lead_vocal", "vocals"),
                                            ("choir", "pad"), ("lead", "lead")])
def test_a_layer_named_for_a_singer_sings(name: str, role: str) -> None:
    assert role_for_layer(name) == role


def test_lead_vocal_as_two_words_is_a_singer() -> None:
    assert role_for_layer("lead", "lead vocal") == "lead"  # the name decides first
    assert role_for_layer("top", "lead vocal") == "vocals"


def test_the_patch_lyrics_reach_the_clip_plan(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "set.yaml", genres)
    slot = session.scenes[0].clips["vocals"]
    assert slot.lyrics == "we ran along the river\nthe lights were low"
    genre = genres.get(session.genre)
    plan = build_clip_plan(session, "vocals", 0, genre, 44100)
    assert plan.role == "vocals" and plan.lyrics == slot.lyrics
    assert (plan.bank, plan.program) == (0, VOICE_PROGRAM)
    assert build_clip_plan(session, "vocals", 1, genre, 44100).lyrics is None
    assert build_clip_plan(session, "drums", 0, genre, 44100).lyrics is None


def test_slash_lyrics_sets_the_words_and_undo_takes_them_back(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "set.yaml", genres)
    history = SessionHistory(session)
    command = parse_line('/lyrics vocals chorus "hold on / the night is young"')
    assert command == c.SetLyrics("vocals", "chorus", "hold on\nthe night is young")
    history.apply(command, command.slash())
    genre = genres.get(session.genre)
    before = build_clip_plan(session, "vocals", 1, genre, 44100)
    after = build_clip_plan(history.current, "vocals", 1, genre, 44100)
    assert after.lyrics == "hold on\nthe night is young"
    assert after != before  # a new plan: the live planner re-renders the slot
    assert after.recipe_hash("procedural", {}) != before.recipe_hash("procedural", {})
    assert history.undo() == '/lyrics vocals chorus "hold on / the night is young"'
    assert history.current == session
    cleared = apply(history.current, parse_line("/lyrics vocals 1"))
    assert cleared.scenes[0].clips["vocals"].lyrics is None


def test_slash_lyrics_needs_a_clip_and_sane_words(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "set.yaml", genres)
    with pytest.raises(ValueProblem, match="drums@chorus has no clip"):
        apply(session, c.SetLyrics("drums", 2, "la la"))
    with pytest.raises(ValueProblem, match="Unknown layer"):
        apply(session, c.SetLyrics("horns", 1, "la la"))
    with pytest.raises(ValueProblem, match="control character"):
        c.SetLyrics("vocals", 1, "bad\x07bell")
    with pytest.raises(ValueProblem, match="limit"):
        c.SetLyrics("vocals", 1, "la " * 10_000)


def test_lyrics_round_trip_through_save(genres: GenreRegistry, tmp_path: Path) -> None:
    session = parse_patch(PATCH, "set.yaml", genres)
    session = apply(session, c.SetLyrics("vocals", 2, "héllo, wörld ✓\nsecond line"))
    data = session_to_patch(session)
    assert data["scenes"][1]["clips"]["vocals"] == {
        "prompt": "soft hopeful chorus", "lyrics": "héllo, wörld ✓\nsecond line"}
    saved = tmp_path / "saved.yaml"
    saved.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_patch(saved, genres) == session


def test_lyrics_file_beside_the_patch(genres: GenreRegistry, tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("first line\n\nsecond line\n", encoding="utf-8")
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH.replace("vocals: soft hopeful chorus",
                                   "vocals: {prompt: chorus, lyrics_file: words.txt}"),
                     encoding="utf-8")
    session = load_patch(patch, genres)
    assert session.scenes[1].clips["vocals"].lyrics == "first line\n\nsecond line"


SECRET = "TOP-SECRET-WORDS"


@pytest.mark.parametrize(("target", "reason"), [
    ("missing.txt", "not found"), (".", "folder"), ("/dev/zero", "not a regular file"),
    ("big.txt", "limit"), ("bell.txt", "control character"), ("both", "not both")])
def test_a_hostile_lyrics_file_is_refused_by_name(genres: GenreRegistry, tmp_path: Path,
                                                  target: str, reason: str) -> None:
    (tmp_path / "big.txt").write_text(SECRET + "x" * 300_000, encoding="utf-8")
    (tmp_path / "bell.txt").write_text(SECRET + "\x07", encoding="utf-8")
    clip = ('{prompt: chorus, lyrics: la, lyrics_file: big.txt}' if target == "both"
            else f"{{prompt: chorus, lyrics_file: '{target}'}}")
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH.replace("vocals: soft hopeful chorus", f"vocals: {clip}"),
                     encoding="utf-8")
    with pytest.raises(PatchError, match=reason) as caught:
        load_patch(patch, genres)
    assert SECRET not in str(caught.value)
    assert "set.yaml:" in str(caught.value)
