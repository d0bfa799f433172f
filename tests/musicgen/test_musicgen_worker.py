"""A tiny random-weight MusicGen rendering in a render worker process: exact bar length at
the engine rate (also when a bar is no whole number of samples), no seam step, a
sidecar that records prompt, parameters, model and the fit; the same for audio-prompt
continuation; progress reports and prompt cancellation."""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

import pytest

from livetimbre.fitting import seam_step_dbfs
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.pool import RenderPool
from livetimbre.render.worker import WorkerConfig
from livetimbre.session.model import SlotKey
from tests.musicgen.helpers import musicgen_patch, seam_excess

pytestmark = pytest.mark.timeout(240)
RATE = 48000


def _run(plans: dict[SlotKey, object], tmp_path: Path) -> tuple[dict[SlotKey, RenderJob],
                                                                 list[float]]:
    done = threading.Event()
    progress: list[float] = []
    jobs: dict[SlotKey, RenderJob] = {}

    def on_update(job: RenderJob) -> None:
        if job.state is JobState.RENDERING:
            progress.append(job.progress)
        if all(j.finished for j in jobs.values()) and len(jobs) == len(plans):
            done.set()

    pool = RenderPool(WorkerConfig(RATE, synth="basic", home=tmp_path), workers=1,
                      on_update=on_update)
    pool.start()
    try:
        for key, plan in plans.items():
            jobs[key] = pool.submit(key, plan)  # type: ignore[arg-type]
        assert done.wait(200), {k: j.state for k, j in jobs.items()}
    finally:
        pool.stop()
    return jobs, progress


def test_tiny_musicgen_clips_are_bar_exact_seamless_and_documented(
        genres: GenreRegistry, tiny_model: Path, tmp_path: Path) -> None:
    session = parse_patch(musicgen_patch(str(tiny_model), 113), "mg.yaml", genres)
    assert bar_samples(RATE, 113, parse_meter("4/4")).denominator != 1
    genre = genres.get("house")
    plans = {SlotKey(layer, "a"): build_clip_plan(session, layer, 0, genre, RATE)
             for layer in ("drums", "lead")}
    jobs, progress = _run(plans, tmp_path)
    for key, job in jobs.items():
        plan = plans[key]
        assert job.state is JobState.READY, job.error
        assert job.audio is not None
        assert job.audio.shape == (math.ceil(2 * bar_samples(RATE, 113, parse_meter("4/4"))), 2)
        assert job.audio.shape[0] == plan.frames and job.audio.any()
        assert seam_step_dbfs(job.audio, RATE) <= -60 and seam_excess(job.audio) <= 1e-3
        info = job.info
        assert info.backend == "musicgen" and info.fallback is False
        assert info.model == str(tiny_model) and info.device == "cpu"
        assert "113 bpm" in info.prompt and "A minor" in info.prompt
        assert info.sampling["top_k"] == 50 and info.sampling["guidance_scale"] == 2.5
        assert info.generation.steps > 0 and info.generation.steps_per_second > 0
        fit = info.fit
        for field in ("fit", "trackers", "beat_confidence_before", "stretch_ratio",
                      "cut_point_s", "seam_step_dbfs"):
            assert field in fit.model_fields_set, fit
    assert "drums only" in jobs[SlotKey("drums", "a")].info.prompt
    lead = jobs[SlotKey("lead", "a")].info
    assert lead.sampling["temperature"] == 1.2
    assert lead.motif.continues == "drums@a"
    assert lead.motif.conditioning == "audio continuation"
    assert lead.motif.prompt_seconds > 1.0
    assert len(progress) >= 5 and 0.5 < max(progress) <= 1.0  # step-by-step reports


def test_a_newer_prompt_cancels_a_generation_promptly(
        genres: GenreRegistry, tiny_model: Path, tmp_path: Path) -> None:
    session = parse_patch(musicgen_patch(str(tiny_model), 120, bars=16), "mg.yaml", genres)
    long_plan = build_clip_plan(session, "drums", 0, genres.get("house"), RATE)
    short = parse_patch(musicgen_patch(str(tiny_model), 120, bars=1), "mg.yaml", genres)
    short_plan = build_clip_plan(short, "drums", 0, genres.get("house"), RATE)
    key = SlotKey("drums", "a")
    started = threading.Event()
    finished = threading.Event()
    holder: dict[str, RenderJob] = {}

    def on_update(job: RenderJob) -> None:
        if job is holder.get("old") and job.state is JobState.RENDERING and job.progress > 0.1:
            started.set()
        if job is holder.get("new") and job.finished:
            finished.set()

    pool = RenderPool(WorkerConfig(RATE, synth="basic", home=tmp_path), workers=1,
                      on_update=on_update)
    pool.start()
    try:
        holder["old"] = pool.submit(key, long_plan)
        assert started.wait(120), holder["old"].state
        cancelled_at = time.monotonic()
        holder["new"] = pool.submit(key, short_plan)
        assert finished.wait(120)
        new = holder["new"]
        # 16 bars at the tiny model's speed would take far longer than this.
        assert new.state is JobState.READY and new.started - cancelled_at < 3.0
        assert holder["old"].state is JobState.CANCELLED
    finally:
        pool.stop()
