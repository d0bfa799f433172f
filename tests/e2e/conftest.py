"""A real JACK server (dummy driver) as the audio clock for end-to-end tests.

Started once per test session under a private server name, before PortAudio is
(re)initialised so PortAudio's JACK host API sees it; PortAudio is terminated before
the server is stopped by its PID.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

RATE = 48000
PERIOD = 256


def _reinitialise_portaudio() -> None:
    if "sounddevice" in sys.modules:
        import sounddevice

        sounddevice._terminate()
        sounddevice._initialize()


@pytest.fixture(scope="session")
def jack_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a running `jackd -d dummy -r 48000 -p 256` server."""
    if shutil.which("jackd") is None:
        pytest.fail("jackd is not installed: 'make test' installs Debian's jackd2")
    name = f"livetimbre-test-{os.getpid()}"
    log = tmp_path_factory.mktemp("jack") / "jackd.log"
    env = {**os.environ, "JACK_NO_AUDIO_RESERVATION": "1", "JACK_NO_START_SERVER": "1"}
    with log.open("w") as out:
        # Real-time scheduling, as on stage (CI runs as root, so JACK gets it).
        process = subprocess.Popen(
            ["jackd", "-n", name, "-d", "dummy", "-r", str(RATE), "-p", str(PERIOD)],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    os.environ["JACK_DEFAULT_SERVER"] = name
    os.environ["JACK_NO_START_SERVER"] = "1"
    deadline = time.monotonic() + 10
    while True:
        probe = subprocess.run(["jack_lsp"], capture_output=True, text=True, env=os.environ)
        if probe.returncode == 0 and "system:playback_1" in probe.stdout:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"jackd did not start: {Path(log).read_text()[-2000:]}")
        time.sleep(0.05)
    _reinitialise_portaudio()
    yield name
    if "sounddevice" in sys.modules:
        import sounddevice

        sounddevice._terminate()
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    os.environ.pop("JACK_DEFAULT_SERVER", None)
