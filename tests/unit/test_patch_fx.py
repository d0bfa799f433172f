"""Patch `fx:` fields: a layer's effects and the master's, saved and restored."""

from __future__ import annotations

import pytest
import yaml

from livetimbre.errors import PatchError
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.patch import parse_patch
from livetimbre.patch.dump import session_to_patch

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 120}
layers:
  drums: {fx: {cutoff: 800, resonance: 0.4, filter: highpass, delay: 0.25}}
  bass: {fx: {reverb: 0.5, filter: lowpass}}
scenes:
  - name: a
fx: {delay_time: 3/4, feedback: 0.6, room: 0.8, stutter: 1/16}
"""


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


def test_fx_load(genres: GenreRegistry) -> None:
    s = parse_patch(PATCH, "p.yaml", genres)
    assert s.layer("drums").fx == {"cutoff": 800, "resonance": 0.4, "filter": 2, "delay": 0.25}
    assert s.layer("bass").fx == {"reverb": 0.5}  # lowpass is the default: not kept
    assert s.fx == {"feedback": 0.6, "room": 0.8, "stutter": 0.25}  # 3/4 beat is the default


def test_fx_round_trip_through_save(genres: GenreRegistry) -> None:
    s = parse_patch(PATCH, "p.yaml", genres)
    data = session_to_patch(s)
    assert data["layers"]["drums"]["fx"]["filter"] == "highpass"
    assert data["fx"]["stutter"] == "1/16"
    assert parse_patch(yaml.safe_dump(data, sort_keys=False), "again.yaml", genres) == s


@pytest.mark.parametrize(("old", "new", "needle"), [
    ("cutoff: 800", "cutoff: 8", "out of range"),
    ("cutoff: 800", "wobble: 1", "Unknown effect parameter 'wobble'"),
    ("cutoff: 800", "stutter: 1/16", "master effect"),
    ("room: 0.8", "delay: 0.8", "layer effect"),
    ("filter: highpass", "filter: notch", "not one of"),
    ("feedback: 0.6", "feedback: [1]", "not a number"),
])
def test_bad_fx_names_line(genres: GenreRegistry, old: str, new: str, needle: str) -> None:
    text = PATCH.replace(old, new)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if new in row)
    with pytest.raises(PatchError) as info:
        parse_patch(text, "p.yaml", genres)
    assert needle in str(info.value) and f"p.yaml:{line}" in str(info.value)
