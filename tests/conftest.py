"""Shared fixtures: the genre registry, and a LIVETIMBRE_HOME that is never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry, load_genres

REPO = Path(__file__).resolve().parents[1]
PATCHES = sorted((REPO / "patches").glob("*.yaml"))


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
