"""Effects in a running session: the patch's at start, `/fx` from the REPL, /undo, /save,
each reaching the audio process and its event log."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.engine.events import EventKind
from livetimbre.patch import load_patch
from tests.live._support import genres, make_app, started, until, write_patch

pytestmark = pytest.mark.timeout(120)

PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, quantize: 1M, bars: 1}
layers:
  drums: {fx: {cutoff: 2000, delay: 0.2}}
  bass: {}
scenes:
  - name: one
    clips: {drums: "four on the floor"}
fx: {room: 0.8}
"""


def _fx(app: App) -> list[tuple[str, str, float | None]]:
    assert app.engine is not None
    return [(e.layer, e.param, e.value) for e in list(app.engine.events)
            if e.kind is EventKind.FX]


def _ok(app: App, line: str) -> str:
    outcome = app.control.run_line(line, "test")
    assert not outcome.error, f"{line}: {outcome.text}"
    return outcome.text


def test_effects_reach_the_audio_process(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = make_app(write_patch(tmp_path, PATCH))
        async with started(app):
            start = [("drums", "cutoff", 2000.0), ("drums", "delay", 0.2), ("", "room", 0.8)]
            await until(lambda: _fx(app) == start, 20, lambda: f"the patch's fx: {_fx(app)}")
            assert _ok(app, "/fx drums cutoff 800") == "drums cutoff 800 Hz"
            assert _ok(app, "/fx master stutter 1/16") == "master stutter 1/16"
            await until(lambda: len(_fx(app)) == 5, 20, lambda: f"two more: {_fx(app)}")
            assert _fx(app)[3:] == [("drums", "cutoff", 800.0), ("", "stutter", 0.25)]
            assert _ok(app, "/undo") == "undid /fx master stutter 1/16"
            await until(lambda: len(_fx(app)) == 6, 20, lambda: f"the undo: {_fx(app)}")
            assert _fx(app)[5] == ("", "stutter", 0.0)
            saved = tmp_path / "saved.yaml"
            _ok(app, f"/save {saved}")
            again = load_patch(saved, genres())
            assert again == app.session and again.layer("drums").fx == {"cutoff": 800.0,
                                                                         "delay": 0.2}

    asyncio.run(scenario())


def test_a_hot_reload_sends_only_the_effects_that_changed(tmp_path: Path) -> None:
    async def scenario() -> None:
        patch = write_patch(tmp_path, PATCH)
        app = make_app(patch, watch=True)
        async with started(app):
            await until(lambda: len(_fx(app)) == 3, 20, lambda: f"the patch's fx: {_fx(app)}")
            await asyncio.sleep(0.3)  # the watcher is watching
            patch.write_text(PATCH.replace("cutoff: 2000", "cutoff: 500, resonance: 0.5")
                             .replace("room: 0.8", "room: 0.8, stutter: 1/8"), encoding="utf-8")
            await until(lambda: len(_fx(app)) == 6, 20, lambda: f"three more: {_fx(app)}")
            assert _fx(app)[3:] == [("drums", "cutoff", 500.0), ("drums", "resonance", 0.5),
                                    ("", "stutter", 0.5)]
            assert app.session.layer("drums").fx == {"cutoff": 500.0, "resonance": 0.5,
                                                     "delay": 0.2}

    asyncio.run(scenario())
