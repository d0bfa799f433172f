"""The worker processes, each looked after by a thread of the server: it takes the next
job from the board, sends it to its process, relays progress, and records the outcome.
A process that dies fails its job ("crash") and is replaced; one that cannot start is
not (the next would fail alike), and the server is no longer ready once none is left."""

from __future__ import annotations

__all__ = ["WorkerPool", "settle"]

import contextlib
import itertools
import logging
import threading

from livetimbre.errors import RenderError
from livetimbre.server.board import Board, Job
from livetimbre.server.worker import (
    JobDone,
    JobFailed,
    JobOrder,
    JobProgress,
    Quit,
    WorkerSetup,
    worker_main,
)
from livetimbre.system.processes import ChildProcess

log = logging.getLogger("livetimbre.server")
START_TIMEOUT = 120.0


class WorkerPool:
    """`count` worker processes serving the jobs of `board`."""

    def __init__(self, setup: WorkerSetup, board: Board, count: int) -> None:
        self.setup = setup
        self.board = board
        self.count = max(1, count)
        self.ready = 0
        self.start_failure = ""
        self._lock = threading.Lock()
        self._running = True
        self._numbers = itertools.count(1)
        self._threads = [threading.Thread(target=self._serve, name=f"livetimbre-worker-{i}",
                                          daemon=True) for i in range(1, self.count + 1)]
        self._children: set[ChildProcess] = set()

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop taking jobs; each process ends (killed if it is still rendering)."""
        self._running = False
        self.board.close()
        with self._lock:
            children = list(self._children)
        for child in children:
            with contextlib.suppress(OSError):
                child.conn.send(Quit())
        for child in children:
            child.stop(2)
        for thread in self._threads:
            thread.join(5)

    def _ready(self, change: int) -> None:
        with self._lock:
            self.ready += change
            self.board.metrics.workers_ready.set(self.ready)

    def _spawn(self) -> ChildProcess | None:
        number = next(self._numbers)
        child = ChildProcess(worker_main, (self.setup,), name=f"livetimbre-server-{number}",
                             what=f"server worker {number}")
        child.start()
        with self._lock:
            self._children.add(child)
        try:
            child.wait_ready(dict, RenderError, START_TIMEOUT)
        except RenderError as exc:
            self.start_failure = str(exc)
            log.error("a worker could not start: %s", exc)
            self._forget(child)
            return None
        self._ready(+1)
        return child

    def _forget(self, child: ChildProcess) -> None:
        with self._lock:
            self._children.discard(child)
        child.kill(1)

    def _serve(self) -> None:
        child = self._spawn()
        while child is not None and self._running:
            job = self.board.take(timeout=0.5)
            if job is None:
                if not child.is_alive():
                    self._ready(-1)
                    self._forget(child)
                    child = self._spawn()
                continue
            if not self._run(child, job):  # the process died: a new one takes over
                self._ready(-1)
                self._forget(child)
                child = self._spawn() if self._running else None
        if child is not None:
            self._ready(-1)

    def _run(self, child: ChildProcess, job: Job) -> bool:
        """Render `job` on `child`; False if the process died meanwhile."""
        metrics = self.board.metrics
        metrics.running.inc()
        try:
            child.conn.send(JobOrder(job.job_id, job.kind, job.payload, job.request))
            while True:
                if not child.conn.poll(0.5):
                    if child.is_alive():
                        continue
                    raise EOFError
                message = child.conn.recv()
                if isinstance(message, JobProgress):
                    self.board.report(job.job_id, message.fraction, message.stage)
                    continue
                if isinstance(message, JobDone | JobFailed):
                    settle(self.board, job, message)
                return True
        except (EOFError, OSError):
            child.join(1)
            metrics.failures.labels("crash").inc()
            self.board.finish(job.job_id, f"the render worker stopped (exit code "
                                          f"{child.exitcode}); asking again renders it anew")
            return False
        finally:
            metrics.running.dec()


def settle(board: Board, job: Job, outcome: JobDone | JobFailed) -> None:
    """Record a render's outcome: its figures in the metrics, the job done or failed."""
    metrics = board.metrics
    if isinstance(outcome, JobDone):
        metrics.render_seconds.labels(job.kind).observe(outcome.render_seconds)
        if outcome.audio_seconds > 0:
            metrics.realtime_factor.labels(job.kind).observe(
                outcome.render_seconds / outcome.audio_seconds)
        board.finish(job.job_id)
    else:
        metrics.failures.labels(outcome.category).inc()
        board.finish(job.job_id, outcome.reason)
