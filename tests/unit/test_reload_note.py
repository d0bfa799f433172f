"""What a hot reload says it changed and replaced."""

from __future__ import annotations

from dataclasses import replace

from livetimbre.live.reload_note import reload_note
from livetimbre.session.model import Layer, Session

FILE = Session(tempo=104, key="A minor", meter="4/4", genre="synthwave", seed=7,
               layers=(Layer("drums"),))


def test_a_file_change_alone_is_reported_without_an_undo_hint() -> None:
    saved = replace(FILE, tempo=96)
    assert reload_note(FILE, FILE, saved) == "tempo 104 → 96"


def test_a_repl_change_the_reload_replaced_is_named_with_its_command() -> None:
    yours = replace(FILE, tempo=120, genre="techno")
    saved = replace(FILE, tempo=96)
    assert reload_note(FILE, yours, saved) == (
        "tempo 104 → 96 (your /tempo 120 was replaced); "
        "genre synthwave (your /genre techno was replaced) — /undo brings them back")


def test_a_repl_change_the_file_now_agrees_with_is_not_replaced() -> None:
    yours = replace(FILE, seed=9)
    saved = replace(FILE, seed=9)
    assert reload_note(FILE, yours, saved) == "seed 7 → 9"


def test_a_reload_that_changes_nothing_says_nothing() -> None:
    assert reload_note(FILE, FILE, FILE) == ""


def test_replaced_layers_are_mentioned() -> None:
    yours = replace(FILE, layers=(Layer("drums"), Layer("bass")))
    assert reload_note(FILE, yours, FILE) == (
        "your changes to layers, scenes or clips were replaced — /undo brings them back")
