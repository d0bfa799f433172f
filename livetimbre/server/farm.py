"""`livetimbre farm`'s driver: the jobs not done yet go to the Ray cluster as tasks (one
CPU each, sent again up to `retries` times when their worker dies); a line is said as
each job ends, its result copied from the store into the output folder and recorded in
the journal. Run again after the driver was stopped or killed, it resumes: what the
journal or the store holds already is not rendered again."""

from __future__ import annotations

__all__ = ["run_farm"]

from collections.abc import Callable
from pathlib import Path

from livetimbre.files.write import atomic_path
from livetimbre.outputs import make_folder
from livetimbre.server.farm_jobs import FarmJob, FarmOutcome, FarmSetup, run_job
from livetimbre.server.farm_journal import Journal
from livetimbre.server.worker import GENERATION
from livetimbre.store import Artifact, Store

_SUFFIX = {"audio/wav": "wav", "audio/flac": "flac", "audio/ogg": "ogg", "audio/mpeg": "mp3"}


def _export(store: Store, artifact: Artifact, job: FarmJob, out: Path) -> str:
    """Copy the job's result into `out`; its file name."""
    name = f"{job.line:04d}-{job.job_id[:12]}.{_SUFFIX.get(artifact.media_type, 'bin')}"
    target = out / name
    if not target.exists():
        with atomic_path(target) as tmp, tmp.open("wb") as file:
            for chunk in store.chunks(artifact):
                file.write(chunk)
    return name


def run_farm(jobs: list[FarmJob], setup: FarmSetup, out: Path, address: str | None,
             retries: int, say: Callable[[str], None]) -> int:
    """Render every job; 0 when all are done, 1 when some failed."""
    make_folder(out, "the farm's output folder")
    journal = Journal.open(out)
    store = Store(setup.settings.store_dir)
    try:
        pending: list[FarmJob] = []
        for job in jobs:
            found = store.find_recipe(job.job_id, GENERATION)
            if found is None:
                pending.append(job)
            elif not journal.done(job.job_id):  # done, but the driver died before saying so
                journal.record(job.job_id, line=job.line, state="done", artifact=found.id,
                               file=_export(store, found, job, out), seconds=0.0)
        count = f"{len(jobs)} job{'s' if len(jobs) != 1 else ''}"
        say(f"{count}: {len(jobs) - len(pending)} done already, {len(pending)} to render "
            f"(run {journal.runs})")
        if not pending:
            return 0
        return _run(pending, len(jobs) - len(pending), len(jobs), setup, store, journal, out,
                    address, retries, say)
    finally:
        store.close()


def _run(pending: list[FarmJob], finished: int, total: int, setup: FarmSetup, store: Store,
         journal: Journal, out: Path, address: str | None, retries: int,
         say: Callable[[str], None]) -> int:
    import ray
    from ray.exceptions import RayError

    from livetimbre.server.cluster import connect

    connect(address)
    try:
        task = ray.remote(num_cpus=1, max_retries=retries, retry_exceptions=False)(run_job)
        running = {task.remote(job, setup): job for job in pending}
        failed = 0
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            job = running.pop(ready[0])
            try:
                outcome: FarmOutcome = ray.get(ready[0])
            except RayError as exc:
                outcome = FarmOutcome(job.job_id, None, f"its task failed {retries + 1} "
                                                        f"times ({type(exc).__name__})")
            finished += 1
            found = None if outcome.artifact_id is None else store.get(outcome.artifact_id)
            if found is None:
                failed += 1
                journal.record(job.job_id, line=job.line, state="failed",
                               error=outcome.error)
                say(f"[{finished}/{total}] line {job.line}: failed: {outcome.error}")
                continue
            name = _export(store, found, job, out)
            journal.record(job.job_id, line=job.line, state="done", artifact=found.id,
                           file=name, seconds=round(outcome.seconds, 2))
            how = f"in {outcome.seconds:.1f} s" if outcome.rendered else "(in the store)"
            say(f"[{finished}/{total}] line {job.line}: done {how} -> {name}")
        return 1 if failed else 0
    finally:
        ray.shutdown()
