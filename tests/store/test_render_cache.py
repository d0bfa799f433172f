"""The render cache in the store: an unchanged recipe is found instead of rendered (the
backend is not called: renders are counted), offline and through the live render pool
after a restart; eviction to the limit; `regen` bit-identical for a procedural clip."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from livetimbre.cli import main
from livetimbre.config import Settings
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.render.backends import BackendContext, Backends, Progress, RenderedClip
from livetimbre.render.backends.procedural import ProceduralBackend
from livetimbre.render.cache import KIND, ClipCache
from livetimbre.render.jobs import JobState, RenderJob
from livetimbre.render.offline import render_session
from livetimbre.render.pool import RenderPool
from livetimbre.render.worker import WorkerConfig
from livetimbre.session.model import SlotKey
from livetimbre.store import Store, verify
from livetimbre.synth import choose_synth
from tests.plugins.tone_backend import install_tone_backend

pytestmark = pytest.mark.timeout(120)
RATE = 48000
PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  drums: {}
  bass: {}
scenes:
  - name: a
    clips: {drums: "four on the floor", bass: "offbeat bass"}
  - name: b
    clips: {bass: "offbeat bass"}
"""
TONE_PATCH = """\
session: {genre: house, tempo: 120, key: A minor, bars: 1}
layers:
  lead: {backend: tone}
scenes:
  - name: one
    clips: {lead: "a hook"}
"""


class Counting:
    """A backend that counts its renders."""

    def __init__(self, inner: ProceduralBackend) -> None:
        self.inner, self.name, self.note, self.renders = inner, inner.name, inner.note, 0

    def versions(self) -> dict[str, str]:
        return self.inner.versions()

    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        self.renders += 1
        return self.inner.render(plan, progress)


@pytest.fixture
def counting(genres: GenreRegistry) -> Counting:
    synth, _ = choose_synth("basic", RATE)
    return Counting(ProceduralBackend(synth, genres))


def _backends(genres: GenreRegistry, counting: Counting) -> Backends:
    return Backends(BackendContext(RATE, genres), {"procedural": counting})  # type: ignore[dict-item]


def test_an_offline_render_again_takes_every_clip_from_the_store(
    genres: GenreRegistry, counting: Counting
) -> None:
    session = parse_patch(PATCH, "cache.yaml", genres)
    root = Settings.from_env().store_dir
    cache = ClipCache.open(root, 1 << 30)
    first = render_session(session, _backends(genres, counting), sample_rate=RATE, cache=cache)
    assert counting.renders == 3 and cache.writes == 3
    cache.close()
    cache = ClipCache.open(root, 1 << 30)  # as after a restart
    second = render_session(session, _backends(genres, counting), sample_rate=RATE,
                            cache=cache)
    assert counting.renders == 3 and cache.hits == 3  # the backend was not called again
    assert np.array_equal(first.mastered.audio, second.mastered.audio)
    assert first.sidecar() == second.sidecar()  # plans, infos, events, QA: the same
    assert first.midi_tracks() == second.midi_tracks()  # the notes came back too
    assert verify(cache.store).clean
    cache.close()


def test_regen_rebuilds_a_procedural_clip_bit_for_bit_and_restores_its_blob(
    genres: GenreRegistry, counting: Counting, capsys: pytest.CaptureFixture[str]
) -> None:
    session = parse_patch(PATCH, "cache.yaml", genres)
    cache = ClipCache.open(Settings.from_env().store_dir, 1 << 30)
    render_session(session, _backends(genres, counting), sample_rate=RATE, cache=cache)
    artifact = cache.store.artifacts(kind=KIND, tag="layer=drums")[0]
    assert main(["artifacts", "regen", artifact.id]) == 0
    out = capsys.readouterr().out
    assert f"identical: {artifact.id} regenerated bit for bit, sha256 {artifact.sha256}" in out
    assert "version changed" not in out
    cache.store.blobs.path_for(artifact.sha256).unlink()
    assert main(["artifacts", "verify"]) == 1
    capsys.readouterr()
    assert main(["artifacts", "regen", artifact.id[:10]]) == 0
    assert "its missing or broken blob is back" in capsys.readouterr().out
    assert main(["artifacts", "verify"]) == 0
    cache.close()


def test_the_cache_keeps_to_its_limit_least_recently_used_first(
    genres: GenreRegistry, counting: Counting
) -> None:
    session = parse_patch(PATCH.replace("bars: 1", "bars: 2"), "cache.yaml", genres)
    genre = genres.get(session.genre)
    plans = [build_clip_plan(session, layer, scene, genre, RATE)
             for layer, scene in (("drums", 0), ("bass", 0))]
    clips = [counting.render(plan) for plan in plans]
    versions = counting.versions()
    size = clips[0].audio.nbytes + (clips[0].tail.nbytes if clips[0].tail is not None else 0)
    cache = ClipCache(Store(Settings.from_env().store_dir), int(size * 1.5))
    first = cache.put(clips[0], versions)
    assert first is not None
    recipe = plans[0].recipe_hash("procedural", versions)
    assert cache.find(plans[0], recipe) is not None
    second = cache.put(clips[1], versions)  # drums goes: both do not fit
    assert second is not None
    assert [a.id for a in cache.store.artifacts()] == [second.id]
    assert cache.find(plans[0], recipe) is None
    assert cache.store.usage(evictable_only=True) <= cache.limit_bytes
    tiny = ClipCache(cache.store, 1000)  # a clip larger than the whole cache is not kept
    assert tiny.put(clips[0], versions) is None
    cache.close()


def test_a_corrupted_cached_clip_is_rendered_again_and_forgotten(
    genres: GenreRegistry, counting: Counting
) -> None:
    session = parse_patch(PATCH, "cache.yaml", genres)
    cache = ClipCache.open(Settings.from_env().store_dir, 1 << 30)
    render_session(session, _backends(genres, counting), sample_rate=RATE, cache=cache)
    for sha in {artifact.sha256 for artifact in cache.store.artifacts()}:
        path = cache.store.blobs.path_for(sha)
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF  # one flipped bit in the last sample
        path.write_bytes(bytes(data))
    render_session(session, _backends(genres, counting), sample_rate=RATE, cache=cache)
    # bass@a and bass@b sound the same: one blob. Rendering bass@a again put it back whole,
    # so bass@b was then found.
    assert counting.renders == 5 and cache.hits == 1 and "corrupted" in cache.problem
    assert verify(cache.store).clean  # the broken ones were forgotten, fresh ones kept
    cache.close()


@pytest.fixture
def tone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(install_tone_backend(tmp_path / "site")))
    log = tmp_path / "renders.log"
    monkeypatch.setenv("LIVETIMBRE_TONE_RENDER_LOG", str(log))
    yield log


def _pool_render(config: WorkerConfig, plan: ClipPlan) -> RenderJob:
    finished = threading.Event()

    def on_update(job: RenderJob) -> None:
        if job.finished:
            finished.set()

    pool = RenderPool(config, workers=1, on_update=on_update)
    pool.start()
    try:
        job = pool.submit(SlotKey(plan.layer, plan.scene), plan)
        assert finished.wait(60), f"the job did not finish ({job.state})"
    finally:
        pool.stop()
    return job


def test_the_live_pool_finds_an_unchanged_recipe_in_the_store_after_a_restart(
    genres: GenreRegistry, tone: Path
) -> None:
    session = parse_patch(TONE_PATCH, "tone.yaml", genres)
    plan = build_clip_plan(session, "lead", 0, genres.get(session.genre), RATE)
    settings = Settings.from_env()
    config = WorkerConfig(RATE, synth="basic", home=settings.home, store=settings.store_dir,
                          cache_bytes=settings.cache_bytes)
    first = _pool_render(config, plan)
    assert first.state is JobState.READY and not first.stored, first.error
    assert tone.read_text().splitlines() == ["lead@one"]
    second = _pool_render(config, plan)  # a new pool, new workers: as after a restart
    assert second.state is JobState.READY and second.stored, second.error
    assert tone.read_text().splitlines() == ["lead@one"]  # not rendered again
    assert second.audio is not None and first.audio is not None
    assert np.array_equal(first.audio, second.audio) and second.recipe == first.recipe
    assert second.info == first.info
    without = _pool_render(WorkerConfig(RATE, synth="basic", home=settings.home), plan)
    assert not without.stored and len(tone.read_text().splitlines()) == 2  # no store: renders
