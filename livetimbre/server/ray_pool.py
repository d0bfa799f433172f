"""The ingress's side of `serve --ray`: threads that take jobs from the board (as the
worker pool's do) and send each to a render deployment through its handle, relaying the
streamed progress. A replica that stops mid-render (its process killed, its node gone)
is met with a retry: Ray Serve replaces the replica and the job is sent again, up to
`retries` times; the job keeps its id and its place on the board meanwhile."""

from __future__ import annotations

__all__ = ["RayPool", "route"]

import json
import logging
import threading
import time
from typing import Any

from ray.exceptions import RayError

from livetimbre.server.board import Board, Job
from livetimbre.server.ray_config import RayConfig
from livetimbre.server.worker import JobOrder, JobProgress, WorkerSetup
from livetimbre.server.workers import settle

log = logging.getLogger("livetimbre.server")
RETRY_PAUSE = 1.0  # seconds before a job is sent again


def route(job: Job) -> str | None:
    """The multiplexed model id of a MusicGen job (its backend spec); None: procedural."""
    spec = str(json.loads(job.payload).get("backend") or "procedural")
    return spec if spec.split(":", 1)[0] == "musicgen" else None


class RayPool:
    """`config.senders` threads sending the board's jobs to the render deployments."""

    def __init__(self, setup: WorkerSetup, board: Board, count: int, *, config: RayConfig,
                 procedural: Any, musicgen: Any) -> None:
        del setup, count  # the replicas have their own (the config sets how many)
        self.board = board
        self.config = config
        self.count = config.senders
        self.ready = 0
        self.start_failure = ""
        self._handles = (procedural, musicgen)
        self._running = True
        self._threads = [threading.Thread(target=self._send, name=f"livetimbre-ray-{i}",
                                          daemon=True) for i in range(1, self.count + 1)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()
        self.ready = self.count
        self.board.metrics.workers_ready.set(self.ready)

    def stop(self) -> None:
        self._running = False
        self.board.close()
        for thread in self._threads:
            thread.join(5)
        self.ready = 0

    def _send(self) -> None:
        while self._running:
            job = self.board.take(timeout=0.5)
            if job is not None:
                self._run(job)

    def _handle(self, job: Job) -> Any:
        procedural, musicgen = self._handles
        model = route(job)
        handle = procedural if model is None else musicgen.options(multiplexed_model_id=model)
        return handle.options(stream=True)

    def _run(self, job: Job) -> None:
        metrics = self.board.metrics
        order = JobOrder(job.job_id, job.kind, job.payload, job.request)
        metrics.running.inc()
        try:
            for attempt in range(self.config.retries + 1):
                try:
                    for message in self._handle(job).render.remote(order):
                        if isinstance(message, JobProgress):
                            self.board.report(job.job_id, message.fraction, message.stage)
                        else:
                            settle(self.board, job, message)
                            return
                    problem = "its replica ended the stream without an outcome"
                except RayError as exc:
                    problem = f"its replica stopped ({type(exc).__name__})"
                log.warning("job %s…: %s (attempt %d)", job.job_id[:12], problem, attempt + 1)
                if attempt < self.config.retries and self._running:
                    metrics.retries.inc()
                    self.board.report(job.job_id, 0.0, f"retrying: {problem}")
                    time.sleep(RETRY_PAUSE)
            metrics.failures.labels("crash").inc()
            self.board.finish(job.job_id, f"the render failed {self.config.retries + 1} times "
                                          f"({problem}); asking again renders it anew")
        finally:
            metrics.running.dec()
