"""What an error may quote of a user's file (files.quoting, through the patch loader):
field-name keys only, values only from a patch-shaped mapping, no YAML source lines."""

from __future__ import annotations

import pytest

from livetimbre.errors import PatchError
from livetimbre.files.quoting import HIDDEN, looks_like_field, shaped, unechoed, yaml_problem
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch

GOOD_REST = "layers: {a: {}}\nscenes: [{name: s}]\n"


def _error(text: str, genres: GenreRegistry) -> str:
    with pytest.raises(PatchError) as caught:
        parse_patch(text, "set.yaml", genres)
    return str(caught.value)


@pytest.mark.parametrize(("key", "shown"), [
    ("tempo", True), ("_x", True), ("snare-2", True), ("a" * 32, True),
    ("a" * 33, False), ("2fast", False), ("root:$6$abc", False), ("has space", False),
    ("-----BEGIN PRIVATE KEY-----", False), (3, False), ("", False),
])
def test_a_key_is_quoted_only_when_it_looks_like_a_field_name(key: object, shown: bool) -> None:
    assert looks_like_field(key) is shown


def test_an_unknown_field_name_is_named_any_other_key_is_not(genres: GenreRegistry) -> None:
    message = _error("session: {genre: house, tempi: 120}\n" + GOOD_REST, genres)
    assert "session.tempi" in message and "Extra inputs" in message
    message = _error("session: {genre: house, 'S3cr3t=Val!': 1}\n" + GOOD_REST, genres)
    assert f"session.{HIDDEN}" in message and "S3cr3t" not in message


def test_a_patch_shaped_file_quotes_an_excerpt_of_a_bad_value(genres: GenreRegistry) -> None:
    message = _error("session: {genre: house, tempo: brisk}\n" + GOOD_REST, genres)
    assert "set.yaml:1:32: patch field 'session.tempo'" in message
    assert "'brisk'" in message


def test_a_file_of_another_shape_quotes_no_value_even_inside_a_message(
        genres: GenreRegistry) -> None:
    text = "password: 1\nsession: {genre: house, tempo: hunter2x, key: Zsekrit9}\n" + GOOD_REST
    message = _error(text, genres)
    assert "session.tempo" in message and "is not a number" in message
    assert "session.key" in message and "field 'password'" in message
    assert "hunter2" not in message and "sekrit" not in message


def test_a_bad_key_in_a_patch_is_not_quoted_as_a_value(genres: GenreRegistry) -> None:
    message = _error("session: {genre: house}\nlayers: {'my secret key': {}}\n"
                     "scenes: [{name: s}]\n", genres)
    assert f"layers.{HIDDEN}" in message and "secret" not in message


def test_a_clip_for_an_unknown_layer_names_it_only_if_it_looks_like_one(
        genres: GenreRegistry) -> None:
    message = _error("session: {genre: house}\n" + GOOD_REST.replace(
        "{name: s}", "{name: s, clips: {basss: x}}"), genres)
    assert "unknown layer 'basss'" in message
    message = _error("session: {genre: house}\n" + GOOD_REST.replace(
        "{name: s}", "{name: s, clips: {'x:$6$salty': x}}"), genres)
    assert f"unknown layer {HIDDEN}" in message and "salty" not in message


@pytest.mark.parametrize("text", [
    "!secrettag-abc x\n", "a: 1\n`backtick-secret\n", "a: 1\n@host-secret:5432\n",
    'a: "\\qsecret"\n', "k: {\n  secretline: [1,\n", "? [a]\n: 1\n",
    "user:$6$secretsalt:1::\nuser:$6$secretsalt:1::\n",
    "a: !!int 'secretx'\n", "a: !!float secretv\n", "a: !!timestamp secretv\n",
    "a: 2024-13-45 # secret\n", "[!!int secret]: 1\n",
    "!!float : {secret: 1}\n", "a: !!int\n", "a: !!float ''\n",  # empty: found by the fuzz
])
def test_a_yaml_error_names_the_place_not_the_line(text: str, genres: GenreRegistry) -> None:
    message = _error(text, genres)
    assert message.startswith("set.yaml:") and "invalid YAML" in message
    assert "secret" not in message and "reads" not in message


def test_the_file_name_is_shown_escaped(genres: GenreRegistry) -> None:
    with pytest.raises(PatchError) as caught:
        parse_patch("a: [\n", "odd\nname.yaml", genres)
    assert "odd\\nname.yaml:" in str(caught.value)


def test_yaml_problems_keep_single_characters_fields_and_token_names() -> None:
    assert yaml_problem("found character '\\t' that cannot start any token") == (
        "found character '\\t' that cannot start any token")
    assert yaml_problem("expected <block end>, but found '<scalar>'") == (
        "expected <block end>, but found '<scalar>'")
    assert yaml_problem("duplicate key 'tempo'") == "duplicate key 'tempo'"
    assert yaml_problem("found undefined tag handle '!x$y!'") == (
        "found undefined tag handle '...'")
    assert yaml_problem("found \"it's-a-secret\" here") == "found '...' here"


def test_unechoed_hides_every_run_of_the_value() -> None:
    assert unechoed("Tempo 'abcdefgh' is not a number", "abcdefgh") == (
        "Tempo ... is not a number")  # its repr, quotes and all
    assert unechoed("got {'k': 'longsecret'}", {"k": "longsecret"}) == "got ..."
    assert unechoed("Tempo 'abc' is not a number", "abc") == "Tempo 'abc' is not a number"


def test_shaped_means_every_top_level_key_is_a_field() -> None:
    fields = {"session", "layers", "scenes"}
    assert shaped({"session": {}, "layers": {}}, fields)
    assert not shaped({"session": {}, "password": 1}, fields)
    assert not shaped({}, fields) and not shaped("text", fields) and not shaped([1], fields)


def test_an_unknown_controller_profile_is_quoted_short() -> None:
    from livetimbre.controllers.midi.profile import load_profile
    from livetimbre.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        load_profile("pad" * 10_000)
    assert "Unknown controller profile 'padpad" in str(caught.value)
    assert len(str(caught.value)) < 300
