"""The server's worker process: renders clip and track jobs one at a time and keeps each
result in the artifact store as a `generation` artifact whose recipe hash is the job id.

A `ChildProcess` (system.processes): it answers its start with `Ready(versions)` (or
`StartFailed`), then serves `JobOrder`s until `Quit`, sending `JobProgress` (at most ten
a second), then `JobDone` or `JobFailed`. Audio never crosses the pipe: the parent reads
the result from the store.
"""

from __future__ import annotations

__all__ = ["GENERATION", "JobDone", "JobFailed", "JobOrder", "JobProgress", "Quit", "Teller",
           "WorkerSetup", "serve_order", "worker_main"]

import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from livetimbre.errors import LivetimbreError
from livetimbre.system.processes import Ready, StartFailed

GENERATION = "generation"  # the artifact kind of a server job's result


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker builds its backends and store from (picklable)."""

    sample_rate: int
    home: Path
    store: Path
    synth: str = "auto"
    soundfont: Path | None = None


@dataclass(frozen=True)
class JobOrder:
    """Render job `job_id`: `payload` is the JSON of a `ClipPlan` (kind clip) or of a
    `ComposeRequest` (kind track); `request` the canonical request, kept as the recipe."""

    job_id: str
    kind: str
    payload: str
    request: str


@dataclass(frozen=True)
class JobProgress:
    job_id: str
    fraction: float
    stage: str


@dataclass(frozen=True)
class JobDone:
    job_id: str
    artifact_id: str
    render_seconds: float
    audio_seconds: float


@dataclass(frozen=True)
class JobFailed:
    job_id: str
    reason: str  # one paragraph for the client
    category: str  # error (the request's doing), qa, bug


@dataclass(frozen=True)
class Quit:
    """Finish: the worker ends."""


class Teller:
    """Progress to `send` (the pipe, or a Ray replica's stream), at most ten messages a
    second (and every stage change)."""

    def __init__(self, send: Callable[[JobProgress], None], job_id: str) -> None:
        self._send, self._job_id = send, job_id
        self._sent, self._stage = 0.0, ""

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        if stage != self._stage or now - self._sent >= 0.1:
            self._sent, self._stage = now, stage
            self._send(JobProgress(self._job_id, float(fraction), stage))


def worker_main(conn: Connection, setup: WorkerSetup) -> None:
    """Serve job orders until told to stop or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    from livetimbre.genres import load_genres
    from livetimbre.render.backends import BackendContext, Backends
    from livetimbre.store import Store

    try:
        genres = load_genres(setup.home / "genres")
        backends = Backends(BackendContext(setup.sample_rate, genres, setup.synth,
                                           setup.soundfont, setup.home))
        versions = backends.get("procedural").versions()  # the synth loads now
        store = Store(setup.store)
    except LivetimbreError as exc:
        conn.send(StartFailed(str(exc)))
        return
    conn.send(Ready(versions))
    while True:
        try:
            order = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(order, JobOrder):
            return
        conn.send(serve_order(order, setup, genres, backends, store,
                              Teller(conn.send, order.job_id)))


def serve_order(order: JobOrder, setup: WorkerSetup, genres: Any, backends: Any, store: Any,
                tell: Teller) -> JobDone | JobFailed:
    """Render `order` and keep its result in `store` (recipe hash: the job id)."""
    from livetimbre.track.pipeline import QAFailed

    started = time.perf_counter()
    try:
        audio, sidecar, media_type = _render(order, setup, genres, backends, tell)
        sidecar["job_id"] = order.job_id
        released = sidecar.get("artifacts") or {}  # a track's, kept by its release
        artifact = store.put(
            audio, GENERATION, name=f"{order.job_id[:16]}.{media_type.split('/')[-1]}",
            media_type=media_type,
            meta={"job_id": order.job_id, "kind": order.kind, "sidecar": sidecar},
            recipe={"request": order.request}, recipe_hash=order.job_id,
            tags={"server": "", "kind": order.kind},
            parents=[released["track"]] if "track" in released else [])
    except QAFailed as exc:
        return JobFailed(order.job_id, _shown(exc, setup), "qa")
    except LivetimbreError as exc:
        return JobFailed(order.job_id, _shown(exc, setup), "error")
    except Exception as exc:  # a bug: the job fails with its name; the worker goes on
        traceback.print_exc()
        return JobFailed(order.job_id, f"{type(exc).__name__}: {_shown(exc, setup)}", "bug")
    return JobDone(order.job_id, artifact.id, time.perf_counter() - started,
                   float(sidecar.get("seconds") or sidecar.get("duration_s") or 0.0))


def _shown(exc: Exception, setup: WorkerSetup) -> str:
    """The error as one paragraph for the client, the server's folders not shown."""
    from livetimbre.server.tracks import hide_home

    return hide_home(" ".join(str(exc).split()), setup.home)


def _render(order: JobOrder, setup: WorkerSetup, genres: Any, backends: Any,
            tell: Teller) -> tuple[bytes, dict[str, Any], str]:
    if order.kind == "clip":
        from livetimbre.planner.clip import ClipPlan
        from livetimbre.server.clips import render_clip

        plan = ClipPlan.model_validate_json(order.payload)
        tell(0.0, "rendering")
        audio, sidecar = render_clip(plan, backends, lambda f: tell(f, "rendering"))
        return audio, sidecar, "audio/wav"
    from livetimbre.server.tracks import MEDIA_TYPES, WorkProgress, run_track
    from livetimbre.track.request import ComposeRequest

    request = ComposeRequest.model_validate_json(order.payload)
    audio, sidecar = run_track(request, setup.home, setup.store, genres, WorkProgress(tell))
    return audio, sidecar, MEDIA_TYPES[request.format]
