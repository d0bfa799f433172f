"""Shared fixtures: the genre registry, and a LIVETIMBRE_HOME that is never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry, load_genres

REPO = Path(__file__).resolve().parents[1]
PATCHES = sorted((REPO / "patches").glob("*.yaml"))
# Tests that start processes (audio, render workers, MIDI sender, JACK) fail after this
# long rather than hang, unless they set a timeout of their own.
PROCESS_TEST_TIMEOUT = 300
PROCESS_TEST_DIRS = ("live", "e2e", "timing")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        parts = item.path.relative_to(REPO / "tests").parts
        if parts[0] in PROCESS_TEST_DIRS and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(PROCESS_TEST_TIMEOUT))


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("LIVETIMBRE_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("LIVETIMBRE_SOUNDFONT", raising=False)


@pytest.fixture(scope="session")
def genres() -> GenreRegistry:
    return load_genres()


# The timing tests need a JACK server of their own (64-frame period); a process follows
# one server, so they run in a separate pytest run (see tests/timing/conftest.py).
collect_ignore = [] if os.environ.get("LIVETIMBRE_TIMING_TESTS") else ["timing"]
