"""The one compose-request builder behind `livetimbre compose` and `/compose`: the default
output file, the checks made before any work (and what they name), the clamped duration."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from livetimbre.config import Settings
from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry
from livetimbre.outputs import Companions
from livetimbre.track.requesting import ComposeAsk, build_request, default_output

pytestmark = pytest.mark.timeout(60)


def _home() -> Path:
    return Path(os.environ["LIVETIMBRE_HOME"])


def test_without_an_output_the_track_goes_to_the_tracks_folder(genres: GenreRegistry) -> None:
    request, notes = build_request(ComposeAsk("Warm house at dusk!", short=True, duration=8),
                                   Settings.from_env(), genres)
    out = Path(request.output)
    assert out.parent == _home() / "tracks" and out.is_absolute() and not notes
    assert re.fullmatch(r"warm-house-at-dusk-\d{8}-\d{6}\.wav", out.name), out.name
    assert request.format == "wav" and request.duration == 8 and request.short


def test_a_default_name_already_taken_gets_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETIMBRE_EXPORT_FORMAT", "flac")
    monkeypatch.setattr("livetimbre.track.requesting.track_name", lambda prompt: "pads-1")
    settings = Settings.from_env()
    first = default_output("pads", settings)
    assert first == _home() / "tracks" / "pads-1.flac"
    first.write_bytes(b"taken")
    second = default_output("pads", settings)
    assert second.name == "pads-1-2.flac"
    second.symlink_to(first)
    assert default_output("pads", settings).name == "pads-1-3.flac"
    assert default_output("pads", settings, "mp3").name == "pads-1.mp3"


def test_a_long_form_duration_out_of_range_is_clamped_and_said(genres: GenreRegistry,
                                                               tmp_path: Path) -> None:
    request, notes = build_request(
        ComposeAsk("slow ambient drift", output=tmp_path / "a.wav", duration=400,
                   duration_from="/duration"), Settings.from_env(), genres)
    assert request.duration == 180
    assert len(notes) == 1 and "/duration" in notes[0] and "400" in notes[0]


@pytest.mark.parametrize(("ask", "says"), [
    (dict(duration=3, short=True), "Duration 3 s (--duration)"),
    (dict(duration=3, short=True, duration_from="/duration"), "(/duration)"),
    (dict(backend="nope"), "Unknown backend 'nope'"),
    (dict(backend_for={"chorus": "elsewhere:x"}), "Unknown backend 'elsewhere'"),
    (dict(genre="polka-of-doom"), "polka-of-doom"),
    (dict(key="H minor"), "H minor"),
    (dict(synth="theremin"), "'theremin'"),
    (dict(output=Path("missing-folder/x.wav")), "does not exist"),
    (dict(output=Path("x.mid")), ".mid"),
    (dict(format="flac", output=Path("x.wav")), "x.wav ends in .wav"),
])
def test_bad_asks_are_refused_naming_the_value(genres: GenreRegistry, tmp_path: Path,
                                               ask: dict, says: str) -> None:
    if "output" in ask:
        ask["output"] = tmp_path / ask["output"]
    else:
        ask["output"] = tmp_path / "t.wav"
    with pytest.raises(LivetimbreError) as caught:
        build_request(ComposeAsk("calm house", **ask), Settings.from_env(), genres)
    assert says in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # refused before anything was written


def test_a_sidecar_or_companion_leading_out_of_the_folder_is_refused_first(
        genres: GenreRegistry, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "t.wav.json").symlink_to(outside / "stolen.json")
    with pytest.raises(LivetimbreError, match="leads out of"):
        build_request(ComposeAsk("calm house", output=folder / "t.wav"), Settings.from_env(),
                      genres)
    (folder / "t.wav.json").unlink()
    (folder / "t.qa.json").symlink_to(outside / "stolen.json")
    with pytest.raises(LivetimbreError, match="QA report"):
        build_request(ComposeAsk("calm house", output=folder / "t.wav"), Settings.from_env(),
                      genres)
    assert list(outside.iterdir()) == []


def test_companions_are_made_absolute_and_the_stems_folder_is_made(
        genres: GenreRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    request, _ = build_request(
        ComposeAsk("calm house", output=Path("t.ogg"),
                   companions=Companions(Path("st/ems"), Path("n.mid"), Path("p.png"))),
        Settings.from_env(), genres)
    assert request.output == str(tmp_path / "t.ogg") and request.format == "ogg"
    assert request.stems == str(tmp_path / "st" / "ems") and (tmp_path / "st/ems").is_dir()
    assert (request.midi, request.png) == (str(tmp_path / "n.mid"), str(tmp_path / "p.png"))


def test_the_director_is_resolved_and_recorded(genres: GenreRegistry,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVETIMBRE_DIRECTOR", "embedding")
    ask = ComposeAsk("slow house", short=True, duration=8)
    assert build_request(ask, Settings.from_env(), genres)[0].director == "embedding"
    assert build_request(ComposeAsk("slow house", short=True, duration=8,
                                    patch_director="lexicon"), Settings.from_env(),
                         genres)[0].director == "lexicon"  # the patch's over the environment
    assert build_request(ComposeAsk("slow house", short=True, duration=8, director="llm",
                                    patch_director="lexicon"), Settings.from_env(),
                         genres)[0].director == "llm"  # the option over the patch
    with pytest.raises(LivetimbreError, match=r"'poet'.*--director"):
        build_request(ComposeAsk("slow house", director="poet"), Settings.from_env(), genres)


@pytest.mark.parametrize(("prompt", "genre"), [("slow house", None), ("a calm piece", "jazz")])
def test_the_sessions_genre_fills_in_when_the_prompt_names_none(
        genres: GenreRegistry, prompt: str, genre: str | None) -> None:
    ask = ComposeAsk(prompt, short=True, duration=8, fallback_genre="jazz",
                     patch_director="lexicon")
    assert build_request(ask, Settings.from_env(), genres)[0].genre == genre
