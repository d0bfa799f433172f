"""Render results on their way to the launcher: from the pool's dispatcher thread onto
the control loop, each inside the error boundary; a backend's bug is logged once."""

from __future__ import annotations

__all__ = ["RenderFeed"]

import asyncio
from collections.abc import Callable

from livetimbre.live.boundary import ErrorBoundary, Failure
from livetimbre.live.launching import Launcher
from livetimbre.render.jobs import RenderJob


class RenderFeed:
    """The render pool's `on_update`: job changes reach the launcher on the loop."""

    def __init__(self, launcher: Launcher, boundary: ErrorBoundary,
                 say: Callable[[str], None]) -> None:
        self._launcher = launcher
        self._boundary = boundary
        self._say = say
        self._loop: asyncio.AbstractEventLoop | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver updates on `loop` from now on."""
        self._loop = loop

    def from_thread(self, job: RenderJob) -> None:
        """Called on the pool's dispatcher thread."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.update, job)

    def update(self, job: RenderJob) -> None:
        if job.traceback:  # a backend's bug: its traceback to the log, once
            where = self._boundary.record(f"render of {job.key}", job.traceback)
            job.error += f" (traceback in {where})"
            job.traceback = ""
        outcome = self._boundary.run(f"render result {job.key}",
                                     lambda: self._launcher.job_updated(job))
        if isinstance(outcome, Failure):
            self._say(f"✗ {outcome.message}")
