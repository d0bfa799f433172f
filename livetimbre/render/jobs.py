"""Render jobs: one clip plan on its way to audio, and the states it passes through."""

from __future__ import annotations

__all__ = ["JobState", "RenderJob"]

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.info import ClipInfo
from livetimbre.session.model import SlotKey


class JobState(StrEnum):
    """pending → rendering → ready | failed | cancelled."""

    PENDING = "pending"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class RenderJob:
    """A request to render `plan` for the slot `key`; the pool updates it in place."""

    id: int
    key: SlotKey
    plan: ClipPlan
    state: JobState = JobState.PENDING
    progress: float = 0.0
    error: str = ""
    traceback: str = ""  # a failure that was a bug: for the log file
    recipe: str = ""
    audio: np.ndarray | None = None
    info: ClipInfo = field(default_factory=ClipInfo)
    part: Part | None = None  # the notes (for MIDI out), when the backend wrote notes
    cached: bool = False  # from the pool's memory (no worker asked)
    stored: bool = False  # from the artifact store's render cache (not rendered)
    started: float = 0.0  # time.monotonic() when a worker took it
    # (time.monotonic(), progress) of the worker's first progress report: the pace is
    # measured from there, so time spent before it (a model loading) is not taken for
    # the pace of the work.
    first_report: tuple[float, float] | None = None
    server: str = ""  # the render server rendering it (its URL), while it does
    server_fallback: str = ""  # why a render server did not: then local workers render it
    # (seconds, time.monotonic()) of the render server's last ETA, when it gave one
    server_eta: tuple[float, float] | None = None

    def report(self, progress: float, now: float) -> None:
        """The worker says `progress` (0-1) of the render is done."""
        if self.first_report is None:
            self.first_report = (now, progress)
        self.progress = progress

    def eta(self, now: float) -> float | None:
        """Seconds until the render is done: a render server's guess, else guessed from
        its pace since the first progress report (from its start when it has reported
        once only)."""
        if self.state is not JobState.RENDERING:
            return None
        if self.server_eta is not None:  # the server's own guess, counted down since
            return max(0.0, self.server_eta[0] - (now - self.server_eta[1]))
        if self.progress < 0.05 or not self.started:
            return None
        since, done = self.first_report or (self.started, 0.0)
        if self.progress - done < 0.02:
            since, done = self.started, 0.0
        pace = (self.progress - done) / max(now - since, 1e-6)
        return max(0.0, (1.0 - self.progress) / pace)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.READY, JobState.FAILED, JobState.CANCELLED)
