"""A worker process that dies fails its job (reason: crash) and is replaced; the same
request, asked again, is rendered anew and comes out whole."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.server.conftest import Served, start_server, stop_server, wait_done

pytestmark = pytest.mark.timeout(300)
TRACK = {"kind": "track", "prompt": "slow ambient drone", "duration": 12, "short": True,
         "seed": 9}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = start_server(tmp_path_factory.mktemp("crash-home"))
    try:
        yield server
    finally:
        stop_server(server)


def _workers(pid: int) -> list[int]:
    """The server's worker processes (its spawned children, not the resource tracker)."""
    found = []
    children = [c for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()]
    for child in children:
        command = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in command:
            found.append(int(child))
    return found


def _crashes(text: str) -> float:
    for family in text_string_to_metric_families(text):
        if family.name == "livetimbre_server_failures":
            return sum(s.value for s in family.samples
                       if s.name.endswith("_total") and s.labels.get("reason") == "crash")
    raise AssertionError("no failures metric")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_a_worker_killed_mid_render_fails_its_job_and_is_replaced(served: Served) -> None:
    with served.client() as client:
        job_id = client.post("/generate", json=TRACK).json()["job_id"]
        deadline = time.monotonic() + 120
        while client.get(f"/status/{job_id}").json()["state"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        (worker,) = _workers(served.process.pid)
        os.kill(worker, signal.SIGKILL)
        status = wait_done(client, job_id)
        assert status["state"] == "failed" and "worker stopped" in str(status["error"])
        assert _crashes(client.get("/metrics").text) == 1
        while client.get("/health/ready").status_code != 200:
            assert time.monotonic() < deadline + 120
            time.sleep(0.1)
        again = client.post("/generate", json=TRACK)
        assert again.status_code == 202 and again.json()["job_id"] == job_id
        assert wait_done(client, job_id)["state"] == "done"
        assert client.get(f"/artifact/{job_id}").status_code == 200
        assert _workers(served.process.pid) != [worker]
