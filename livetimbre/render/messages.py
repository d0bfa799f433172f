"""What the render pool and its worker processes say to each other (see `render.worker`).

Frozen, picklable dataclasses over each worker's `ChildProcess` pipe, typed all the way
down: the plan is a `ClipPlan` (sent as its pydantic JSON), the notes a `Part`, the
figures a `ClipInfo`. A worker answers its start with `Ready(WorkerReady)` or
`StartFailed`; rendered audio travels in the worker's shared-memory block, which
`Rendered` names.
"""

from __future__ import annotations

__all__ = [
    "Cancel",
    "FromWorker",
    "Progress",
    "Quit",
    "RenderFailed",
    "RenderRequest",
    "Rendered",
    "ToWorker",
    "WorkerReady",
]

from collections.abc import Callable
from dataclasses import dataclass

from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.info import ClipInfo


# --- pool → worker --------------------------------------------------------------------
@dataclass(frozen=True)
class RenderRequest:
    """Render `plan` as job `job_id`. The plan crosses the pipe as its pydantic JSON
    and is validated again on the other side (`__reduce__`), never as a pickle."""

    job_id: int
    plan: ClipPlan

    def __reduce__(self) -> tuple[Callable[[int, str], RenderRequest], tuple[int, str]]:
        return _request, (self.job_id, self.plan.model_dump_json())


def _request(job_id: int, plan_json: str) -> RenderRequest:
    """A `RenderRequest` back from the pipe."""
    return RenderRequest(job_id, ClipPlan.model_validate_json(plan_json))


@dataclass(frozen=True)
class Cancel:
    """Stop job `job_id` if it is still rendering (a model checks between steps)."""

    job_id: int


@dataclass(frozen=True)
class Quit:
    """Finish: the worker ends."""


ToWorker = RenderRequest | Cancel | Quit


# --- worker → pool --------------------------------------------------------------------
@dataclass(frozen=True)
class WorkerReady:
    """The `Ready` payload: the default (procedural) backend's component versions (for
    recipe hashes) and a note on how it was set up (the synth chosen)."""

    versions: dict[str, str]
    note: str


@dataclass(frozen=True)
class Progress:
    """Job `job_id` is `fraction` (0-1) done."""

    job_id: int
    fraction: float


@dataclass(frozen=True)
class Rendered:
    """Job `job_id` is done: float32 audio of `shape` in shared-memory block `block`;
    `info` is what the sidecars need, `part` the notes (for MIDI out; None for audio
    models)."""

    job_id: int
    block: str
    shape: tuple[int, int]
    info: ClipInfo
    recipe: str  # the render's identity: plan, backend spec and the backend's versions
    versions: dict[str, str]  # of the backend that rendered it
    part: Part | None = None
    stored: bool = False  # found in the artifact store's render cache, not rendered


@dataclass(frozen=True)
class RenderFailed:
    """Job `job_id` failed (the worker goes on)."""

    job_id: int
    reason: str
    traceback: str = ""  # when the reason is a bug (not the user's doing), for the log


FromWorker = Progress | Rendered | RenderFailed
