"""A real local Ray cluster for the cluster tests: `ray start --head` with 2 CPUs, no
dashboard and a small object store, in a temporary folder, stopped (`ray stop`) when the
module is done. Skipped only when Ray is not installed (`make test` installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="the cluster extra (ray[serve]) is not installed")

RAY = str(Path(sys.executable).with_name("ray"))


@dataclass(frozen=True)
class Cluster:
    """A running head node: the address to join it, the environment to use it with."""

    address: str
    env: dict[str, str]


def cluster_env(temp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LIVETIMBRE_", "RAY_"))}
    # No token: the cluster listens on this machine only, for the tests' lifetime.
    env.update(RAY_USAGE_STATS_ENABLED="0", RAY_TMPDIR=str(temp), RAY_AUTH_MODE="disabled")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    # A short folder: Ray's socket paths must fit in 107 bytes.
    temp = Path(tempfile.mkdtemp(prefix="lt-ray-"))
    env = cluster_env(temp)
    started = subprocess.run(
        [RAY, "start", "--head", "--node-ip-address", "127.0.0.1", "--num-cpus", "2",
         "--num-gpus", "0",
         "--include-dashboard=false", "--object-store-memory", "100000000", "--port", "0",
         "--temp-dir", str(temp), "--disable-usage-stats"],
        env=env, capture_output=True, text=True, timeout=180, check=False)
    assert started.returncode == 0, started.stderr[-3000:]
    address = (temp / "ray_current_cluster").read_text().strip() if (
        temp / "ray_current_cluster").exists() else ""
    if not address:
        for line in started.stdout.splitlines():
            if "--address=" in line:
                address = line.split("--address=", 1)[1].split()[0].strip("'\"")
                break
    try:
        assert address, started.stdout[-3000:]
        yield Cluster(address, {**env, "RAY_ADDRESS": address})
    finally:
        subprocess.run([RAY, "stop", "--force"], env=env, capture_output=True, timeout=120,
                       check=False)
        shutil.rmtree(temp, ignore_errors=True)
