"""`livetimbre farm` on a real local Ray cluster: four short composes finish, their
results in the store and the output folder; a driver killed midway is resumed by running
it again, and what was done before is not rendered again."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from livetimbre.server.worker import GENERATION
from livetimbre.store import Store
from tests.cluster.conftest import Cluster
from tests.server.conftest import REPO

# Two quick ones first: the driver is killed once one is done, while the others render.
FARM = """\
# four short composes
"calm piano by the sea" --duration 10 --short --seed 1
"dusty lofi beat" --duration 10 --short --seed 2

"dark techno pulse" --duration 20 --short --seed 3
"bright synthwave drive" --duration 20 --short --seed 4
"""


def _farm(cluster: Cluster, home: Path, farm: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "livetimbre.cli", "farm", str(farm), "--out", str(out),
         "--address", cluster.address], cwd=REPO,
        env={**cluster.env, "LIVETIMBRE_HOME": str(home)}, text=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _done(out: Path) -> dict[str, dict[str, object]]:
    try:
        jobs = json.loads((out / "farm-journal.json").read_text())["jobs"]
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in jobs.items() if v["state"] == "done"}


@pytest.mark.timeout(400)
def test_a_farm_finishes_and_resumes_after_its_driver_is_killed(
        cluster: Cluster, tmp_path: Path) -> None:
    home, out, farm = tmp_path / "home", tmp_path / "out", tmp_path / "album.txt"
    farm.write_text(FARM)
    first = _farm(cluster, home, farm, out)
    deadline = time.monotonic() + 240
    while not _done(out):
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        assert time.monotonic() < deadline, "no job finished"
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    before = _done(out)
    assert 1 <= len(before) < 4, before

    second = _farm(cluster, home, farm, out)
    _, said = second.communicate(timeout=300)
    assert second.returncode == 0, said[-3000:]
    # A job can finish in the store between the kill and the journal: the rerun finds
    # it there, records it and does not render it again.
    resumed = re.search(r"4 jobs: (\d) done already, (\d) to render \(run 2\)", said)
    assert resumed, said[-3000:]
    already = int(resumed[1])
    assert len(before) <= already < 4 and int(resumed[2]) == 4 - already, said[-3000:]
    progress = [line for line in said.splitlines() if "] line " in line]
    assert len(progress) == 4 - already, said[-3000:]

    after = _done(out)
    assert len(after) == 4
    assert {k: v["run"] for k, v in after.items() if k in before} == dict.fromkeys(before, 1)
    assert all(v["run"] == 2 for k, v in after.items() if k not in before)
    assert sorted(v["line"] for v in after.values()) == [2, 3, 5, 6]
    for entry in after.values():
        assert (out / str(entry["file"])).stat().st_size > 100_000
    with Store(home / "store") as store:
        made = Counter(a.recipe_hash for a in store.artifacts(kind=GENERATION))
    assert made == dict.fromkeys(after, 1)  # each job rendered (and kept) once
