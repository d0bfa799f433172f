"""What every render backend shares: the interface, what it is built from, what it returns."""

from __future__ import annotations

__all__ = ["Backend", "BackendContext", "Progress", "RenderCancelled", "RenderedClip"]

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from livetimbre.genres import GenreRegistry
from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.info import ClipInfo

Progress = Callable[[float], None]  # hears the fraction of a render done, 0 to 1


class RenderCancelled(Exception):
    """Raised by a `Progress` callback when the render is no longer wanted (a newer
    request for the slot, /stop); a backend lets it through and stops."""


@dataclass(frozen=True)
class RenderedClip:
    """A loop buffer of exactly `plan.frames` float32 stereo frames, and how it was made.

    `part` holds the notes when the backend wrote notes (None for audio models). `tail`
    (float32 stereo, ending in silence) is what rings on when the loop stops at the end
    of a pass, such as the release of its last notes; an offline render ends with it.
    None when the backend has none: such a clip ends with its layer's release fade."""

    plan: ClipPlan
    audio: np.ndarray
    part: Part | None
    recipe_hash: str
    info: ClipInfo = field(default_factory=ClipInfo)
    tail: np.ndarray | None = None


@dataclass(frozen=True)
class BackendContext:
    """What a backend may need to build itself (in a render worker or the CLI)."""

    sample_rate: int
    genres: GenreRegistry
    synth: str = "auto"  # the procedural backend's sound source: auto, fluidsynth, basic
    soundfont: Path | None = None
    home: Path | None = None


class Backend(Protocol):
    """Turns clip plans into loops. Built by the registry from 'NAME[:MODEL]'."""

    name: str
    note: str  # a line for the user about how it was set up (a fallback), or ""

    def versions(self) -> dict[str, str]:
        """The components whose versions make a render what it is (recipe hash)."""
        ...

    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        """Render `plan` to a loop; `progress` hears fractions of the work done."""
        ...
