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


def start_cluster(temp: Path, cpus: int = 2, env: dict[str, str] | None = None) -> Cluster:
    """`ray start --head` on loopback with `cpus` CPUs, its files in `temp` (short: Ray's
    socket paths must fit in 107 bytes)."""
    env = {**cluster_env(temp), **(env or {})}
    started = subprocess.run(
        [RAY, "start", "--head", "--node-ip-address", "127.0.0.1", "--num-cpus", str(cpus),
         "--num-gpus", "0", "--include-dashboard=false", "--object-store-memory",
         "100000000", "--port", "0", "--temp-dir", str(temp), "--disable-usage-stats"],
        env=env, capture_output=True, text=True, timeout=180, check=False)
    if started.returncode != 0:
        stop_cluster(temp, env)
        raise RuntimeError("ray start failed: " + started.stderr[-3000:])
    address = (temp / "ray_current_cluster").read_text().strip()
    return Cluster(address, {**env, "RAY_ADDRESS": address})


def stop_cluster(temp: Path, env: dict[str, str]) -> None:
    subprocess.run([RAY, "stop", "--force"], env=env, capture_output=True, timeout=120,
                   check=False)
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    temp = Path(tempfile.mkdtemp(prefix="lt-ray-"))
    running = start_cluster(temp)
    try:
        yield running
    finally:
        stop_cluster(temp, running.env)
