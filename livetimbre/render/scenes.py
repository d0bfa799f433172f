"""Launching a scene: which layers start which clip, which stop, which wait for a render.

The one scene-launch path shared by the live performance and the offline renderer (an
offline render is a replay of a performance in which every clip is ready)."""

from __future__ import annotations

__all__ = ["SceneLaunch", "scene_launch"]

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from livetimbre.session.model import Session

C = TypeVar("C")


@dataclass(frozen=True)
class SceneLaunch(Generic[C]):
    """`clips`: layer → the clip it starts, or None to stop it (a layer the scene leaves
    empty); layers in `waiting` have a clip still rendering and play on until it is ready."""

    scene: str
    clips: dict[str, C | None]
    waiting: list[str] = field(default_factory=list)


def scene_launch(session: Session, index: int, ready: Callable[[str, str], C | None]
                 ) -> SceneLaunch[C]:
    """What launching scene `index` does; `ready(layer, scene)` is the ready clip or None."""
    scene = session.scenes[index]
    clips: dict[str, C | None] = {}
    waiting = []
    for layer in session.layers:
        if layer.name not in scene.clips:
            clips[layer.name] = None
            continue
        clip = ready(layer.name, scene.name)
        if clip is None:
            waiting.append(layer.name)
        else:
            clips[layer.name] = clip
    return SceneLaunch(scene.name, clips, waiting)
