"""Render jobs: one clip plan on its way to audio, and the states it passes through."""

from __future__ import annotations

__all__ = ["JobState", "RenderJob"]

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from livetimbre.planner.clip import ClipPlan
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
    info: dict[str, Any] = field(default_factory=dict)
    cached: bool = False  # from the pool's memory (no worker asked)
    stored: bool = False  # from the artifact store's render cache (not rendered)
    started: float = 0.0  # time.monotonic() when a worker took it

    def eta(self, now: float) -> float | None:
        """Seconds until the render is done, guessed from its progress so far."""
        if self.state is not JobState.RENDERING or self.progress < 0.05 or not self.started:
            return None
        elapsed = now - self.started
        return max(0.0, elapsed * (1.0 - self.progress) / self.progress)

    @property
    def finished(self) -> bool:
        return self.state in (JobState.READY, JobState.FAILED, JobState.CANCELLED)
