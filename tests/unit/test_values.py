"""Range checks shared by patches and slash commands (session.values)."""

from __future__ import annotations

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.music.values import check_bars, check_gain_db, check_quantize, check_tempo


@pytest.mark.parametrize(
    ("value", "expected"),
    [(120, 120.0), ("96.5", 96.5), (20, 20.0), (400, 400.0), (133.33, 133.33)],
)
def test_check_tempo_accepts(value: object, expected: float) -> None:
    assert check_tempo(value) == expected


@pytest.mark.parametrize(
    "value", [0, -5, float("nan"), float("inf"), float("-inf"), 10000, "abc", 19.99, 400.01, None]
)
def test_check_tempo_rejects_naming_value(value: object) -> None:
    with pytest.raises(ValueProblem) as info:
        check_tempo(value)
    assert repr(value) in str(info.value)


def test_check_tempo_names_origin() -> None:
    with pytest.raises(ValueProblem, match=r"Tempo 0 \(/tempo\) is out of range"):
        check_tempo(0, "/tempo")
    with pytest.raises(ValueProblem, match=r"Tempo 'abc' \(song.yaml:3\) is not a number"):
        check_tempo("abc", "song.yaml:3")


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), (64, 64), (4.0, 4), ("8", 8), (" 16 ", 16)]
)
def test_check_bars_accepts(value: object, expected: int) -> None:
    result = check_bars(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value", [0, -1, 1.5, 65, "1.5", "x", True, None, float("nan"), float("inf"), [4]]
)
def test_check_bars_rejects_naming_value(value: object) -> None:
    with pytest.raises(ValueProblem) as info:
        check_bars(value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1M", "1M"), ("1m", "1M"), (" 8m ", "8M"), ("1/16", "1/16"), ("NONE", "none"),
     ("2M", "2M"), ("4M", "4M"), ("1/2", "1/2"), ("1/4", "1/4"), ("1/8", "1/8")],
)
def test_check_quantize_accepts(value: str, expected: str) -> None:
    assert check_quantize(value) == expected


@pytest.mark.parametrize("value", ["3M", "1/3", "", "bar", "1/32", 1, "M1"])
def test_check_quantize_rejects_listing_choices(value: object) -> None:
    with pytest.raises(ValueProblem) as info:
        check_quantize(value)
    message = str(info.value)
    assert repr(value) in message
    assert "8M, 4M, 2M, 1M, 1/2, 1/4, 1/8, 1/16, none" in message


def test_check_gain_db() -> None:
    assert check_gain_db(-3) == -3.0
    assert check_gain_db("12") == 12.0
    assert check_gain_db(-96) == -96.0
    for bad in (13, -97, float("nan"), "loud"):
        with pytest.raises(ValueProblem) as info:
            check_gain_db(bad)
        assert repr(bad) in str(info.value)
