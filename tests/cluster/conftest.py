"""A real local Ray cluster for the cluster tests: `ray start --head` with 2 CPUs, no
dashboard and a small object store, in a temporary folder, its processes ended when the
module is done (by their ids: `ray stop` would end every Ray cluster on the machine).
Skipped only when Ray is not installed (`make test` installs it)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
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
        stop_cluster(temp, "")
        raise RuntimeError("ray start failed: " + started.stderr[-3000:])
    address = (temp / "ray_current_cluster").read_text().strip()
    return Cluster(address, {**env, "RAY_ADDRESS": address})


def _ours(temp: Path, address: str) -> list[int]:
    """The processes of this cluster only (`ray stop` would end every cluster here): those
    whose command line names its folder or its address."""
    marks = [str(temp).encode()] + ([address.encode()] if address else [])
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if any(mark in command for mark in marks):
                found.append(int(entry.name))
    return found


def stop_cluster(temp: Path, address: str) -> None:
    """End this cluster's processes (SIGTERM, then SIGKILL after 15 s), remove its files."""
    pids = _ours(temp, address)
    for number in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)
        deadline = time.monotonic() + 15
        while pids and time.monotonic() < deadline:
            time.sleep(0.2)
            pids = [pid for pid in pids if _alive(pid)]
    shutil.rmtree(temp, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b") ", 1)[1][:1] != b"Z"
    except (OSError, IndexError):
        return False


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    temp = Path(tempfile.mkdtemp(prefix="lt-ray-"))
    running = start_cluster(temp)
    try:
        yield running
    finally:
        stop_cluster(temp, running.address)
