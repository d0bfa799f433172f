"""The stage pipeline with state: direction → composition → arrangement → sound design →
mixing → mastering → QA → release (track.stages, track.release). Each stage saves its
spec (and audio) in the job's folder as it completes. A run that was killed or failed
resumes from the first unfinished stage or section and, with deterministic backends,
ends with the same audio as an uninterrupted run; a cancelled one (Ctrl-C, /compose
stop) is recorded as interrupted."""

from __future__ import annotations

__all__ = ["ComposeResult", "QAFailed", "resume", "run_job", "start"]

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from livetimbre.errors import LivetimbreError, RenderError
from livetimbre.files.write import write_json
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track import stages
from livetimbre.track.jobs import Job, new_job, open_job
from livetimbre.track.release import release
from livetimbre.track.request import ComposeRequest
from livetimbre.track.requesting import release_paths
from livetimbre.track.runtime import Runtime
from livetimbre.track.specs import QAReport, ReleasedFile, ReleaseSpec


class QAFailed(LivetimbreError):
    """QA failed a render; the report was written."""

    def __init__(self, message: str, report: QAReport, path: Path | None) -> None:
        super().__init__(message)
        self.report = report
        self.path = path


@dataclass
class ComposeResult:
    job: Job
    plan: CompositionPlan
    qa: QAReport
    files: list[ReleasedFile]
    seconds: float


_STAGES: dict[str, Callable[[Job, Runtime], BaseModel]] = {
    "direction": stages.direction, "composition": stages.composition,
    "arrangement": stages.arrangement, "sound-design": stages.sound_design,
    "mixing": stages.mixing, "mastering": stages.mastering, "qa": stages.qa,
    "release": release}


def _qa_failed(job: Job, report: QAReport) -> QAFailed:
    path = release_paths(job.request)["qa"]
    write_json(path, report.model_dump(mode="json"))
    message = (f"QA failed the track, so it was not released: {'; '.join(report.failures)}. "
               f"The report is in {path} (and job {job.id}); --qa warn releases anyway.")
    return QAFailed(message, report, path)


def _check_qa(job: Job, rt: Runtime, report: QAReport) -> None:
    """Keep the QA report; stop the run if it failed (unless --qa warn)."""
    job.save_spec("qa", report)
    if not report.passed:
        if job.request.qa == "fail":
            raise _qa_failed(job, report)
        rt.progress.say("QA failed (released anyway, --qa warn): " + "; ".join(report.failures))
    for warning in report.warnings:
        rt.progress.say(f"QA warning: {warning}")


def run_job(job: Job, rt: Runtime) -> ComposeResult:
    """Run `job`'s unfinished stages in order."""
    started = time.perf_counter()
    job.update(state="running", error=None)
    try:
        while (stage := job.record.next_stage) is not None:
            rt.progress.stage(stage)
            spec = _STAGES[stage](job, rt)
            if isinstance(spec, QAReport):
                _check_qa(job, rt, spec)
            job.finish_stage(stage, spec)
    except QAFailed as exc:
        job.update(state="qa-failed", error=str(exc))
        raise
    except LivetimbreError as exc:
        job.update(state="failed", error=str(exc))
        raise
    except KeyboardInterrupt:
        job.update(state="interrupted", error="interrupted")
        raise
    except Exception as exc:
        job.update(state="failed", error=f"{type(exc).__name__}: {exc}")
        raise RenderError(f"Job {job.id} failed: {type(exc).__name__}: {exc} "
                          f"(livetimbre compose --resume {job.id} retries).") from exc
    job.drop_audio()
    job.update(state="done")
    plan = job.load_spec("composition", CompositionPlan)
    return ComposeResult(job, plan, job.load_spec("qa", QAReport),
                         job.load_spec("release", ReleaseSpec).files,
                         time.perf_counter() - started)


def start(request: ComposeRequest, home: Path, rt: Runtime) -> ComposeResult:
    """Run a new job for `request` in `home`'s jobs folder."""
    job = new_job(home, request)
    rt.progress.say(f"job {job.id} (livetimbre compose --resume {job.id} continues it)")
    return run_job(job, rt)


def resume(job_id: str, home: Path, rt: Runtime) -> ComposeResult:
    """Run the unfinished stages of the job `job_id`."""
    job = open_job(home, job_id)
    if job.record.state == "done":
        raise RenderError(f"Job {job_id} is already done: its files are listed in "
                          f"{job.spec_path('release')}.")
    rt.progress.say(f"resuming job {job_id} at {job.record.next_stage}")
    return run_job(job, rt)
