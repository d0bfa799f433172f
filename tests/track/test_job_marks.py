"""A cancelled compose killed before it could record its end is marked interrupted by
the session that cancelled it; a job that recorded its own end keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.track.jobs import list_jobs, mark_interrupted, new_job
from livetimbre.track.request import ComposeRequest

pytestmark = pytest.mark.timeout(30)


def _job(home: Path, state: str) -> str:
    job = new_job(home, ComposeRequest(prompt="house", output=str(home / "x.wav")))
    job.update(state=state, pid=None if state != "running" else 4242)
    return job.id


def test_a_running_job_is_marked_interrupted(tmp_path: Path) -> None:
    job_id = _job(tmp_path, "running")
    mark_interrupted(tmp_path, job_id)
    (record,) = list_jobs(tmp_path)
    assert (record.id, record.state, record.pid) == (job_id, "interrupted", None)


@pytest.mark.parametrize("state", ["done", "failed", "qa-failed", "interrupted"])
def test_a_job_that_recorded_its_end_keeps_it(tmp_path: Path, state: str) -> None:
    job_id = _job(tmp_path, state)
    mark_interrupted(tmp_path, job_id)
    assert [r.state for r in list_jobs(tmp_path)] == [state]


def test_a_missing_or_damaged_job_is_left_alone(tmp_path: Path) -> None:
    mark_interrupted(tmp_path, "20261207-193154-e29644")  # no such job: nothing raised
    job_id = _job(tmp_path, "running")
    (tmp_path / "jobs" / job_id / "job.json").write_text("{not json", encoding="utf-8")
    mark_interrupted(tmp_path, job_id)
    assert list_jobs(tmp_path) == []
