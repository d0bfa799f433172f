"""The tiny random-weight MusicGen in a started App (one render worker, the real-time
null output): a /launch of a slot still rendering starts on the first bar line after
its render is ready; /status says how many bars ahead a MusicGen clip must be asked
for, and an ETA while one renders; /stop of a layer waiting for its render cancels the
generation, so the worker takes the next job at once."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.render.info import ClipInfo
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.session.model import SlotKey
from tests.live._support import make_app, started, until, write_patch

pytestmark = pytest.mark.timeout(240)
RATE = 48000
LATENCY_S = 0.1  # a ready render reaches the engine within this (main loop, command queue)


def _patch(model: Path) -> str:
    return f"""\
session: {{genre: house, tempo: 120, key: A minor, seed: 5, quantize: 1M, bars: 1}}
layers:
  drums: {{}}
  bass: {{}}
  lead: {{backend: "musicgen:{model}"}}
scenes:
  - name: one
    clips: {{drums: "four on the floor"}}
  - name: long
    bars: 32
    clips: {{}}
"""


def _ok(app: App, line: str) -> str:
    outcome = app.control.run_line(line, "test")
    assert not outcome.error, f"{line}: {outcome.text}"
    return outcome.text


def _job(app: App, key: SlotKey) -> RenderJob | None:
    assert app.pool is not None
    return app.pool.job(key)


def test_a_launch_while_rendering_starts_on_the_first_bar_after_ready_and_status_says_bars_ahead(
        tiny_model: Path, tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, _patch(tiny_model)), workers=1)
    lead = SlotKey("lead", "one")

    async def scenario() -> None:
        async with started(app) as messages:
            _ok(app, '/clip lead one "dark lead"')
            assert _ok(app, "/launch lead one") == "lead@one launches when its render is ready"
            job = await until(lambda: _job(app, lead), 5, "a job for lead@one")
            # The last engine frame seen while the render was not ready yet.
            before = app.engine.frame
            deadline = time.monotonic() + 180
            while job.state is not JobState.READY:
                assert not job.finished, (job.state, job.error)
                assert time.monotonic() < deadline, "lead@one never became ready"
                before = app.engine.frame
                await asyncio.sleep(0.005)
            assert job.info.backend == "musicgen" and job.info.fallback is False

            def launched() -> int | None:
                frames = [e.frame for e in list(app.engine.events)
                          if e.kind == "launch" and e.slot == lead]
                return frames[0] if frames else None

            frame = await until(launched, 10, "lead@one launched")
            transport = app.engine.transport
            bar = float(transport.samples_per_bar)
            assert transport.next_boundary(frame, "1M")[0] == frame  # on a bar line
            assert frame >= before
            # No bar line between readiness (plus the way to the engine) and the launch.
            assert frame - bar <= before + LATENCY_S * RATE, (frame, before, bar)
            await until(lambda: app.views.playing("lead") == lead, 5, "lead@one playing")
            assert app.launcher.pending("lead") is None
            ready = next(m for m in messages if m.startswith("✓ lead@one ready"))
            assert "bars ahead at 120 BPM" in ready

            status = _ok(app, "/status")
            line = next(x for x in status.splitlines() if x.startswith(f"musicgen:{tiny_model}"))
            found = re.fullmatch(r".*: (\d+) steps/s; a 4-bar clip takes (\d+) s: request it "
                                 r"(\d+) bars ahead at 120 BPM", line)
            assert found, line
            speed, seconds, ahead = (int(g) for g in found.groups())
            timing = job.info.timing
            assert speed == round(timing.steps_per_second) > 0
            # 4 bars + 1 of padding + 0.5 s at 120 BPM = 525 steps, then the fit.
            expected = 525 / timing.steps_per_second + timing.fit_seconds
            assert abs(seconds - expected) <= 1.0, (line, timing)
            # Asked that many bars ahead, the clip is ready before the bar it starts on.
            assert (ahead - 1) * 2.0 >= seconds - 0.5 and (ahead - 2) * 2.0 < seconds + 0.5

    asyncio.run(scenario())


def test_stop_cancels_a_render_waiting_to_launch_and_frees_the_worker(
        tiny_model: Path, tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, _patch(tiny_model)), workers=1)
    long, bass = SlotKey("lead", "long"), SlotKey("bass", "one")

    async def scenario() -> None:
        async with started(app):
            assert app.pool is not None
            pids = app.pool.worker_pids()
            _ok(app, '/clip lead long "a long dark lead"')  # 32 bars: about 3300 steps
            _ok(app, "/launch lead long")
            assert app.launcher.pending("lead") == "long"
            job = await until(lambda: _job(app, long), 60, "a job for lead@long")
            await until(lambda: job.state is JobState.RENDERING and job.progress >= 0.1, 120,
                        lambda: f"lead@long under way ({job.state} {job.progress})")
            assert job.info == ClipInfo()

            # While it renders: the toolbar's ETA, and /status's.
            eta = app.views.status().eta
            assert eta is not None
            shown = re.search(r"renders: longest ETA (\d+) s", _ok(app, "/status"))
            assert shown, "no ETA in /status"
            # What is left, at the pace of the last second.
            start_progress, start_time = job.progress, time.monotonic()
            await asyncio.sleep(1.0)
            pace = (job.progress - start_progress) / (time.monotonic() - start_time)
            assert pace > 0 and job.state is JobState.RENDERING
            left = (1.0 - job.progress) / pace
            assert left / 4 <= int(shown.group(1)) <= left * 4 + 5, (shown.group(0), left)

            stopped = time.monotonic()
            assert _ok(app, "/stop lead") == "lead stops at the next 1M"
            assert job.state is JobState.CANCELLED and app.launcher.pending("lead") is None
            _ok(app, '/clip bass one "offbeat bass"')
            next_job = await until(lambda: _job(app, bass), 5, "a job for bass@one")
            await until(lambda: next_job.started, 10, "the worker to take bass@one")
            # The rest of the 32 bars would take many seconds more.
            assert next_job.started - stopped < 3.0, next_job.started - stopped
            await until(lambda: next_job.state is JobState.READY, 60, "bass@one ready")
            assert job.state is JobState.CANCELLED and job.audio is None
            assert app.pool.worker_pids() == pids and app.pool.crashes == 0
            # The session change re-queued lead@long (a slot renders eventually);
            # clearing the slot cancels it again.
            _ok(app, "/clip lead long")

    asyncio.run(scenario())
