"""Patch files: YAML with located errors (yamlsource + patch.load.parse_patch)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from livetimbre.errors import PatchError
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.patch import load_patch, parse_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.session.model import ClipSlot, Layer

VALID = """\
# a comment line
session:
  genre: synthwave
  tempo: 104
  key: A minor
  seed: 7
  quantize: 1/4
  bars: 4
layers:
  drums: {instrument: electronic kit}
  bass: {instrument: synth bass, gain: -1, release: 750}
  pads:
scenes:
  - name: intro
    clips:
      pads: warm pad
  - name: drop
    bars: 8
    clips:
      drums: "driving beat"
      bass: {prompt: pulsing eighths, bars: 2, seed: 3}
"""


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


def _error(text: str, genres: GenreRegistry) -> str:
    with pytest.raises(PatchError) as info:
        parse_patch(text, "source.yaml", genres)
    return str(info.value)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_valid_patch(genres: GenreRegistry) -> None:
    s = parse_patch(VALID, "source.yaml", genres)
    assert (s.tempo, s.key, s.meter, s.genre, s.seed, s.quantize, s.bars) == (
        104.0, "A minor", "4/4", "synthwave", 7, "1/4", 4
    )
    assert s.layers == (
        Layer("drums", "electronic kit"), Layer("bass", "synth bass", -1.0, release_ms=750.0),
        Layer("pads"),
    )
    assert [sc.name for sc in s.scenes] == ["intro", "drop"]
    assert s.scenes[0].clips == {"pads": ClipSlot("warm pad")}
    assert s.scenes[1].bars == 8
    assert s.scenes[1].clips["bass"] == ClipSlot("pulsing eighths", 2, 3)
    assert s.scene_bars(0) == 4 and s.scene_bars(1) == 8


def test_genre_fills_in_defaults(genres: GenreRegistry) -> None:
    text = "session: {genre: Synthwave}\nlayers: {lead: }\nscenes: [{name: a}]\n"
    s = parse_patch(text, "p.yaml", genres)
    synthwave = genres.get("synthwave")
    assert s.genre == "synthwave"
    assert s.tempo == synthwave.rhythm.tempo == 104
    assert s.key == synthwave.harmony.common_keys[0]
    assert s.meter == "4/4"
    assert (s.seed, s.quantize, s.bars) == (None, "1M", 4)


def test_session_round_trips_through_dump(genres: GenreRegistry) -> None:
    import yaml

    s = parse_patch(VALID, "source.yaml", genres)
    again = parse_patch(yaml.safe_dump(session_to_patch(s), sort_keys=False), "dump.yaml", genres)
    assert again == s


def test_compose_duration_round_trips_and_defaults(genres: GenreRegistry) -> None:
    """`/duration` is a session setting: a patch keeps it (written only when not 120)."""
    import yaml

    s = parse_patch(VALID, "source.yaml", genres)
    assert s.duration == 120 and "duration" not in session_to_patch(s)["session"]
    longer = replace(s, duration=150.0)
    data = session_to_patch(longer)
    assert data["session"]["duration"] == 150.0
    again = parse_patch(yaml.safe_dump(data, sort_keys=False), "dump.yaml", genres)
    assert again == longer


@pytest.mark.parametrize("seconds", ["60", "181", "soon", ".nan"])
def test_patch_duration_outside_long_form_is_refused(genres: GenreRegistry,
                                                     seconds: str) -> None:
    text = VALID.replace("  seed: 7\n", f"  seed: 7\n  duration: {seconds}\n")
    message = _error(text, genres)
    assert f"Duration {seconds!r}" in message or "Duration" in message, message
    assert "90 to 180 s" in message or "not a number" in message, message
    assert message.startswith(f"source.yaml:{_line_of(text, 'duration:')}:"), message


def test_load_patch_from_file(genres: GenreRegistry, tmp_path: Path) -> None:
    path = tmp_path / "song.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert load_patch(path, genres) == parse_patch(VALID, "x", genres)
    with pytest.raises(PatchError, match="patch file not found"):
        load_patch(tmp_path / "missing.yaml", genres)


@pytest.mark.parametrize(
    ("bad_line", "line"),
    [
        ("  tempo: 104: 5", 3),  # mapping values not allowed here
        ("\ttempo: 104", 3),  # a tab cannot start a token
        ("  key: [A minor", 4),  # unclosed flow sequence: found at the next key
    ],
)
def test_malformed_yaml_names_line(genres: GenreRegistry, bad_line: str, line: int) -> None:
    text = f"session:\n  genre: synthwave\n{bad_line}\nlayers: {{a: }}\nscenes: [{{name: x}}]\n"
    message = _error(text, genres)
    assert "invalid YAML" in message
    match = re.match(r"source\.yaml:(\d+):\d+: ", message)
    assert match, message
    assert int(match.group(1)) == line


def test_malformed_yaml_deep_in_file(genres: GenreRegistry) -> None:
    text = VALID.replace('drums: "driving beat"', 'drums: "driving beat" extra: x')
    message = _error(text, genres)
    assert message.startswith(f"source.yaml:{_line_of(text, 'extra: x')}:")


def test_unknown_genre_names_genre_and_line(genres: GenreRegistry) -> None:
    text = VALID.replace("genre: synthwave", "genre: synthwav")
    message = _error(text, genres)
    assert message.startswith("source.yaml:3:")
    assert "Unknown genre 'synthwav'" in message
    assert "Did you mean synthwave?" in message


def test_unknown_layer_in_scene_names_layer_and_line(genres: GenreRegistry) -> None:
    text = VALID.replace("      bass: {prompt", "      keys: {prompt")
    message = _error(text, genres)
    line = _line_of(text, "keys: {prompt")
    assert message.startswith(f"source.yaml:{line}:")
    assert "unknown layer 'keys'" in message
    assert "scene 'drop'" in message
    assert "(layers: drums, bass, pads)" in message


@pytest.mark.parametrize("tempo", ["0", "-5", ".nan", "10000", ".inf", "fast"])
def test_bad_tempo_rejected_with_line(genres: GenreRegistry, tempo: str) -> None:
    text = VALID.replace("tempo: 104", f"tempo: {tempo}")
    message = _error(text, genres)
    assert message.startswith("source.yaml:4:")
    assert "session.tempo" in message
    assert "Tempo" in message


@pytest.mark.parametrize("bars", ["0", "-1", "65", "1.5"])
def test_bad_session_bars_rejected_with_line(genres: GenreRegistry, bars: str) -> None:
    text = VALID.replace("  bars: 4", f"  bars: {bars}")
    message = _error(text, genres)
    assert message.startswith("source.yaml:8:")
    assert "session.bars" in message
    assert f"Bars {bars}" in message


def test_bad_clip_bars_rejected_with_line(genres: GenreRegistry) -> None:
    text = VALID.replace("bars: 2, seed: 3", "bars: 0, seed: 3")
    message = _error(text, genres)
    assert message.startswith(f"source.yaml:{_line_of(text, 'bars: 0')}:")
    assert "scenes.1.clips.bass.bars" in message


def test_duplicate_keys_rejected(genres: GenreRegistry) -> None:
    text = VALID.replace("  tempo: 104\n", "  tempo: 104\n  tempo: 110\n")
    message = _error(text, genres)
    assert message.startswith("source.yaml:5:")
    assert "duplicate key 'tempo'" in message


def test_duplicate_layer_rejected(genres: GenreRegistry) -> None:
    text = VALID.replace("  pads:\n", "  pads:\n  drums: {}\n")
    message = _error(text, genres)
    assert message.startswith(f"source.yaml:{_line_of(text, 'drums: {}')}:")
    assert "duplicate key 'drums'" in message


def test_duplicate_scene_name_rejected(genres: GenreRegistry) -> None:
    text = VALID.replace("name: drop", "name: intro")
    message = _error(text, genres)
    assert message.startswith("source.yaml:17:")
    assert "scene name 'intro' is used twice" in message


@pytest.mark.parametrize(
    ("old", "new", "field", "extra"),
    [
        ("  bars: 4\n", "  bars: 4\n  colour: red\n", "session.colour", "colour: red"),
        ("gain: -1, release: 750}", "gain: -1, release: 750, volume: 3}",
         "layers.bass.volume", "volume: 3"),
        ("    bars: 8\n", "    bars: 8\n    mood: happy\n", "scenes.1.mood", "mood: happy"),
        ("bars: 2, seed: 3}", "bars: 2, seed: 3, tempo: 90}", "scenes.1.clips.bass.tempo",
         "tempo: 90"),
    ],
)
def test_unknown_fields_rejected(
    genres: GenreRegistry, old: str, new: str, field: str, extra: str
) -> None:
    text = VALID.replace(old, new)
    assert text != VALID
    message = _error(text, genres)
    assert f"field '{field}'" in message
    assert "Extra inputs are not permitted" in message
    assert message.startswith(f"source.yaml:{_line_of(text, extra)}:")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("key: A minor", "key: H minor", "H minor"),
        ("quantize: 1/4", "quantize: 3M", "3M"),
        ("seed: 7", "seed: -1", "session.seed"),
        ("gain: -1", "gain: 50", "Gain 50"),
        ("release: 750", "release: 0.5", "Release 0.5"),
        ("release: 750", "release: soon", "Release 'soon'"),
        ("name: intro", "name: has space", "scenes.0.name"),
    ],
)
def test_other_bad_values_rejected(genres: GenreRegistry, old: str, new: str, needle: str) -> None:
    text = VALID.replace(old, new)
    message = _error(text, genres)
    assert needle in message
    assert message.startswith(f"source.yaml:{_line_of(text, new)}:")


@pytest.mark.parametrize(
    "text",
    ["- just\n- a list\n", "session: {genre: synthwave}\nscenes: [{name: a}]\n",
     "session: {genre: synthwave}\nlayers: {a: }\nscenes: []\n", "", "42\n"],
)
def test_structurally_wrong_patches_rejected(genres: GenreRegistry, text: str) -> None:
    message = _error(text, genres)
    assert message.startswith("source.yaml")
