"""What one running server holds: its options, the store, the genres, the job board and
the worker pool; and the blocking steps of a request (checks, store look-ups), which the
routes run in threads, never on the event loop."""

from __future__ import annotations

__all__ = ["Pool", "PoolFactory", "ServerOptions", "ServerState"]

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from livetimbre.config import Settings
from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.remote.models import (
    ClipRequest,
    GenerationStatus,
    TrackRequest,
    canonical_json,
)
from livetimbre.server.board import Board, Job
from livetimbre.server.metrics import Metrics
from livetimbre.server.worker import GENERATION, WorkerSetup
from livetimbre.server.workers import WorkerPool
from livetimbre.store import Artifact, Store


class Pool(Protocol):
    """Who renders the board's jobs: worker processes (server.workers) or Ray replicas
    (server.ray_pool)."""

    count: int
    ready: int
    start_failure: str

    def start(self) -> None:
        """Begin taking jobs from the board."""

    def stop(self) -> None:
        """Stop taking jobs; end what renders."""


PoolFactory = Callable[[WorkerSetup, Board, int], Pool]


@dataclass(frozen=True)
class ServerOptions:
    """How `livetimbre serve` was asked to run."""

    settings: Settings
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    token: str | None = None
    rate_per_minute: float = 30.0  # POST /generate, per client address
    burst: int = 10
    cors_origins: tuple[str, ...] = ()
    synth: str = "auto"
    pool: PoolFactory | None = None  # default: worker processes (WorkerPool)


class ServerState:
    """Built when the app starts (`open`), ended when it stops (`close`)."""

    def __init__(self, options: ServerOptions, metrics: Metrics) -> None:
        self.options = options
        self.metrics = metrics
        self.store: Store | None = None
        self.genres: GenreRegistry | None = None
        self.board: Board | None = None
        self.pool: Pool | None = None

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        """Open the store, load the genres, start the workers (blocking: run in a thread)."""
        settings = self.options.settings
        self.store = Store(settings.store_dir)
        self.genres = load_genres(settings.user_genre_dir)
        self.board = Board(self.metrics, loop)
        setup = WorkerSetup(settings.sample_rate, settings.home, settings.store_dir,
                            self.options.synth, settings.soundfont)
        self.pool = (self.options.pool or WorkerPool)(setup, self.board, self.options.workers)
        self.pool.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.stop()
        if self.store is not None:
            self.store.close()

    @property
    def ready(self) -> bool:
        return self.pool is not None and self.pool.ready > 0

    def stored(self, job_id: str) -> Artifact | None:
        """The result of `job_id` in the store, if it has one."""
        assert self.store is not None
        return self.store.find_recipe(job_id, GENERATION)

    def stored_status(self, job_id: str) -> GenerationStatus | None:
        artifact = self.stored(job_id)
        if artifact is None:
            return None
        kind = artifact.meta.get("kind")
        return GenerationStatus(job_id=job_id, kind=kind if kind in ("clip", "track") else None,
                                state="done", progress=1.0, artifact=f"/artifact/{job_id}")

    def prepare(self, request: ClipRequest | TrackRequest, job_id: str) -> Job:
        """The job for `request`, checked as the CLI checks it (a bad value raises a
        LivetimbreError naming it); blocking."""
        assert self.genres is not None
        settings = self.options.settings
        if isinstance(request, ClipRequest):
            from livetimbre.server.clips import clip_plan

            payload = clip_plan(request, self.genres, settings.sample_rate).model_dump_json()
        else:
            from livetimbre.server.tracks import compose_request

            payload = compose_request(request, job_id, settings, self.options.synth,
                                      self.genres).model_dump_json()
        return Job(job_id, request.kind, payload, canonical_json(request))
