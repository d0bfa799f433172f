"""Job folders under `$LIVETIMBRE_HOME/jobs/ID/`: the run's state and each stage's output.

`job.json` holds the request and the state (running, failed, qa-failed, interrupted,
done), the stages finished and the sections rendered; `NN-stage.json` are the stages'
specs; `audio/` holds the intermediate audio (float32 .npy), removed when the job is
released. Every file is written atomically, so a kill at any moment leaves the previous
state.
"""

from __future__ import annotations

__all__ = ["STAGES", "Job", "JobRecord", "check_job_id", "jobs_root", "list_jobs", "new_job",
           "open_job"]

import io
import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from livetimbre import __version__
from livetimbre.errors import FileProblem, LivetimbreError, ValueProblem
from livetimbre.files.read import read_user_text, shown_path
from livetimbre.files.write import atomic_path, write_json
from livetimbre.track.request import ComposeRequest

STAGES = ("direction", "composition", "arrangement", "sound-design", "mixing", "mastering",
          "qa", "release")
State = Literal["running", "failed", "qa-failed", "interrupted", "done"]
_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")
_ARRAY_LIMIT = 2 * 1024**3
M = TypeVar("M", bound=BaseModel)


class JobRecord(BaseModel):
    id: str
    livetimbre: str = __version__
    created: str
    updated: str
    state: State = "running"
    stages: list[str] = []  # finished, in order
    sections: list[int] = []  # rendered (sound design), by index
    error: str | None = None
    pid: int | None = None
    request: ComposeRequest

    @property
    def next_stage(self) -> str | None:
        for stage in STAGES:
            if stage not in self.stages:
                return stage
        return None


def jobs_root(home: Path) -> Path:
    return home / "jobs"


def check_job_id(text: str, where: str = "--resume") -> str:
    """`text` if it has the form of a job id; anything else (a path, '..') is refused."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        shown = repr(text)[:50]
        raise ValueProblem(f"{shown} ({where}) is not a job id: ids look like "
                           "20250101-120000-a1b2c3 (`livetimbre jobs` lists them).")
    return text


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class Job:
    """One run's folder."""

    def __init__(self, folder: Path, record: JobRecord) -> None:
        self.folder = folder
        self.record = record

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def request(self) -> ComposeRequest:
        return self.record.request

    def save(self) -> None:
        self.record = self.record.model_copy(update={"updated": _now()})
        write_json(self.folder / "job.json", self.record.model_dump(mode="json"))

    def update(self, **changes: object) -> None:
        self.record = self.record.model_copy(update=changes)
        self.save()

    # --- stage specs ------------------------------------------------------------------
    def spec_path(self, stage: str) -> Path:
        return self.folder / f"{STAGES.index(stage) + 1:02d}-{stage}.json"

    def save_spec(self, stage: str, spec: BaseModel) -> None:
        write_json(self.spec_path(stage), spec.model_dump(mode="json"))

    def load_spec(self, stage: str, model: type[M]) -> M:
        path = self.spec_path(stage)
        text = read_user_text(path, f"job {self.id} {stage} spec", FileProblem,
                              limit=256 * 1024**2)
        try:
            return model.model_validate_json(text)
        except ValidationError as exc:
            raise FileProblem(f"Job {self.id}: the {stage} spec {shown_path(path)} is "
                              f"damaged ({exc.error_count()} problems); start a new run."
                              ) from None

    def finish_stage(self, stage: str, spec: BaseModel) -> None:
        """Save `stage`'s spec, then record it finished (in that order)."""
        self.save_spec(stage, spec)
        self.update(stages=[*self.record.stages, stage])

    # --- intermediate audio -------------------------------------------------------------
    def array_path(self, name: str) -> Path:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,80}", name) or ".." in name:
            raise ValueProblem(f"Bad intermediate name {name!r}.")
        return self.folder / "audio" / f"{name}.npy"

    def save_array(self, name: str, audio: np.ndarray) -> None:
        path = self.array_path(name)
        path.parent.mkdir(exist_ok=True)
        with atomic_path(path) as tmp, open(tmp, "wb") as handle:
            np.save(handle, np.ascontiguousarray(audio), allow_pickle=False)

    def load_array(self, name: str) -> np.ndarray:
        path = self.array_path(name)
        try:
            if path.stat().st_size > _ARRAY_LIMIT:
                raise FileProblem(f"Job {self.id}: {shown_path(path)} is too large.")
            with open(path, "rb") as handle:
                data = handle.read()
            loaded: np.ndarray = np.load(io.BytesIO(data), allow_pickle=False)
            return loaded
        except OSError as exc:
            raise FileProblem(f"Job {self.id}: cannot read {shown_path(path)} "
                              f"({exc.strerror or type(exc).__name__}); start a new run."
                              ) from None
        except ValueError:  # its message may quote the file's first bytes
            raise FileProblem(f"Job {self.id}: {shown_path(path)} is not a NumPy array "
                              "file; start a new run.") from None

    def drop_audio(self) -> None:
        shutil.rmtree(self.folder / "audio", ignore_errors=True)


def new_job(home: Path, request: ComposeRequest) -> Job:
    root = jobs_root(home)
    root.mkdir(parents=True, exist_ok=True)
    for _ in range(10):
        job_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
        folder = root / job_id
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        now = _now()
        job = Job(folder, JobRecord(id=job_id, created=now, updated=now, pid=os.getpid(),
                                    request=request))
        job.save()
        return job
    raise FileProblem(f"Cannot create a job folder in {shown_path(root)}.")


def open_job(home: Path, job_id: str, where: str = "--resume") -> Job:
    check_job_id(job_id, where)
    folder = jobs_root(home) / job_id
    path = folder / "job.json"
    if not path.is_file():
        raise ValueProblem(f"No job {job_id} ({where}) in {shown_path(jobs_root(home))} "
                           "(`livetimbre jobs` lists them).")
    text = read_user_text(path, f"job {job_id} record", FileProblem)
    try:
        record = JobRecord.model_validate_json(text)
    except ValidationError:
        raise FileProblem(f"Job {job_id}: its record {shown_path(path)} is damaged.") from None
    return Job(folder, record)


def mark_interrupted(home: Path, job_id: str) -> None:
    """Record a cancelled job whose process ended before it could (killed while in a long
    step) as interrupted; a job that recorded its own end is left as it is."""
    try:
        job = open_job(home, job_id)
    except LivetimbreError:
        return  # nothing readable to mark
    if job.record.state == "running":
        job.update(state="interrupted", pid=None)


def list_jobs(home: Path) -> list[JobRecord]:
    """Every readable job, oldest first (damaged ones are skipped)."""
    root = jobs_root(home)
    out: list[JobRecord] = []
    if not root.is_dir():
        return out
    for folder in sorted(root.iterdir()):
        if not _ID.fullmatch(folder.name):
            continue
        try:
            out.append(open_job(home, folder.name).record)
        except (FileProblem, ValueProblem):
            continue
    return out
