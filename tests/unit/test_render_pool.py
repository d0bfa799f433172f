"""The render pool and its worker processes: a render through typed messages and shared
memory, and a worker that cannot start."""

from __future__ import annotations

import pickle
import threading
from pathlib import Path

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.messages import RenderRequest
from livetimbre.render.pool import RenderPool
from livetimbre.render.worker import WorkerConfig
from livetimbre.session.model import SlotKey

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  bass: {}
scenes:
  - name: a
    clips: {bass: "offbeat bass"}
"""
SLOT = SlotKey("bass", "a")


def _plan(genres: GenreRegistry) -> ClipPlan:
    session = parse_patch(PATCH, "pool.yaml", genres)
    return build_clip_plan(session, "bass", 0, genres.get(session.genre), 48000)


def _render(config: WorkerConfig, plan: ClipPlan) -> tuple[RenderPool, RenderJob, list[JobState]]:
    states: list[JobState] = []
    finished = threading.Event()

    def on_update(job: RenderJob) -> None:
        states.append(job.state)
        if job.finished:
            finished.set()

    pool = RenderPool(config, workers=1, on_update=on_update)
    pool.start()
    try:
        job = pool.submit(SLOT, plan)
        assert finished.wait(40), f"the job did not finish ({job.state})"
    finally:
        pool.stop()
    return pool, job, states


def test_a_render_comes_back_through_shared_memory(genres: GenreRegistry) -> None:
    plan = _plan(genres)
    pool, job, states = _render(WorkerConfig(48000, synth="basic"), plan)
    assert job.state is JobState.READY, job.error
    assert job.audio is not None and job.audio.shape == (plan.frames, 2) and job.audio.any()
    assert job.part is not None and job.part.notes  # the notes, for MIDI out
    assert states[0] is JobState.PENDING and JobState.RENDERING in states
    assert pool.versions and pool.crashes == 0


def test_a_worker_that_cannot_start_fails_the_jobs_with_its_reason(
    genres: GenreRegistry, tmp_path: Path
) -> None:
    config = WorkerConfig(48000, synth="fluidsynth", soundfont=tmp_path / "missing.sf2")
    pool, job, _ = _render(config, _plan(genres))
    assert job.state is JobState.FAILED
    assert job.error.startswith("no render worker could start: SoundFont ")
    assert "missing.sf2" in job.error
    assert pool.crashes == 0 and pool.worker_pids() == []


def test_the_eta_follows_the_pace_since_the_first_report(genres: GenreRegistry) -> None:
    job = RenderJob(1, SLOT, _plan(genres), JobState.RENDERING, started=100.0)
    assert job.eta(101.0) is None  # nothing reported yet
    job.report(0.02, 110.0)  # a model took 10 s to load, then reports as it generates
    assert job.eta(110.0) is None
    job.report(0.45, 115.0)
    # 0.43 in 5 s: the remaining 0.55 take 6.4 s (not the 18 s that counting the
    # loading as progress would say).
    assert job.eta(115.0) == pytest.approx(0.55 / (0.43 / 5.0))
    single = RenderJob(2, SLOT, _plan(genres), JobState.RENDERING, started=100.0)
    single.report(0.5, 105.0)  # one report only: the pace since the start
    assert single.eta(105.0) == pytest.approx(5.0)
    single.state = JobState.READY
    assert single.eta(106.0) is None


def test_a_render_request_crosses_the_pipe_as_the_plans_json(genres: GenreRegistry) -> None:
    plan = _plan(genres)
    data = pickle.dumps(RenderRequest(7, plan))
    assert plan.model_dump_json().encode() in data  # pydantic's JSON, not a pickled model
    assert pickle.loads(data) == RenderRequest(7, plan)


def test_a_job_on_a_render_server_counts_down_the_servers_eta(genres: GenreRegistry) -> None:
    job = RenderJob(1, SLOT, _plan(genres), JobState.RENDERING, started=100.0)
    job.report(0.5, 101.0)
    job.server_eta = (8.0, 102.0)
    assert job.eta(105.0) == 5.0 and job.eta(200.0) == 0.0
    job.server_eta = None
    assert job.eta(102.0) is not None and job.eta(102.0) != 5.0


def test_a_server_that_does_not_answer_sends_the_jobs_to_the_workers_flagged(
        genres: GenreRegistry) -> None:
    import httpx

    from livetimbre.remote.client import ServerClient
    from livetimbre.remote.service import RenderServer

    def refused(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        raise httpx.ConnectError("refused")

    asked: list[str] = []
    server = RenderServer(ServerClient("http://box:1", transport=httpx.MockTransport(refused)),
                          cooldown=600)
    done = threading.Event()
    pool = RenderPool(WorkerConfig(48000, synth="basic"), workers=1, server=server,
                      on_update=lambda job: done.set() if job.finished else None)
    pool.start()
    try:
        first = pool.submit(SLOT, _plan(genres))
        assert done.wait(40), first.state
        done.clear()
        second = pool.submit(SlotKey("bass", "b"), _plan(genres).model_copy(update={"seed": 9}))
        assert done.wait(40), second.state
    finally:
        pool.stop()
    assert asked == ["/generate"]  # the breaker opened: the second was not sent
    assert first.state is second.state is JobState.READY
    assert first.info.server_fallback == "rendered locally: server unreachable (ConnectError)"
    assert second.info.server_fallback == ("rendered locally: server unreachable "
                                           "(ConnectError) (circuit open)")
