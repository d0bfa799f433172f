"""A real JACK server (dummy driver) as the audio clock for end-to-end tests.

Started once per test session under a private server name, before PortAudio is
(re)initialised so PortAudio's JACK host API sees it; PortAudio is terminated before
the server is stopped by its PID (see `tests/e2e/jack.py`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.jack import serve_jack

RATE = 48000
PERIOD = 256


@pytest.fixture(scope="session")
def jack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a running `jackd -d dummy -r 48000 -p 256` server."""
    yield from serve_jack(tmp_path_factory, "livetimbre-test", RATE, PERIOD)
