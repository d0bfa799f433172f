"""The journal of a farm run: which jobs are done, by which run, where their results are.
Rewritten atomically after every job, so a driver killed at any moment leaves it whole,
and a run started again skips what it records as done."""

from __future__ import annotations

__all__ = ["JOURNAL", "Journal"]

import json
from pathlib import Path
from typing import Any

from livetimbre.errors import FileProblem
from livetimbre.files.read import read_user_text
from livetimbre.files.write import write_json

JOURNAL = "farm-journal.json"
JOURNAL_LIMIT = 64 * 1024 * 1024  # bytes


class Journal:
    """`jobs`: job id → {line, state, artifact, file, run, seconds, error}."""

    def __init__(self, path: Path, runs: int, jobs: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.runs = runs
        self.jobs = jobs

    @classmethod
    def open(cls, folder: Path) -> Journal:
        """The journal in `folder` (a new one if it has none); a new run begins."""
        path = folder / JOURNAL
        if not path.exists():
            journal = cls(path, 1, {})
        else:
            text = read_user_text(path, "farm journal", FileProblem, JOURNAL_LIMIT)
            try:
                data = json.loads(text)
                journal = cls(path, int(data["runs"]) + 1, dict(data["jobs"]))
            except (ValueError, KeyError, TypeError):
                raise FileProblem(f"The farm journal {path} is damaged; move it away to "
                                  "start the farm afresh.") from None
        journal.save()
        return journal

    def done(self, job_id: str) -> bool:
        return self.jobs.get(job_id, {}).get("state") == "done"

    def record(self, job_id: str, **entry: Any) -> None:
        """Record `job_id`'s outcome and write the journal (atomically)."""
        self.jobs[job_id] = {**entry, "run": self.runs}
        self.save()

    def save(self) -> None:
        write_json(self.path, {"version": 1, "runs": self.runs, "jobs": self.jobs})
