"""The job board: every job the server knows, the queue, and who listens.

Shared by the event loop (requests, server-sent events) and the worker threads
(server.workers), under one lock. A change is told to the loop's listeners through
`call_soon_threadsafe`; the loop never waits for a render.
"""

from __future__ import annotations

__all__ = ["MAX_KEPT", "MAX_QUEUED", "Board", "Job"]

import asyncio
import threading
import time
from collections import deque
from dataclasses import dataclass

from livetimbre.remote.models import GenerationStatus, JobState
from livetimbre.server.metrics import Metrics

MAX_QUEUED = 1000  # jobs waiting; more are refused (503)
MAX_KEPT = 10_000  # finished jobs remembered here (the store remembers the rest)


@dataclass
class Job:
    """One job: what to render (`payload`, for the worker) and how far it is."""

    job_id: str
    kind: str
    payload: str
    request: str  # the canonical request
    state: JobState = "queued"
    progress: float = 0.0
    stage: str | None = None
    error: str | None = None
    started: float = 0.0
    first_report: tuple[float, float] | None = None

    def eta(self, now: float) -> float | None:
        """Seconds left, from the pace since the first progress report."""
        if self.state != "running" or self.first_report is None:
            return None
        since, done = self.first_report
        if self.progress - done < 0.01 or now <= since:
            return None
        pace = (self.progress - done) / (now - since)
        return round(max(0.0, (1.0 - self.progress) / pace), 1)


class Board:
    """Jobs by id, the FIFO of queued ones, and the listeners of each."""

    def __init__(self, metrics: Metrics, loop: asyncio.AbstractEventLoop) -> None:
        self.metrics = metrics
        self._loop = loop
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._jobs: dict[str, Job] = {}
        self._queue: deque[str] = deque()
        self._listeners: dict[str, set[asyncio.Queue[GenerationStatus]]] = {}
        self._closed = False

    # --- the loop's side ------------------------------------------------------------
    def submit(self, job: Job) -> tuple[GenerationStatus, bool]:
        """Queue `job` unless a job with its id is queued, running or done (then that
        one's status); a failed one is queued again. (status, whether it was queued)."""
        with self._lock:
            known = self._jobs.get(job.job_id)
            if known is not None and known.state != "failed":
                return self._status(known), False
            if len(self._queue) >= MAX_QUEUED:
                raise OverflowError(f"{len(self._queue)} jobs are waiting already")
            self._jobs[job.job_id] = job
            self._queue.append(job.job_id)
            self._forget_old()
            self._wake.notify()
            self.metrics.queue_depth.set(len(self._queue))
            status = self._status(job)
        return status, True

    def status(self, job_id: str) -> GenerationStatus | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else self._status(job)

    def listen(self, job_id: str) -> asyncio.Queue[GenerationStatus]:
        queue: asyncio.Queue[GenerationStatus] = asyncio.Queue(maxsize=256)
        with self._lock:
            self._listeners.setdefault(job_id, set()).add(queue)
        return queue

    def stop_listening(self, job_id: str, queue: asyncio.Queue[GenerationStatus]) -> None:
        with self._lock:
            listeners = self._listeners.get(job_id)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._listeners[job_id]

    def counts(self) -> tuple[int, int]:
        """(queued, running)."""
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j.state == "running")
            return len(self._queue), running

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify_all()

    # --- the worker threads' side ---------------------------------------------------
    def take(self, timeout: float) -> Job | None:
        """The next queued job, now running; None after `timeout` s or once closed."""
        with self._lock:
            if not self._queue and not self._closed:
                self._wake.wait(timeout)
            if self._closed or not self._queue:
                return None
            job = self._jobs[self._queue.popleft()]
            job.state, job.started, job.stage = "running", time.monotonic(), "starting"
            self.metrics.queue_depth.set(len(self._queue))
            self._tell_all()
            return job

    def report(self, job_id: str, fraction: float, stage: str) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state != "running":
                return
            job.progress = max(job.progress, min(1.0, fraction))
            job.stage = stage
            if job.first_report is None and job.progress > 0:
                job.first_report = (time.monotonic(), job.progress)
            self._tell(job)

    def finish(self, job_id: str, error: str | None = None) -> None:
        """The job is done (its result in the store), or failed with `error`."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            if error is None:
                job.state, job.progress, job.stage = "done", 1.0, None
            else:
                job.state, job.error, job.stage = "failed", error, None
            self._tell(job)

    # --- under the lock -------------------------------------------------------------
    def _status(self, job: Job) -> GenerationStatus:
        position = None
        if job.state == "queued":
            position = self._queue.index(job.job_id) + 1
        return GenerationStatus(
            job_id=job.job_id, kind=job.kind,
            state=job.state, progress=round(job.progress, 4), stage=job.stage,
            eta_seconds=job.eta(time.monotonic()), queue_position=position, error=job.error,
            artifact=f"/artifact/{job.job_id}" if job.state == "done" else None)

    def _tell(self, job: Job) -> None:
        listeners = self._listeners.get(job.job_id)
        if listeners:
            status = self._status(job)
            for queue in list(listeners):
                try:
                    self._loop.call_soon_threadsafe(_offer, queue, status)
                except RuntimeError:  # the loop has closed: the server is stopping
                    return

    def _tell_all(self) -> None:
        """Queue positions moved: every queued or starting job's listeners hear it."""
        for job_id in list(self._listeners):
            job = self._jobs.get(job_id)
            if job is not None and job.state in ("queued", "running"):
                self._tell(job)

    def _forget_old(self) -> None:
        if len(self._jobs) <= MAX_KEPT:
            return
        for job_id in [i for i, j in self._jobs.items() if j.state in ("done", "failed")
                       ][:len(self._jobs) - MAX_KEPT]:
            del self._jobs[job_id]


def _offer(queue: asyncio.Queue[GenerationStatus], status: GenerationStatus) -> None:
    """Give a listener `status`; one that does not keep up loses its oldest update."""
    if queue.full():
        queue.get_nowait()
    queue.put_nowait(status)
