"""Planning every slot of the session and keeping the render pool in step with it."""

from __future__ import annotations

__all__ = ["plan_slots", "plans_alike"]

from collections.abc import Callable
from dataclasses import replace

from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.jobs import JobState
from livetimbre.render.pool import RenderPool
from livetimbre.session.model import Layer, Session, SlotKey

_RETRY = (JobState.CANCELLED, JobState.FAILED)


def plan_slots(session: Session, genres: GenreRegistry, sample_rate: int, pool: RenderPool,
               say: Callable[[str], None]) -> None:
    """Plan every slot; only slots whose plan changed are (re-)rendered, and renders of
    slots that are gone are cancelled."""
    genre = genres.get(session.genre)
    wanted: set[SlotKey] = set()
    for index, scene in enumerate(session.scenes):
        for layer in scene.clips:
            key = SlotKey(layer, scene.name)
            wanted.add(key)
            try:
                plan = build_clip_plan(session, layer, index, genre, sample_rate,
                                       genres=genres)
            except LivetimbreError as exc:
                say(f"{layer}@{scene.name}: {exc}")
                continue
            job = pool.job(key)
            if job is not None and job.plan == plan and job.state not in _RETRY:
                continue
            pool.submit(key, plan)
    for key in pool.slots():
        if key not in wanted:
            pool.cancel(key)


def _unmixed(layer: Layer) -> Layer:
    return replace(layer, gain_db=0.0, muted=False, soloed=False, release_ms=0.0, fx={})


def plans_alike(old: Session, new: Session) -> bool:
    """Whether `old` and `new` differ only in what no clip plan reads: gains, mutes,
    solos, releases, effects and the control map (a fader or knob moving), so planning
    every slot again can be skipped."""
    if old.layers == new.layers:
        layers_alike = True
    else:
        layers_alike = [_unmixed(x) for x in old.layers] == [_unmixed(x) for x in new.layers]
    return layers_alike and replace(old, layers=new.layers, fx=new.fx,
                                    midi_map=new.midi_map) == new
