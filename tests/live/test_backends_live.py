"""A second backend, plugged in through its entry point, renders live clips in the
render worker processes: chosen by a layer's `backend:` in the patch and by /model."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from livetimbre.render.jobs import JobState
from livetimbre.session.model import SlotKey
from tests.live._support import make_app, started, until, wait_all_ready, write_patch
from tests.plugins.tone_backend import install_tone_backend

PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  drums: {}
  lead: {backend: "tone:square"}
scenes:
  - name: one
    clips: {drums: "four on the floor", lead: "a hook"}
"""

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(autouse=True)
def _tone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # On sys.path before the App spawns its workers, which inherit it.
    monkeypatch.syspath_prepend(str(install_tone_backend(tmp_path / "site")))


def test_a_layer_backend_in_the_patch_renders_in_the_workers(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = make_app(write_patch(tmp_path, PATCH))
        async with started(app):
            await wait_all_ready(app)
            assert app.pool is not None
            lead = app.pool.job(SlotKey("lead", "one"))
            drums = app.pool.job(SlotKey("drums", "one"))
            assert lead is not None and drums is not None
            assert lead.info.backend == "tone" and lead.plan.backend == "tone:square"
            assert lead.audio is not None and lead.audio.shape[0] == lead.plan.frames
            assert drums.plan.backend == "procedural" and drums.part is not None
            reply = app.control.run_line("/launch lead 1", "test")
            assert not reply.error, reply.text
            await until(lambda: app.views.playing("lead") is not None, 10, "lead playing")

    asyncio.run(scenario())


def test_model_switches_the_default_and_rerenders(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = make_app(write_patch(tmp_path, PATCH.replace('lead: {backend: "tone:square"}',
                                                           "lead: {}")))
        async with started(app):
            await wait_all_ready(app)
            assert app.pool is not None
            before = app.pool.job(SlotKey("lead", "one"))
            assert before is not None and before.plan.backend == "procedural"
            reply = app.control.run_line("/model tone", "test")
            assert not reply.error, reply.text
            assert app.session.backend == "tone"

            def rerendered() -> bool:
                assert app.pool is not None
                job = app.pool.job(SlotKey("lead", "one"))
                return (job is not None and job.state is JobState.READY
                        and job.info.backend == "tone")

            await until(rerendered, 30, "lead re-rendered by the tone backend")
            refused = app.control.run_line("/model nope", "test")
            assert refused.error and "Unknown backend 'nope'" in refused.text
            assert app.session.backend == "tone"  # a refused command changes nothing

    asyncio.run(scenario())
