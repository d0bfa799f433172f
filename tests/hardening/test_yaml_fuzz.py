"""Fuzzing the patch loader with hypothesis for LIVETIMBRE_FUZZ_SECONDS (default 60):
whatever the text, nothing but the project's own error type escapes."""

from __future__ import annotations

import contextlib
import os
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.patch import parse_patch
from tests.live._support import SMALL_PATCH

SECONDS = float(os.environ.get("LIVETIMBRE_FUZZ_SECONDS", "60"))
GENRES: GenreRegistry = load_genres()

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40))
trees = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=30)
keys = st.sampled_from(["session", "layers", "scenes", "controller", "genre", "tempo", "key",
                        "meter", "seed", "quantize", "bars", "backend", "clips", "name",
                        "prompt", "instrument", "gain", "mute", "solo"])
shaped = st.fixed_dictionaries({}, optional={
    "session": st.dictionaries(keys, scalars, max_size=8),
    "layers": st.dictionaries(st.text(max_size=10), st.one_of(st.none(), trees), max_size=4),
    "scenes": st.lists(st.dictionaries(keys, trees, max_size=4), max_size=4),
})
yaml_bits = st.sampled_from(["&a ", "*a", "[", "]", "{", "}", ": ", "- ", "\n", "\t", "'",
                             '"', "!!python/object ", "%YAML 1.1\n", "---\n", "? ", "|\n",
                             ">\n", "#", "\\u0000", "\x00", "\ufeff", "<<: *a\n", "!!int ",
                             "!!float ", "!!timestamp ", "!!binary ", "2024-13-45 "])


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The small patch with YAML syntax cut, doubled or spliced in at random places."""
    text = SMALL_PATCH
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        match draw(st.integers(0, 2)):
            case 0:
                text = text[:at] + draw(yaml_bits) + text[at:]
            case 1:
                text = text[:at] + text[at + draw(st.integers(1, 20)):]
            case _:
                text = text[:at] + draw(st.text(max_size=10)) + text[at:]
    return text


texts = st.one_of(st.text(max_size=300), mutated(),
                  shaped.map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
                  trees.map(lambda d: yaml.safe_dump(d, allow_unicode=True)))


@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(texts)
def _only_our_errors(text: str) -> None:
    with contextlib.suppress(LivetimbreError):  # anything else fails the test
        parse_patch(text, "fuzz.yaml", GENRES)


@pytest.mark.timeout(SECONDS + 120)
def test_patch_text_raises_only_livetimbre_errors() -> None:
    end = time.monotonic() + SECONDS
    rounds = 0
    while time.monotonic() < end:
        _only_our_errors()
        rounds += 1
    print(f"\nfuzzed the patch loader for {SECONDS:g} s: {rounds} rounds of 300 examples")
