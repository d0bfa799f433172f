"""A singer in the Session View: `/layer add vocals`, `/clip vocals 2 "..."` renders a
sung loop, `/lyrics` re-renders it with new words (undoable), and the grid shows the
line being sung while it plays."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.render.jobs import JobState
from livetimbre.session.model import SlotKey
from tests.live._support import make_app, started, until, write_patch

pytestmark = pytest.mark.timeout(240)


def _ok(app: App, line: str) -> str:
    outcome = app.control.run_line(line, "test")
    assert not outcome.error, f"{line}: {outcome.text}"
    return outcome.text


def _syllables(app: App) -> list[str]:
    assert app.pool is not None
    job = app.pool.job(SlotKey("vocals", "two"))
    if job is None or job.state is not JobState.READY or job.info.vocal is None:
        return []
    return [text for _, text in job.info.vocal.events]


def test_a_vocals_layer_sings_its_words_and_the_grid_shows_them(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path))

    async def scenario() -> None:
        async with started(app):
            assert _ok(app, "/layer add vocals") == "layer vocals added"
            _ok(app, '/clip vocals 2 "soft hopeful chorus"')
            first = await until(lambda: _syllables(app), 120, "the sung clip rendered")
            answer = _ok(app, '/lyrics vocals 2 "hold on / the night is young"')
            assert answer == "vocals@two: new words, re-rendering"
            await until(lambda: "hold" in _syllables(app), 120, "the new words rendered")
            assert _syllables(app) != first
            _ok(app, "/launch vocals 2")
            await until(lambda: "♪ vocals: " in _ok(app, "/grid"), 30,
                        lambda: f"the sung line on the grid: {_ok(app, '/grid')}")
            line = _ok(app, "/grid").split("♪ vocals: ")[1].splitlines()[0]
            assert line in ("hold on", "the night is young")
            assert app.views.sung_line("vocals") in ("hold on", "the night is young")
            assert app.views.sung_line("drums") == ""
            assert _ok(app, "/undo").startswith("undid /lyrics vocals 2")
            await until(lambda: _syllables(app) == first, 120, "the written words back")
            bad = app.control.run_line('/lyrics vocals 2 "twenty 24 hours"', "test")
            assert bad.error and "digits" in bad.text

    asyncio.run(scenario())
