"""A real `livetimbre serve` on 127.0.0.1 (an ephemeral port), started by the tests in
a process of its own, with a home of its own; stopped (SIGTERM) when they are done."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0
_SERVING = re.compile(r"serving on (http://127\.0\.0\.1:\d+)")


@dataclass
class Served:
    """A running server: its URL, its home, what it printed so far."""

    url: str
    home: Path
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def server_env(home: Path, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LIVETIMBRE_SOUNDFONT", "LIVETIMBRE_SERVER_TOKEN")}
    env["LIVETIMBRE_HOME"] = str(home)
    if token is not None:
        env["LIVETIMBRE_SERVER_TOKEN"] = token
    return env


def start_server(home: Path, *options: str, token: str | None = None) -> Served:
    """Start `livetimbre serve --port 0 OPTIONS`; return once it is ready."""
    process = subprocess.Popen(
        [sys.executable, "-m", "livetimbre.cli", "serve", "--port", "0", "--log-level",
         "warning", *options], cwd=REPO, env=server_env(home, token), text=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served("", home, process)
    found = threading.Event()

    def drain() -> None:  # keeps the pipe empty, so the server never blocks on it
        assert process.stderr is not None
        for line in process.stderr:
            served.lines.append(line)
            match = _SERVING.search(line)
            if match and not found.is_set():
                served.url = match.group(1)
                found.set()

    threading.Thread(target=drain, daemon=True).start()
    if not found.wait(START_TIMEOUT):
        stop_server(served)
        pytest.fail("the server did not start: " + "".join(served.lines)[-2000:])
    deadline = time.monotonic() + START_TIMEOUT
    with served.client(token) as client:
        while client.get("/health/ready").status_code != 200:
            assert time.monotonic() < deadline, "".join(served.lines)[-2000:]
            time.sleep(0.2)
    return served


def stop_server(served: Served) -> None:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(30)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server (one worker) for a module's tests."""
    served = start_server(tmp_path_factory.mktemp("server-home"), "--burst", "50")
    try:
        yield served
    finally:
        stop_server(served)


def wait_done(client: httpx.Client, job_id: str, timeout: float = 240.0) -> dict[str, object]:
    """The job's final status (done or failed), polling."""
    deadline = time.monotonic() + timeout
    while True:
        status: dict[str, object] = client.get(f"/status/{job_id}").json()
        if status["state"] in ("done", "failed"):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.1)
