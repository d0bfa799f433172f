"""The blind prompt set's own sanity (tests/director/blind_prompts.yaml): its size, its
families and its fields. No threshold on the director here: bench/director_blind.py
measures it, and the lead decides what is good enough."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from livetimbre.genres.families import FAMILIES

SET = Path(__file__).with_name("blind_prompts.yaml")
TABLE = Path(__file__).resolve().parents[2] / "bench" / "blind_instruments.yaml"
TAGS = {"terse", "sentence", "rambling", "typo", "british", "slang", "noise", "order",
        "two-genre", "no-genre", "conflict", "nongm"}
FIELDS = {"prompt", "family", "tempo", "mode", "instruments", "tags"}


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    loaded = yaml.safe_load(SET.read_text(encoding="utf-8"))["prompts"]
    assert isinstance(loaded, list)
    return loaded


@pytest.mark.timeout(30)
def test_size_and_fields(cases: list[dict[str, Any]]) -> None:
    assert len(cases) >= 240
    for case in cases:
        assert set(case) == FIELDS, case
        assert isinstance(case["prompt"], str) and case["prompt"].strip(), case
        assert case["tempo"] in (None, "slow", "fast") or (
            isinstance(case["tempo"], int) and 20 <= case["tempo"] <= 400), case
        assert case["mode"] in (None, "major", "minor"), case
        assert set(case["tags"]) <= TAGS, case


@pytest.mark.timeout(30)
def test_no_prompt_twice(cases: list[dict[str, Any]]) -> None:
    prompts = Counter(c["prompt"].strip().lower() for c in cases)
    assert [p for p, n in prompts.items() if n > 1] == []


@pytest.mark.timeout(30)
def test_every_family_is_valid_and_covered(cases: list[dict[str, Any]]) -> None:
    families = Counter(c["family"] for c in cases)
    assert set(families) - {None} <= set(FAMILIES), set(families) - set(FAMILIES)
    short = {f: families[f] for f in FAMILIES if families[f] < 12}
    assert short == {}
    assert families[None] >= 12  # prompts naming no genre at all


@pytest.mark.timeout(30)
def test_expectations_are_varied(cases: list[dict[str, Any]]) -> None:
    assert sum(c["tempo"] is not None for c in cases) >= 60
    assert sum(c["mode"] is not None for c in cases) >= 60
    assert sum("nongm" in c["tags"] for c in cases) >= 60
    assert sum(bool(c["instruments"]) for c in cases) >= 200


@pytest.mark.timeout(30)
def test_every_instrument_has_a_matching_rule(cases: list[dict[str, Any]]) -> None:
    table = yaml.safe_load(TABLE.read_text(encoding="utf-8"))["instruments"]
    named = {name for c in cases for name in c["instruments"]}
    assert named - set(table) == set()
    for name, rule in table.items():
        assert rule.get("programs") or rule.get("percussion"), name
