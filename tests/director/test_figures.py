"""The issue's four figures on the written test set, for each provider (thresholds:
family ≥ 90 %, tempo words ≥ 95 %, mood → mode ≥ 90 %, named instruments ≥ 95 %)."""

from __future__ import annotations

import importlib.util

import pytest

from livetimbre.director.providers import DirectorContext, get_director
from livetimbre.genres import load_genres
from livetimbre.planner.direction import COMPOSER_PHRASES
from tests.director.measure import FIGURES, load_cases, measure

THRESHOLDS = dict(zip(FIGURES, (0.90, 0.95, 0.90, 0.95), strict=True))
PROVIDERS = ["lexicon", pytest.param("embedding", marks=pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="wordllama not installed"))]


def test_the_set_is_large_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 300
    assert len({c.get("f") for c in cases}) == 14  # 13 families and 'none named'
    assert sum(1 for c in cases if c.get("t")) >= 100
    assert sum(1 for c in cases if c.get("m")) >= 100


@pytest.mark.timeout(240)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_figures(provider: str) -> None:
    genres = load_genres()
    cases = load_cases()
    director = get_director(provider)
    assert director.name == provider
    context = DirectorContext(genres, COMPOSER_PHRASES)
    specs = [director.direct(c["p"], context) for c in cases]
    assert all(s.genre.id in genres.genres for s in specs)  # the genre played is installed
    figures = measure(cases, specs, genres)
    for name, threshold in THRESHOLDS.items():
        assert figures.share(name) >= threshold, (figures.line(name), figures.misses[name])
