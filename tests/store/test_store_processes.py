"""The store with real processes: several writers (and a `gc`) at once, and writers
killed with SIGKILL mid-write — the store stays consistent: no row without its blob, no
partial blob under a final name; what is left over (orphans, temporary files) `gc` removes."""

from __future__ import annotations

import hashlib
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livetimbre.store import Store, VerifyReport, gc, verify
from tests.conftest import REPO

KILLS = 40

WRITER = """
import os, sys
from pathlib import Path
from livetimbre.store import Store
root, number, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with Store(root) as store:
    print("ready", flush=True)
    for n in range(count):
        if n % 3 == 0:   # the same content in every writer: one blob
            data = b"shared %d" % n * 1000
        else:
            data = os.urandom(20_000 + n)
        store.put(data, "clip", name=f"w{number}-{n}", tags={"writer": str(number)},
                  evictable=n % 2 == 0)
print("done", flush=True)
"""

COLLECTOR = """
import sys, time
from pathlib import Path
from livetimbre.store import Store, gc
with Store(Path(sys.argv[1])) as store:
    print("ready", flush=True)
    while True:
        gc(store)
        time.sleep(0.01)
"""

SLOW_WRITER = """
import os, sys
from pathlib import Path
from livetimbre.store import Store
with Store(Path(sys.argv[1])) as store:
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        size = (1 + n % 4) * 2**20
        data = os.urandom(size) if n % 5 else b"same" * (size // 4)
        store.put([data[i:i + 65536] for i in range(0, size, 65536)], "clip",
                  evictable=True, tags={"n": str(n)})
        store.evict(24 * 2**20)
"""

PAUSED_WRITER = """
import sys, time
from pathlib import Path
from livetimbre.store import Store
from livetimbre.store.blobs import Blobs
publish = Blobs.publish
def publish_and_wait(self, temp):
    renamed = publish(self, temp)
    print("published", flush=True)
    time.sleep(60)
    return renamed
Blobs.publish = publish_and_wait
with Store(Path(sys.argv[1])) as store:
    store.put(b"never committed " + sys.argv[2].encode() * 1000, "clip")
"""


def _start(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    if child.stdout is not None:
        child.stdout.close()


def _assert_consistent(report: VerifyReport) -> None:
    """No row without its blob, no broken blob; every orphan a whole blob."""
    assert not report.corrupted and not report.missing and not report.strays, report.lines()
    for orphan in report.orphans:
        assert hashlib.sha256(orphan.read_bytes()).hexdigest() == orphan.name


@pytest.mark.timeout(120)
def test_four_writers_and_a_collector_at_once(tmp_path: Path) -> None:
    root = tmp_path / "store"
    Store(root).close()
    collector = _start(COLLECTOR, str(root))
    try:
        assert collector.stdout is not None and collector.stdout.readline() == "ready\n"
        writers = [_start(WRITER, str(root), str(n), "30") for n in range(4)]
        for writer in writers:
            out, _ = writer.communicate(timeout=90)
            assert writer.returncode == 0 and out.endswith("done\n")
    finally:
        _kill(collector)
    with Store(root) as store:
        artifacts = store.artifacts()
        assert len(artifacts) == 120
        assert {a.tags["writer"] for a in artifacts} == {"0", "1", "2", "3"}
        shared = [a for a in artifacts if a.name.endswith("-0")]
        assert len({a.sha256 for a in shared}) == 1  # deduplicated across processes
        report = verify(store)
        assert report.clean, report.lines()


@pytest.mark.timeout(300)
def test_kill_9_at_random_moments_of_large_writes_leaves_the_store_consistent(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    rng = random.Random(14)
    orphans = temps = 0
    for kill in range(KILLS):
        child = _start(SLOW_WRITER, str(root))
        try:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
            time.sleep(rng.uniform(0.0, 0.4))
        finally:
            _kill(child)
        with Store(root) as store:
            report = verify(store)
            _assert_consistent(report)
            orphans += len(report.orphans)
            temps += len(report.temps)
            for artifact in store.artifacts():  # every row reads back whole
                assert len(store.read(artifact)) == artifact.size
            if kill % 10 == 9:
                gc(store)
                assert verify(store).clean, (kill, verify(store).lines())
    with Store(root) as store:
        gc(store)
        assert verify(store).clean
        written = len(store.artifacts())
    print(f"\n{KILLS} kill -9 mid-write: consistent every time; orphan blobs seen {orphans} "
          f"times, temporary files {temps} times (gc removed them); {written} artifacts kept")


@pytest.mark.timeout(120)
def test_kill_9_between_the_blob_and_its_row_leaves_an_orphan_only(tmp_path: Path) -> None:
    root = tmp_path / "store"
    for attempt in range(5):
        child = _start(PAUSED_WRITER, str(root), str(attempt))
        try:
            assert child.stdout is not None and child.stdout.readline() == "published\n"
        finally:
            _kill(child)  # it holds the write lock: the transaction dies with it
        with Store(root) as store:
            assert store.artifacts() == []
            report = verify(store)
            _assert_consistent(report)
            assert len(report.orphans) == 1
            assert gc(store).orphans == 1 and verify(store).clean


@pytest.mark.timeout(120)
def test_processes_creating_the_same_new_store_at_once(tmp_path: Path) -> None:
    root = tmp_path / "store"  # does not exist yet: all four create and migrate it
    writers = [_start(WRITER, str(root), str(n), "3") for n in range(4)]
    for writer in writers:
        out, _ = writer.communicate(timeout=90)
        assert writer.returncode == 0 and out.endswith("done\n"), out
    with Store(root) as store:
        assert len(store.artifacts()) == 12 and verify(store).clean
