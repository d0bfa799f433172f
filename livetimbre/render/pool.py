"""A pool of render worker *processes*, so rendering never takes the GIL from the audio
callback. Jobs are dispatched by a thread of the parent, which also notices crashed
workers, fails their job with the reason, and starts replacements. A worker that
cannot start (its synth or genres fail to load) is not replaced: the next would fail
the same way; once none is left, jobs fail with its reason."""

from __future__ import annotations

__all__ = ["RenderPool"]

import contextlib
import itertools
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing import shared_memory
from multiprocessing.connection import Connection, wait

import numpy as np

from livetimbre.planner.clip import ClipPlan
from livetimbre.remote.service import RenderServer
from livetimbre.render.info import ClipInfo, Timing
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.lane import RemoteLane, Served, ServedFallback, ServerProgress
from livetimbre.render.memory import ClipMemory
from livetimbre.render.messages import (
    Cancel,
    FromWorker,
    Progress,
    Quit,
    Rendered,
    RenderRequest,
    WorkerReady,
)
from livetimbre.render.worker import WorkerConfig, worker_main
from livetimbre.session.model import SlotKey
from livetimbre.system.processes import ChildProcess, Ready, StartFailed

Listener = Callable[[RenderJob], None]


class _Worker:
    """One worker process (started at once; ready when its `Ready` arrives) and its job."""

    def __init__(self, config: WorkerConfig, number: int) -> None:
        self.child = ChildProcess(worker_main, (config,), name=f"livetimbre-render-{number}",
                                  what=f"render worker {number}")
        self.child.start()
        self.ready = False
        self.job: RenderJob | None = None
        self.inbox: shared_memory.SharedMemory | None = None

    @property
    def conn(self) -> Connection:
        return self.child.conn

    def take(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        """Copy a result out of this worker's block, mapping a new block only when the
        worker grew it (and unlinking the old one)."""
        if self.inbox is None or self.inbox.name.lstrip("/") != name.lstrip("/"):
            self.release()
            self.inbox = shared_memory.SharedMemory(name=name)
        return _copy_out(self.inbox, shape)

    def release(self) -> None:
        """Unmap and unlink this worker's block (after a result, a crash or at exit)."""
        if self.inbox is not None:
            with contextlib.suppress(OSError):
                self.inbox.close()
            with contextlib.suppress(OSError):
                self.inbox.unlink()
            self.inbox = None


_COPY_FRAMES = 32_768  # 256 KiB: copied between two looks at the GIL by the audio thread


def _copy_out(block: shared_memory.SharedMemory, shape: tuple[int, int]) -> np.ndarray:
    """Copy a result out of shared memory, in chunks: one 15 MB copy could keep the GIL
    long enough for the audio callback to miss its deadline."""
    source = np.ndarray(shape, np.float32, buffer=block.buf)
    audio = np.empty(shape, np.float32)
    for start in range(0, shape[0], _COPY_FRAMES):
        audio[start:start + _COPY_FRAMES] = source[start:start + _COPY_FRAMES]
    del source
    return audio


class RenderPool:
    """Render jobs on `workers` processes, or on a render `server` while it answers (its
    jobs go to the workers when it does not). Results are kept by recipe hash in the
    artifact store and, besides the clips the session uses, at most `memory_bytes` of
    spare clips in this process's memory."""

    def __init__(self, config: WorkerConfig, workers: int = 2,
                 on_update: Listener | None = None, memory_bytes: int = 32 << 20,
                 server: RenderServer | None = None) -> None:
        self._config = config
        self._size = max(1, workers)
        self._on_update = on_update or (lambda _job: None)
        self.memory = ClipMemory(memory_bytes, self._recipes_in_use)
        self._pending: deque[RenderJob] = deque()
        self._latest: dict[SlotKey, RenderJob] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._workers: list[_Worker] = []
        self._numbers = itertools.count(1)
        self._wake_read, self._wake_write = multiprocessing.Pipe(duplex=False)
        self._running = False
        self._thread = threading.Thread(target=self._loop, name="livetimbre-dispatch",
                                        daemon=True)
        self._cancels: deque[int] = deque()  # ids of rendering jobs to stop (dispatcher)
        self._lane = None if server is None else RemoteLane(
            server, self._wake, store=config.store, cache_bytes=config.cache_bytes)
        self._server_on = False  # jobs wait for the server (dispatcher's view)
        self.versions: dict[str, dict[str, str]] = {}  # by backend spec, once known
        self.timings: dict[str, Timing] = {}  # a model backend's last speed, by spec
        self.synth_note = ""
        self.crashes = 0
        self.start_failure = ""  # why a worker could not start, if one could not

    # --- control thread -------------------------------------------------------------
    def start(self) -> None:
        self._workers = [self._spawn() for _ in range(self._size)]
        if self._lane is not None:
            self._lane.start()
        self._running = True
        self._thread.start()

    def stop(self) -> None:
        self._running = False
        self._wake()
        self._thread.join(timeout=5)
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(Quit())
        for worker in self._workers:
            worker.child.stop(3)
            worker.release()
        if self._lane is not None:
            self._lane.stop()

    def submit(self, key: SlotKey, plan: ClipPlan) -> RenderJob:
        """Queue a render for slot `key`; an unfinished earlier job for the slot is cancelled."""
        with self._lock:
            self._cancel_locked(key)
            job = RenderJob(next(self._ids), key, plan)
            if self._lane is not None and (plan.sample is not None or plan.kit is not None):
                job.server_fallback = "it plays sound files of this machine"
            self._pending.append(job)
            self._latest[key] = job
        self._on_update(job)
        self._wake()
        return job

    def cancel(self, key: SlotKey) -> None:
        with self._lock:
            self._cancel_locked(key)

    def job(self, key: SlotKey) -> RenderJob | None:
        return self._latest.get(key)

    def slots(self) -> list[SlotKey]:
        """Every slot that has had a job."""
        return list(self._latest)

    def in_flight(self) -> int:
        """Jobs pending or rendering."""
        return sum(1 for job in list(self._latest.values()) if not job.finished)

    def worker_pids(self) -> list[int]:
        return [w.child.pid for w in self._workers if w.child.pid is not None]

    def _recipes_in_use(self) -> set[str]:
        """The recipes of each slot's newest job: clips kept in memory whatever the budget."""
        with self._lock:
            return {job.recipe for job in self._latest.values() if job.recipe}

    def _cancel_locked(self, key: SlotKey) -> None:
        old = self._latest.get(key)
        if old is not None and not old.finished:
            if old.state is JobState.RENDERING:  # the dispatcher tells its worker
                self._cancels.append(old.id)
                self._wake()
            old.state = JobState.CANCELLED
            self._on_update(old)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send_bytes(b"!")

    def _spawn(self) -> _Worker:
        return _Worker(self._config, next(self._numbers))

    # --- dispatcher thread ----------------------------------------------------------
    def _loop(self) -> None:
        while self._running:
            self._send_cancels()
            self._take_served()
            self._assign()
            # Who each waited-on object belongs to, as it was when waiting: a worker
            # replaced while an earlier object was handled has its pipe closed and its
            # process reaped, and the new worker may be given the very same file
            # descriptor numbers; matching by number then replaced a healthy new worker.
            watched: list[Connection | int] = [self._wake_read]
            owners: dict[object, tuple[_Worker, bool]] = {}
            for worker in self._workers:
                watched += [worker.conn, worker.child.sentinel]
                owners[worker.conn] = (worker, True)
                owners[worker.child.sentinel] = (worker, False)
            for ready in wait(watched, timeout=0.5):
                if ready is self._wake_read:
                    while self._wake_read.poll():
                        self._wake_read.recv_bytes()
                    continue
                worker, is_pipe = owners[ready]
                if worker not in self._workers:
                    continue  # replaced meanwhile
                # At its end, what it sent before (a StartFailed, a result) comes first;
                # then the end of the pipe replaces it.
                if is_pipe or worker.conn.poll():
                    self._receive(worker)
                else:
                    self._replace(worker, f"exit code {worker.child.exitcode}")

    def _send_cancels(self) -> None:
        while self._cancels:
            job_id = self._cancels.popleft()
            for worker in self._workers:
                if worker.job is not None and worker.job.id == job_id:
                    with contextlib.suppress(OSError):
                        worker.conn.send(Cancel(job_id))

    def _assign(self) -> None:
        lane = self._lane
        self._server_on = lane is not None and lane.usable()
        if lane is not None and self._server_on:
            while lane.free() > 0 and (job := self._next_job(for_server=True)) is not None:
                if not self._from_memory(job):
                    job.started, job.state = time.monotonic(), JobState.RENDERING
                    lane.send(job)
                    self._on_update(job)
        if not self._workers and not self._server_on:
            self._fail_pending(f"no render worker could start: {self.start_failure}")
        for worker in self._workers:
            if not worker.ready or worker.job is not None:
                continue
            job = self._next_job()
            if job is None:
                return
            if lane is not None and not job.server_fallback:
                job.server_fallback = lane.refusal_note()
            if self._from_memory(job):
                continue
            try:
                worker.conn.send(RenderRequest(job.id, job.plan))
            except OSError:
                self._pending.appendleft(job)
                continue
            worker.job = job
            job.started = time.monotonic()
            job.state = JobState.RENDERING
            self._on_update(job)

    def _from_memory(self, job: RenderJob) -> bool:
        """Ready at once if this process's memory holds the clip `job` asks for."""
        versions = self.versions.get(job.plan.backend)
        job.recipe = job.plan.recipe_hash(job.plan.backend, versions) if versions else ""
        cached = self.memory.get(job.recipe) if job.recipe else None
        if cached is None:
            return False
        job.audio, job.info, job.part = cached
        job.cached, job.progress, job.state = True, 1.0, JobState.READY
        self._on_update(job)
        return True

    def _next_job(self, *, for_server: bool = False) -> RenderJob | None:
        """The next pending job for the server (one it did not fail), or for a local
        worker (any, unless they wait for the server)."""
        with self._lock:
            for job in list(self._pending):
                if job.state is not JobState.PENDING:
                    self._pending.remove(job)
                elif for_server != bool(self._server_on and not job.server_fallback):
                    continue
                else:
                    self._pending.remove(job)
                    return job
        return None

    def _take_served(self) -> None:
        """Apply what the server lane reports: progress, clips, jobs sent back."""
        if self._lane is None:
            return
        for event in self._lane.events():
            job = event.job
            if job.state is not JobState.RENDERING:
                continue  # cancelled meanwhile
            if isinstance(event, ServerProgress):
                job.report(event.status.progress, time.monotonic())
                eta = event.status.eta_seconds
                job.server_eta = None if eta is None else (eta, time.monotonic())
            elif isinstance(event, Served):
                clip = event.clip
                job.recipe = clip.recipe_hash
                self.memory.put(job.recipe, clip.audio, clip.info, clip.part)
                job.audio, job.info, job.part = clip.audio, clip.info, clip.part
                job.state, job.progress, job.server_eta = JobState.READY, 1.0, None
                job.server = ""  # done there: `info.server` names it from now on
            elif isinstance(event, ServedFallback):
                job.server, job.server_fallback, job.server_eta = "", event.note, None
                job.state, job.progress, job.first_report = JobState.PENDING, 0.0, None
                with self._lock:
                    self._pending.appendleft(job)
            self._on_update(job)

    def _fail_pending(self, reason: str) -> None:
        while (job := self._next_job()) is not None:
            job.state, job.error = JobState.FAILED, reason
            self._on_update(job)

    def _receive(self, worker: _Worker) -> None:
        try:
            message: FromWorker | Ready[WorkerReady] | StartFailed = worker.conn.recv()
        except (EOFError, OSError):
            worker.child.join(1)
            self._replace(worker, f"exit code {worker.child.exitcode}")
            return
        if isinstance(message, Ready):
            worker.ready = True
            self.versions["procedural"] = message.payload.versions
            self.synth_note = message.payload.note
            return
        if isinstance(message, StartFailed):
            self._retire(worker, message.message)
            return
        job = worker.job
        if job is None or job.id != message.job_id:
            return
        if isinstance(message, Progress):
            job.report(message.fraction, time.monotonic())
            if job.state is JobState.RENDERING:
                self._on_update(job)
            return
        worker.job = None
        if isinstance(message, Rendered):
            audio = worker.take(message.block, message.shape)
            self.versions[job.plan.backend] = message.versions
            job.recipe = message.recipe
            job.stored = message.stored
            if message.info.timing is not None and not message.stored:
                self.timings[job.plan.backend] = message.info.timing
            if not message.info.fallback:  # a fallback is not what the recipe asks
                self.memory.put(job.recipe, audio, message.info, message.part)
            job.audio, job.info, job.part = audio, message.info, message.part
            if job.server_fallback:
                job.info = job.info.join(ClipInfo(server_fallback=job.server_fallback))
            if job.state is JobState.RENDERING:
                job.state, job.progress = JobState.READY, 1.0
        elif job.state is JobState.RENDERING:
            job.state, job.error = JobState.FAILED, message.reason
            job.traceback = message.traceback
        self._on_update(job)

    def _replace(self, worker: _Worker, reason: str) -> None:
        if worker not in self._workers:
            return
        self.crashes += 1
        job = worker.job
        if job is not None and job.state is JobState.RENDERING:
            job.state, job.error = JobState.FAILED, f"render worker crashed ({reason})"
            self._on_update(job)
        worker.conn.close()
        worker.release()
        worker.child.kill(1)  # reaped: no zombie left behind
        self._workers[self._workers.index(worker)] = self._spawn()

    def _retire(self, worker: _Worker, reason: str) -> None:
        """A worker that could not start: gone, and not replaced."""
        self.start_failure = reason
        self._workers.remove(worker)
        worker.conn.close()
        worker.child.stop(2)
