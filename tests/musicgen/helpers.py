"""Shared by the MusicGen tests: procedural renders with known beats, a seam check made
independently of the fitter's own measure, and a patch naming a model."""

from __future__ import annotations

import numpy as np

from livetimbre.genres import GenreRegistry
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.session.model import ClipSlot, Layer, Scene, Session


def procedural_drums(genres: GenreRegistry, tempo: float, rate: int, bars: int = 6,
                     prompt: str = "four on the floor kick with claps and hats") -> np.ndarray:
    """A drum loop rendered at `tempo`, played twice: beats exactly on its own grid."""
    session = Session(tempo=tempo, key="A minor", meter="4/4", genre="house", seed=3,
                      bars=bars, layers=(Layer("drums"),),
                      scenes=(Scene("a", {"drums": ClipSlot(prompt)}),))
    plan = build_clip_plan(session, "drums", 0, genres.get("house"), rate)
    clip = Backends(BackendContext(rate, genres, "auto")).get("procedural").render(plan)
    return np.concatenate([clip.audio, clip.audio])


def seam_excess(loop: np.ndarray, reach: int = 480) -> float:
    """|last → first sample step| minus the largest step within `reach` samples either
    side of the seam (≤ 0: the seam is no bigger than what surrounds it)."""
    step = float(np.abs(loop[0] - loop[-1]).max())
    around = max(float(np.abs(np.diff(loop[-reach:], axis=0)).max()),
                 float(np.abs(np.diff(loop[:reach], axis=0)).max()))
    return step - around


def musicgen_patch(model: str, tempo: float, bars: int = 2) -> str:
    return f"""\
session: {{genre: house, tempo: {tempo}, key: A minor, seed: 5, bars: {bars},
          backend: "musicgen:{model}", sampling: {{top_k: 50, guidance_scale: 2.5}}}}
layers:
  drums: {{}}
  lead: {{sampling: {{temperature: 1.2}}}}
scenes:
  - name: a
    clips: {{drums: "four on the floor", lead: {{prompt: "dark lead", continue: drums@a}}}}
"""
