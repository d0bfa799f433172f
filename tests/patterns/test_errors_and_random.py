"""Seeded randomness, bad patterns (one error with the column) and the `pattern` verb."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from livetimbre.cli import main
from livetimbre.errors import PatternError
from livetimbre.patterns import events
from livetimbre.patterns.grammar import MAX_LENGTH


def _values(pattern: str, seed: int, cycles: int = 16) -> list[tuple[str, Fraction]]:
    return [(e.value, e.begin) for e in events(pattern, 0, cycles, seed)]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("pattern", ["hh*8?", "[a|b|c]*4", "a? [b|c d]*2?0.3", "<a|b>*8"])
def test_the_same_seed_gives_the_same_events_and_another_differs(pattern: str) -> None:
    first = _values(pattern, seed=7)
    assert first == _values(pattern, seed=7)
    assert first != _values(pattern, seed=8)
    # every cycle its own: the cycles do not all repeat the first one
    per_cycle = [[(v, b - c) for v, b in first if b.__floor__() == c] for c in range(16)]
    assert any(cycle != per_cycle[0] for cycle in per_cycle[1:])


@pytest.mark.timeout(10)
def test_degrade_zero_keeps_everything_and_one_drops_everything() -> None:
    assert len(events("hh*8?0", 0, 16, seed=3)) == 128
    assert events("hh*8?1", 0, 16, seed=3) == []
    half = len(events("hh*8?", 0, 16, seed=3))
    assert 32 < half < 96


@pytest.mark.timeout(10)
def test_choice_takes_one_branch_per_cycle_and_all_of_them_over_time() -> None:
    found = events("[a b | c d e]", 0, 16, seed=1)
    per_cycle = {int(e.begin) for e in found}
    assert per_cycle == set(range(16))
    for cycle in range(16):
        values = "".join(e.value for e in found if int(e.begin) == cycle)
        assert values in ("ab", "cde")
    assert {e.value for e in found} == {"a", "b", "c", "d", "e"}


BAD = [
    ("[a b", 1, "never closed"),
    ("a b]", 4, "closes nothing"),
    ("<a [b>]", 6, "closes nothing"),
    ("a*", 3, "ends"),
    ("a*b", 3, "needs a number"),
    ("a &b", 3, "not part of"),
    ("a(3)", 3, "euclidean"),
    ("a(x,8)", 3, "needs numbers"),
    ("a?2", 2, "chance"),
    ("a!0", 2, "copies"),
    ("_ a", 1, "step before"),
    ("a .. b", 1, "whole numbers"),
    ("0 .. 5000", 3, "at most"),
    ("", 1, "empty"),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("pattern", "column", "words"), BAD, ids=[b[0] or "empty" for b in BAD])
def test_a_bad_pattern_gives_one_error_with_its_column(pattern: str, column: int,
                                                       words: str) -> None:
    with pytest.raises(PatternError) as caught:
        events(pattern)
    assert caught.value.column == column
    assert words in str(caught.value)
    if pattern:
        caret_line = str(caught.value).splitlines()[-1]
        assert caret_line.index("^") - 2 == column - 1


@pytest.mark.timeout(20)
def test_deep_nesting_and_huge_patterns_are_bounded() -> None:
    with pytest.raises(PatternError, match="nested deeper"):
        events("[" * 10_000 + "a" + "]" * 10_000)
    with pytest.raises(PatternError) as caught:
        events("a " * 500_000)
    assert caught.value.column == MAX_LENGTH + 1
    with pytest.raises(PatternError, match="more than"):
        events("[[a*1000]*1000]*1000")


@pytest.mark.timeout(20)
def test_the_pattern_verb_prints_json_with_exact_fractions(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pattern", "a <b c>", "--cycles", "2", "--from", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"value": "a", "begin": "1/1", "end": "3/2"},
        {"value": "c", "begin": "3/2", "end": "2/1"},
        {"value": "a", "begin": "2/1", "end": "5/2"},
        {"value": "b", "begin": "5/2", "end": "3/1"},
    ]


@pytest.mark.timeout(20)
def test_the_pattern_verb_prints_a_table_and_a_picture(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pattern", "bd(3,8)"]) == 0
    out = capsys.readouterr().out
    assert "3/8" in out and "7/8" in out
    assert out.rstrip().splitlines()[-1].endswith("|b..b..b.|")
    assert main(["pattern", "bd*"]) == 2
    assert "column 4" in capsys.readouterr().err
