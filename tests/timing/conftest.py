"""Timing tests: a JACK server with a 64-frame period (1.33 ms at 48 kHz), because JACK
MIDI delivers events at period boundaries. Run on their own (a process can follow only
one JACK server): `LIVETIMBRE_TIMING_TESTS=1 pytest tests/timing` (`make test` does)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.jack import serve_jack
from tests.e2e.midi_device import JACK_MIDI

RATE = 48000
PERIOD = 64


@pytest.fixture(scope="session")
def jack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a running `jackd -d dummy -r 48000 -p 64` server."""
    yield from serve_jack(tmp_path_factory, "livetimbre-timing", RATE, PERIOD)


@pytest.fixture
def jack_midi(monkeypatch: pytest.MonkeyPatch, jack_server: str) -> str:
    monkeypatch.setenv("MIDO_BACKEND", JACK_MIDI)
    return jack_server
