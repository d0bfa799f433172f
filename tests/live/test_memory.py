"""The live process's memory holds steady across whole-session re-renders."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.session import commands as c
from livetimbre.system.memory import rss_bytes
from tests.conftest import REPO
from tests.live._support import keys_with_clips, make_app, started, until, wait_all_ready

BUDGET_MB = 16
RERENDERS = 6


@pytest.mark.timeout(280)
@pytest.mark.skipif(rss_bytes() is None, reason="no /proc to read the RSS from")
def test_rss_growth_over_whole_session_rerenders_stays_within_the_clip_memory_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LIVETIMBRE_CLIP_MEMORY_MB", str(BUDGET_MB))
    patch = tmp_path / "night-drive.yaml"
    shutil.copy(REPO / "patches" / "night-drive.yaml", patch)
    app = make_app(patch)
    slots = keys_with_clips(app)

    def jobs() -> list[RenderJob | None]:
        assert app.pool is not None
        return [app.pool.job(slot) for slot in slots]

    async def rerendered(before: set[int]) -> None:
        await until(lambda: all(j is not None and j.state is JobState.READY
                                and j.id not in before for j in jobs()), 60,
                    lambda: f"every slot re-rendered: {[(j.key, j.state) for j in jobs() if j]}")

    async def scenario() -> None:
        async with started(app):
            await wait_all_ready(app, 90)
            app.execute(c.LaunchScene("drive"))
            await until(lambda: app.engine.playing_slot("lead") is not None, 20,
                        "the drive scene to play")
            session_bytes = sum(j.audio.nbytes for j in jobs() if j and j.audio is not None)
            first = rss_bytes()
            assert first is not None
            for number in range(RERENDERS):
                before = {j.id for j in jobs() if j is not None}
                app.execute(c.SetSeed(500 + number))
                await rerendered(before)
            growth = (rss_bytes() or 0) - first
            assert app.pool is not None
            assert app.pool.memory.spare_bytes <= BUDGET_MB << 20
            # Beyond the budget, only the clips still playing while their re-renders
            # arrive may be held twice for a moment; nothing accumulates per re-render.
            allowed = (BUDGET_MB << 20) + session_bytes
            assert growth <= allowed, (
                f"RSS grew {growth >> 20} MB over {RERENDERS} whole-session re-renders of "
                f"{session_bytes >> 20} MB each; allowed {allowed >> 20} MB")
            # What plays is untouched: the scene still plays the newest renders.
            assert all(j is not None and j.audio is not None for j in jobs())
            await until(lambda: app.engine.playing_slot("lead") is not None, 10,
                        "the drive scene to keep playing")

    asyncio.run(scenario())
