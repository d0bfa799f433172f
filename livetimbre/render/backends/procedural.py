"""The procedural backend: the AETHER composer writes notes, a synth plays them."""

from __future__ import annotations

__all__ = ["ProceduralBackend", "RenderedClip"]

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from livetimbre import __version__
from livetimbre.compose.pipeline import compose_clip
from livetimbre.engine.transport import Transport
from livetimbre.genres import GenreRegistry
from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.mixing import balance
from livetimbre.synth.base import Synth, fold_loop


@dataclass(frozen=True)
class RenderedClip:
    """A loop buffer of exactly `plan.frames` float32 stereo frames, and how it was made."""

    plan: ClipPlan
    audio: np.ndarray
    part: Part
    recipe_hash: str
    info: dict[str, Any] = field(default_factory=dict)


class ProceduralBackend:
    """Renders clip plans with the composer and `synth`."""

    name = "procedural"

    def __init__(self, synth: Synth, genres: GenreRegistry) -> None:
        self.synth = synth
        self.genres = genres

    def versions(self) -> dict[str, str]:
        return {"livetimbre": __version__, **self.synth.describe()}

    def render(
        self, plan: ClipPlan, progress: Callable[[float], None] | None = None
    ) -> RenderedClip:
        """Compose, play and balance one clip; `progress` hears fractions of the work done."""
        report = progress or (lambda _fraction: None)
        genre = self.genres.get(plan.genre)
        part = compose_clip(plan, genre)
        report(0.1)
        transport = Transport(plan.sample_rate, plan.tempo, plan.meter)
        raw = self.synth.render(part, transport.samples_per_beat, plan.frames)
        report(0.8)
        loop, measured, gain_db = balance(fold_loop(raw, plan.frames), plan.role, plan.sample_rate)
        report(1.0)
        return RenderedClip(
            plan=plan,
            audio=loop,
            part=part,
            recipe_hash=plan.recipe_hash(self.name, self.versions()),
            info={"notes": len(part.notes), "raw_lufs": round(measured, 2),
                  "balance_gain_db": round(gain_db, 2)},
        )
