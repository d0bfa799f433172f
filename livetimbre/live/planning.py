"""Planning every slot of the session and keeping the render pool in step with it."""

from __future__ import annotations

__all__ = ["plan_slots"]

from collections.abc import Callable

from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.jobs import JobState
from livetimbre.render.pool import RenderPool
from livetimbre.session.model import Session, SlotKey

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
