"""The render pool's lane to a render server: threads of this process (never the audio or
control thread) render jobs there and report back to the pool's dispatcher, which
applies what they say (`Served`, `ServerProgress`, `ServedFallback`) to its jobs. While
the server's breaker is open, a probe thread asks it again after the cool-down."""

from __future__ import annotations

__all__ = ["LaneEvent", "RemoteLane", "Served", "ServedFallback", "ServerProgress"]

import contextlib
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from livetimbre.errors import LivetimbreError
from livetimbre.remote.client import RemoteProblem
from livetimbre.remote.models import GenerationStatus
from livetimbre.remote.service import RenderServer
from livetimbre.render.backends.base import RenderedClip
from livetimbre.render.cache import ClipCache
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.remote import render_on_server

PROBE_EVERY = 0.5  # s between two probe threads at most (each asks only once cooled down)


@dataclass(frozen=True)
class ServerProgress:
    job: RenderJob
    status: GenerationStatus


@dataclass(frozen=True)
class Served:
    job: RenderJob
    clip: RenderedClip
    versions: dict[str, str]


@dataclass(frozen=True)
class ServedFallback:
    """The server could not: `job` goes to the local workers, carrying `note`."""

    job: RenderJob
    note: str


LaneEvent = ServerProgress | Served | ServedFallback


class RemoteLane:
    """Up to `threads` jobs at a time on `server`; results kept in the store's render
    cache (at `store`, within `cache_bytes`) as a local worker keeps its own."""

    def __init__(self, server: RenderServer, wake: Callable[[], None], threads: int = 4,
                 store: Path | None = None, cache_bytes: int = 0) -> None:
        self.server = server
        self._wake = wake
        self._store, self._cache_bytes = store, cache_bytes
        self._jobs: queue.SimpleQueue[RenderJob | None] = queue.SimpleQueue()
        self._events: deque[LaneEvent] = deque()
        self._busy = 0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._serve, name=f"livetimbre-remote-{n}",
                                          daemon=True) for n in range(1, threads + 1)]
        self._probe: threading.Thread | None = None
        self._probe_at = 0.0  # no probe thread is started before (time.monotonic())

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        for _thread in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join(timeout=2)
        self.server.close()

    # --- dispatcher thread ----------------------------------------------------------------
    def usable(self) -> bool:
        """Jobs go to the server now; when not, a probe is started once it is due."""
        if self.server.usable():
            return True
        now = time.monotonic()
        if now >= self._probe_at and (self._probe is None or not self._probe.is_alive()):
            self._probe_at = now + PROBE_EVERY
            self._probe = threading.Thread(target=self._probe_server, daemon=True,
                                           name="livetimbre-remote-probe")
            self._probe.start()
        return False

    def free(self) -> int:
        with self._lock:
            return len(self._threads) - self._busy

    def send(self, job: RenderJob) -> None:
        with self._lock:
            self._busy += 1
        job.server = self.server.url
        self._jobs.put(job)

    def events(self) -> list[LaneEvent]:
        """What happened since the last call, in order."""
        drained = []
        while self._events:
            drained.append(self._events.popleft())
        return drained

    def refusal_note(self) -> str:
        return self.server.refusal_note()

    # --- lane threads ---------------------------------------------------------------------
    def _post(self, event: LaneEvent) -> None:
        self._events.append(event)
        self._wake()

    def _probe_server(self) -> None:
        if self.server.probe():
            self._wake()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self._post(self._render(job))
            finally:
                with self._lock:
                    self._busy -= 1

    def _render(self, job: RenderJob) -> LaneEvent:
        def status(status: GenerationStatus) -> None:
            self._post(ServerProgress(job, status))

        try:
            clip, versions = render_on_server(self.server, job.plan, status,
                                              lambda: job.state is JobState.CANCELLED)
        except RemoteProblem as problem:
            return ServedFallback(job, f"rendered locally: {problem.reason}")
        self._keep(clip, versions)
        return Served(job, clip, versions)

    def _keep(self, clip: RenderedClip, versions: dict[str, str]) -> None:
        """Into the store's render cache, as a local worker keeps what it renders."""
        if self._store is None or self._cache_bytes <= 0:
            return
        with contextlib.suppress(LivetimbreError):
            cache = ClipCache.open(self._store, self._cache_bytes)
            try:
                cache.put(clip, versions)
            finally:
                cache.close()
