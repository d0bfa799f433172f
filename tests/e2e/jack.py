"""Start and stop a real JACK server with the dummy driver (for tests and benchmarks).

The server runs on the CPU livetimbre keeps for audio (`livetimbre.system.cpus`), as a
performer's audio server should: there its real-time thread never waits behind a
render worker's kernel work.
"""

from __future__ import annotations

__all__ = ["JackError", "JackServer", "serve_jack", "start_jack", "stop_jack"]

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livetimbre.system.cpus import plan_cpus


@dataclass(frozen=True)
class JackServer:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


class JackError(RuntimeError):
    pass


def start_jack(name: str, log: Path, rate: int = 48000, period: int = 256,
               audio_cpu: str = "auto", timeout: float = 10.0) -> JackServer:
    """Start `jackd -n NAME -d dummy -r RATE -p PERIOD` on the CPU `audio_cpu` chooses
    (as `--audio-cpu` does for livetimbre), wait until it serves clients, and make it
    the default server of this process (and of PortAudio, re-initialised)."""
    plan = plan_cpus(audio_cpu)
    env = {**os.environ, "JACK_NO_AUDIO_RESERVATION": "1", "JACK_NO_START_SERVER": "1"}

    def on_audio_cpu() -> None:
        if plan is not None:
            os.sched_setaffinity(0, plan.audio)

    with log.open("w") as out:
        # Real-time scheduling, as on stage (CI runs as root, so JACK gets it).
        process = subprocess.Popen(
            ["jackd", "-n", name, "-d", "dummy", "-r", str(rate), "-p", str(period)],
            stdout=out, stderr=subprocess.STDOUT, env=env, preexec_fn=on_audio_cpu,
        )
    os.environ["JACK_DEFAULT_SERVER"] = name
    os.environ["JACK_NO_START_SERVER"] = "1"
    deadline = time.monotonic() + timeout
    while True:
        probe = subprocess.run(["jack_lsp"], capture_output=True, text=True, env=os.environ)
        if probe.returncode == 0 and "system:playback_1" in probe.stdout:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise JackError(f"jackd did not start: {log.read_text()[-2000:]}")
        time.sleep(0.05)
    _reinitialise_portaudio()
    return JackServer(name, process, log)


def _reinitialise_portaudio() -> None:
    """PortAudio lists JACK only if the server ran when it initialised."""
    if "sounddevice" in sys.modules:
        import sounddevice

        sounddevice._terminate()
        sounddevice._initialize()


def stop_jack(server: JackServer) -> None:
    """Terminate PortAudio first (it holds a client), then the server, by its PID."""
    if "sounddevice" in sys.modules:
        import sounddevice

        sounddevice._terminate()
    server.process.terminate()
    try:
        server.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    if os.environ.get("JACK_DEFAULT_SERVER") == server.name:
        os.environ.pop("JACK_DEFAULT_SERVER", None)


def serve_jack(tmp_path_factory: Any, name: str, rate: int, period: int) -> Iterator[str]:
    """The body of a session fixture: a running JACK dummy server's name, stopped after
    the session; a missing or failing jackd fails the test with the reason."""
    import pytest

    if shutil.which("jackd") is None:
        pytest.fail("jackd is not installed: 'make test' installs Debian's jackd2")
    log = tmp_path_factory.mktemp("jack") / "jackd.log"
    try:
        server = start_jack(f"{name}-{os.getpid()}", log, rate, period)
    except JackError as exc:
        pytest.fail(str(exc))
    yield server.name
    stop_jack(server)
