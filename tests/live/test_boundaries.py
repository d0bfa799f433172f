"""No input ends a performance: an unexpected exception in a command, /save into a folder
that cannot be written, and a malformed render result each leave the REPL, the OSC
server and the audio running, with the traceback (for bugs) in the log file."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.controllers.feedback import Feedback
from livetimbre.controllers.osc.server import OscServer
from livetimbre.live.launching import Launcher
from livetimbre.session.model import SlotKey, SlotState
from tests.e2e.osc_client import OscClient, reply
from tests.live._support import make_app, started, until, write_patch
from tests.live.test_repl import Repl, repl
from tests.plugins.tone_backend import install_tone_backend

pytestmark = pytest.mark.timeout(120)

PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  drums: {}
  lead: {}
scenes:
  - name: one
    clips: {drums: "four on the floor"}
"""


@asynccontextmanager
async def performing(app: App) -> AsyncIterator[tuple[Repl, OscClient]]:
    """The app started, its REPL on pipe input and its OSC server on a free UDP port."""
    async with started(app):
        ctx = app.surface_context()
        feedback = Feedback(ctx.view, ctx.clock)
        osc = OscServer(ctx, feedback, "127.0.0.1", 0, files="any")
        await osc.start()
        client = OscClient(osc.port)
        try:
            async with repl(app) as shell:
                yield shell, client
        finally:
            client.close()
            osc.close()


async def still_performing(app: App, shell: Repl, client: OscClient) -> None:
    """The REPL answers, the OSC server answers, and the audio's frames advance."""
    frame = app.engine.frame
    shell.send("/status\r")
    await until(lambda: shell.printed.count("tempo 124 BPM") >= 1, 10, "the REPL answering")
    client.send("/livetimbre/get/state")
    state = await reply(client, "/livetimbre/state")
    assert '"tempo": 124' in state[0]
    await until(lambda: app.engine.frame > frame + app.engine.sample_rate // 10, 5,
                "the audio advancing")
    assert not shell.task.done()


def log_text(app: App) -> str:
    app.boundary.close()  # flush
    return app.boundary.log_path.read_text(encoding="utf-8")


def test_an_unexpected_exception_in_a_command(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        def broken(self: Launcher) -> str:
            raise RuntimeError("boom in stop_all")

        monkeypatch.setattr(Launcher, "stop_all", broken)
        app = make_app(write_patch(tmp_path, PATCH))
        async with performing(app) as (shell, client):
            shell.send("/stop all\r")
            await until(lambda: "internal error" in shell.printed, 10, "the REPL's error line")
            assert "RuntimeError: boom in stop_all" in shell.printed
            client.send("/livetimbre/stop_all")
            error = await reply(client, "/livetimbre/error")
            assert "internal error" in error[0] and "boom in stop_all" in error[0]
            client.send("/livetimbre/command", "/stop all")
            error = await reply(client, "/livetimbre/error")
            assert "boom in stop_all" in error[0]
            await still_performing(app, shell, client)
            log = log_text(app)
        assert log.count("RuntimeError: boom in stop_all") == 3
        assert "Traceback" in log

    asyncio.run(scenario())


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder this user cannot create files in (root may write anywhere but sysfs)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_save_into_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    async def scenario() -> None:
        target = _unwritable_folder(tmp_path) / "set.yaml"
        app = make_app(write_patch(tmp_path, PATCH))
        async with performing(app) as (shell, client):
            shell.send(f"/save {target}\r")
            await until(lambda: "error:" in shell.printed, 10, "the REPL's error line")
            assert f"Cannot write {target}" in shell.printed
            client.send("/livetimbre/command", f"/save {target}")
            error = await reply(client, "/livetimbre/error")
            assert f"Cannot write {target}" in error[0]
            await still_performing(app, shell, client)
        assert not target.exists()

    asyncio.run(scenario())


def test_a_malformed_render_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    async def scenario() -> None:
        monkeypatch.syspath_prepend(str(install_tone_backend(tmp_path / "site")))
        patch = PATCH.replace("lead: {}", 'lead: {backend: "tone:malformed"}').replace(
            'clips: {drums: "four on the floor"}',
            'clips: {drums: "four on the floor", lead: "a hook"}')
        app = make_app(write_patch(tmp_path, patch))
        async with performing(app) as (shell, client):
            slot = SlotKey("lead", "one")
            await until(lambda: app.views.slot_view("lead", 0).state is SlotState.FAILED, 30,
                        "the malformed lead failing")
            view = app.views.slot_view("lead", 0)
            assert "malformed" in view.error and "frames" in view.error
            await wait_all_ready_but(app, slot)
            shell.send("/scene 1\r")
            await until(lambda: app.views.playing("drums") is not None, 10, "drums playing")
            await still_performing(app, shell, client)
            log = log_text(app)
        assert "malformed" in log and "Traceback" in log

    asyncio.run(scenario())


async def wait_all_ready_but(app: App, failed: SlotKey) -> None:
    """Every slot but `failed` rendered."""

    def ready() -> bool:
        assert app.pool is not None
        for scene in app.session.scenes:
            for layer in scene.clips:
                key = SlotKey(layer, scene.name)
                job = app.pool.job(key)
                if key != failed and (job is None or job.state.value != "ready"):
                    return False
        return True

    await until(ready, 40, "the other slots rendered")
