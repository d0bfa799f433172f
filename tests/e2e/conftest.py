"""A real JACK server (dummy driver) as the audio clock for end-to-end tests.

Started once per test session under a private server name, before PortAudio is
(re)initialised so PortAudio's JACK host API sees it; PortAudio is terminated before
the server is stopped by its PID (see `tests/e2e/jack.py`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.jack import JackError, start_jack, stop_jack

RATE = 48000
PERIOD = 256


@pytest.fixture(scope="session")
def jack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a running `jackd -d dummy -r 48000 -p 256` server."""
    if shutil.which("jackd") is None:
        pytest.fail("jackd is not installed: 'make test' installs Debian's jackd2")
    log = tmp_path_factory.mktemp("jack") / "jackd.log"
    try:
        server = start_jack(f"livetimbre-test-{os.getpid()}", log, RATE, PERIOD)
    except JackError as exc:
        pytest.fail(str(exc))
    yield server.name
    stop_jack(server)
