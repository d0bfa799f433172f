"""A second render backend for the tests: a sine at the key's tonic, loop-seamless.

Registered through the `livetimbre.backends` entry-point group by `install_tone_backend`,
exactly as a separately installed package would register one.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from livetimbre.music.theory import parse_key
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends import BackendContext, Progress, RenderedClip
from livetimbre.render.info import ClipInfo

DIST_INFO = "livetimbre_tone_backend-1.0.dist-info"


class ToneBackend:
    name = "tone"
    note = ""

    def __init__(self, model: str | None) -> None:
        self.model = model or "sine"

    def versions(self) -> dict[str, str]:
        return {"tone": "1.0", "model": self.model}

    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        tonic = parse_key(plan.key).tonic
        frequency = 440.0 * 2 ** ((tonic - 9) / 12)
        # A whole number of cycles in the loop, so it repeats without a seam.
        cycles = max(1, round(frequency * plan.frames / plan.sample_rate))
        phase = np.arange(plan.frames) * (2 * np.pi * cycles / plan.frames)
        mono = (0.2 * np.sin(phase)).astype(np.float32)
        if progress is not None:
            progress(1.0)
        log = os.environ.get("LIVETIMBRE_TONE_RENDER_LOG")
        if log:  # the tests count renders, across worker processes too
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{plan.layer}@{plan.scene}\n")
        if self.model == "malformed":  # breaks the backend contract: the wrong length
            mono = mono[: plan.frames // 2]
        return RenderedClip(plan, np.stack([mono, mono], axis=1), None,
                            plan.recipe_hash(plan.backend, self.versions()),
                            ClipInfo(backend="tone", figures={"cycles": cycles}))


def make(model: str | None, context: BackendContext) -> ToneBackend:
    """The entry point's factory."""
    return ToneBackend(model)


def install_tone_backend(folder: Path) -> Path:
    """Write the distribution metadata that registers `tone` into `folder` (to be put on
    sys.path, also for spawned render workers); returns the folder."""
    info = folder / DIST_INFO
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: livetimbre-tone-backend\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text(
        "[livetimbre.backends]\ntone = tests.plugins.tone_backend:make\n", "utf-8")
    return folder
