"""`livetimbre serve --ray` on the test cluster: started in a process of its own with a
home of its own, on a free port; stopped (SIGTERM) when the tests are done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.cluster.conftest import Cluster, free_port
from tests.server.conftest import REPO, Served

START_TIMEOUT = 180.0
# One procedural replica (2 CPUs: one for it, one for the farm and the drivers), MusicGen
# scaled to zero (never asked for here).
TEST_CONFIG = """\
ingress_cpus: 0
senders: 2
retries: 2
procedural: {num_cpus: 1, num_replicas: 1}
musicgen: {num_cpus: 0, num_gpus: 0, autoscaling: {min_replicas: 0, max_replicas: 1}}
"""


def start_ray_server(cluster: Cluster, home: Path, config: str = TEST_CONFIG,
                     *options: str) -> Served:
    """`livetimbre serve --ray ADDRESS --port PORT OPTIONS`; returned once /health/ready
    is 200."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "ray.yaml").write_text(config)
    port = free_port()
    env = {**cluster.env, "LIVETIMBRE_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "livetimbre.cli", "serve", "--ray", cluster.address,
         "--ray-config", str(home / "ray.yaml"), "--port", str(port), *options], cwd=REPO,
        env=env,
        text=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    served = Served(f"http://127.0.0.1:{port}", home, process)

    def drain() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            served.lines.append(line)

    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    with served.client() as client:
        while True:
            assert process.poll() is None, "".join(served.lines)[-3000:]
            try:
                if client.get("/health/ready").status_code == 200:
                    return served
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                stop_ray_server(served)
                pytest.fail("serve --ray did not start: " + "".join(served.lines)[-3000:])
            time.sleep(0.5)


def stop_ray_server(served: Served) -> None:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGTERM)
        try:
            served.process.wait(60)
        except subprocess.TimeoutExpired:
            served.process.kill()
            served.process.wait(10)


def replica_pids(deployment: str) -> list[int]:
    """The processes of the test cluster's replicas of `deployment` (by their title)."""
    title = f"ServeReplica:livetimbre:{deployment}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if title in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return [pid for pid in pids if pid != os.getpid()]


TINY_ID = "test/tiny-musicgen"  # the model id tiny_hub's cache answers for


def tiny_hub(root: Path) -> Path:
    """A Hugging Face cache (HF_HUB_CACHE) holding the tiny random-weight MusicGen as
    TINY_ID, so every Ray worker finds it by id (a model id cannot be a path)."""
    from tests.musicgen.tiny import build_tiny_musicgen

    revision = "0" * 40
    repo = root / ("models--" + TINY_ID.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)
    build_tiny_musicgen(repo / "snapshots" / revision)
    return root
