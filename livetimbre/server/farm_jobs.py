"""What `livetimbre farm` runs: one job a line of its file (a compose request, or a patch
to render), each a Ray task that renders it as the server's workers do and keeps the
result in the artifact store under the job's id, once: a job already in the store is
not rendered again."""

from __future__ import annotations

__all__ = ["FarmJob", "FarmOutcome", "FarmSetup", "patch_job", "run_job", "track_job"]

import hashlib
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from livetimbre.config import Settings
from livetimbre.remote.models import TrackRequest, canonical_json, job_id_of
from livetimbre.server.worker import GENERATION, JobDone, JobOrder, Teller, WorkerSetup

PATCH_TIMEOUT = 6 * 3600.0  # seconds a patch render may take


@dataclass(frozen=True)
class FarmJob:
    """One line of the farm file: a track (`request`: a TrackRequest's JSON) or a patch
    (`patch`: its path, on storage the cluster sees; `options`: the render verb's options
    after PATCH)."""

    line: int
    job_id: str
    kind: str  # track | patch
    request: str = ""
    patch: str = ""
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class FarmSetup:
    """What every task needs: the settings (home and store on storage every node sees)."""

    settings: Settings
    synth: str = "auto"


@dataclass(frozen=True)
class FarmOutcome:
    job_id: str
    artifact_id: str | None  # None: failed
    error: str = ""
    seconds: float = 0.0
    rendered: bool = True  # False: found in the store, not rendered


def track_job(line: int, request: TrackRequest) -> FarmJob:
    """The job of a compose line; its id is the server's for the same request."""
    return FarmJob(line, job_id_of(request), "track", request=canonical_json(request))


def patch_job(line: int, path: Path, text: str, options: tuple[str, ...]) -> FarmJob:
    """The job of a patch line: its id hashes the patch's text and the options."""
    digest = hashlib.sha256(json.dumps(["patch", text, list(options)]).encode()).hexdigest()
    return FarmJob(line, digest, "patch", patch=str(path.resolve()), options=options)


def run_job(job: FarmJob, setup: FarmSetup) -> FarmOutcome:
    """Render `job` (the body of its Ray task); a job in the store already is not."""
    from livetimbre.store import Store

    settings = setup.settings
    started = time.perf_counter()
    store = Store(settings.store_dir)
    try:
        found = store.find_recipe(job.job_id, GENERATION)
        if found is not None:
            return FarmOutcome(job.job_id, found.id, rendered=False)
        if job.kind == "track":
            return _track(job, setup, store, started)
        return _patch(job, setup, store, started)
    finally:
        store.close()


def _track(job: FarmJob, setup: FarmSetup, store: object, started: float) -> FarmOutcome:
    from livetimbre.genres import load_genres
    from livetimbre.server.tracks import compose_request
    from livetimbre.server.worker import serve_order

    settings = setup.settings
    genres = load_genres(settings.user_genre_dir)
    request = TrackRequest.model_validate_json(job.request)
    payload = compose_request(request, job.job_id, settings, setup.synth,
                              genres).model_dump_json()
    worker = WorkerSetup(settings.sample_rate, settings.home, settings.store_dir, setup.synth,
                         settings.soundfont)
    outcome = serve_order(JobOrder(job.job_id, "track", payload, job.request), worker, genres,
                          None, store, Teller(lambda _progress: None, job.job_id))
    if isinstance(outcome, JobDone):
        return FarmOutcome(job.job_id, outcome.artifact_id,
                           seconds=time.perf_counter() - started)
    return FarmOutcome(job.job_id, None, outcome.reason)


def _patch(job: FarmJob, setup: FarmSetup, store: object, started: float) -> FarmOutcome:
    """The render verb, in a process of its own, then its file into the store."""
    from livetimbre.store import Store

    assert isinstance(store, Store)
    with tempfile.TemporaryDirectory(prefix="livetimbre-farm-") as folder:
        out = Path(folder) / "render.wav"
        done = subprocess.run(
            [sys.executable, "-m", "livetimbre.cli", "render", job.patch, "-o", str(out), "-q",
             "--synth", setup.synth, *job.options], capture_output=True, text=True,
            timeout=PATCH_TIMEOUT, check=False)
        if done.returncode != 0:
            reason = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            return FarmOutcome(job.job_id, None, reason[0].replace(folder, "")[:500])
        sidecar = json.loads((out.parent / f"{out.name}.json").read_text(encoding="utf-8"))
        artifact = store.put(
            out.read_bytes(), GENERATION, name=f"{job.job_id[:16]}.wav", media_type="audio/wav",
            meta={"job_id": job.job_id, "kind": "patch", "patch": Path(job.patch).name,
                  "sidecar": {"qa": sidecar.get("qa")}},
            recipe={"patch": Path(job.patch).name, "options": list(job.options)},
            recipe_hash=job.job_id, tags={"farm": "", "kind": "patch"})
    return FarmOutcome(job.job_id, artifact.id, seconds=time.perf_counter() - started)
