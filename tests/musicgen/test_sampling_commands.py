"""`sampling:` (session and layer) and `continue: LAYER@SCENE` survive /save and load;
/cfg and /sampling change what the App submits for the next MusicGen render
(plan.sampling), and /undo takes them back."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetimbre.app import App
from livetimbre.live.planning import plan_slots
from livetimbre.patch import load_patch
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.jobs import RenderJob
from livetimbre.session.model import SlotKey
from tests.live._support import genres, make_app, write_patch
from tests.musicgen.helpers import musicgen_patch

pytestmark = pytest.mark.timeout(60)
# Session sampling {top_k: 50, guidance_scale: 2.5}; the lead's {temperature: 1.2}; the
# lead continues drums@a; bass is procedural.
PATCH = musicgen_patch("acme/musicgen-tiny", 120).replace(
    "  lead: {sampling", "  bass: {backend: procedural}\n  lead: {sampling").replace(
    'clips: {drums: "four on the floor",', 'clips: {drums: "four on the floor", bass: "sub",')
DRUMS, LEAD, BASS = SlotKey("drums", "a"), SlotKey("lead", "a"), SlotKey("bass", "a")


def _ok(app: App, line: str) -> str:
    outcome = app.control.run_line(line, "test")
    assert not outcome.error, f"{line}: {outcome.text}"
    return outcome.text


def test_sampling_and_continue_survive_save_and_load(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, PATCH))
    session = app.session
    assert dict(session.sampling) == {"top_k": 50, "guidance_scale": 2.5}
    assert dict(session.layer("lead").sampling) == {"temperature": 1.2}
    assert session.scenes[0].clips["lead"].continues == "drums@a"
    first = tmp_path / "first.yaml"
    _ok(app, f"/save {first}")
    assert load_patch(first, genres()) == session
    # And after the REPL changed them.
    _ok(app, "/cfg 4")
    _ok(app, "/sampling lead top_p=0.9 temperature=default")
    _ok(app, "/sampling drums top_k=120")
    second = tmp_path / "second.yaml"
    _ok(app, f"/save {second}")
    loaded = load_patch(second, genres())
    assert loaded == app.session
    assert dict(loaded.sampling) == {"top_k": 50, "guidance_scale": 4.0}
    assert dict(loaded.layer("lead").sampling) == {"top_p": 0.9}
    assert dict(loaded.layer("drums").sampling) == {"top_k": 120}
    assert dict(loaded.layer("bass").sampling) == {}
    assert loaded.scenes[0].clips["lead"].continues == "drums@a"


class _Submissions:
    """Stands in for the render pool (the App's planning submits to it): keeps each
    slot's latest job and what was submitted since the last look."""

    def __init__(self) -> None:
        self.jobs: dict[SlotKey, RenderJob] = {}
        self.fresh: dict[SlotKey, ClipPlan] = {}

    def job(self, key: SlotKey) -> RenderJob | None:
        return self.jobs.get(key)

    def submit(self, key: SlotKey, plan: ClipPlan) -> RenderJob:
        self.jobs[key] = RenderJob(len(self.jobs) + 1, key, plan)
        self.fresh[key] = plan
        return self.jobs[key]

    def slots(self) -> list[SlotKey]:
        return list(self.jobs)

    def cancel(self, key: SlotKey) -> None:
        pass

    def take(self) -> dict[SlotKey, dict[str, float]]:
        """{slot: plan.sampling} of the plans submitted since the last call."""
        fresh, self.fresh = self.fresh, {}
        return {key: dict(plan.sampling) for key, plan in fresh.items()}


def test_cfg_and_sampling_reach_the_next_plan_and_undo_takes_them_back(
        tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, PATCH))
    pool = _Submissions()
    app.pool = pool  # type: ignore[assignment]
    plan_slots(app.session, app.genres, app.settings.sample_rate, pool,  # type: ignore[arg-type]
               app.say)
    assert pool.take() == {DRUMS: {"top_k": 50, "guidance_scale": 2.5},
                           LEAD: {"top_k": 50, "guidance_scale": 2.5, "temperature": 1.2},
                           BASS: {}}
    assert pool.jobs[LEAD].plan.motif is not None
    assert pool.jobs[LEAD].plan.motif.sampling == {"top_k": 50, "guidance_scale": 2.5}

    _ok(app, "/cfg 4")  # both MusicGen layers re-render; the procedural one does not
    assert pool.take() == {DRUMS: {"top_k": 50, "guidance_scale": 4.0},
                           LEAD: {"top_k": 50, "guidance_scale": 4.0, "temperature": 1.2}}
    _ok(app, "/sampling lead temperature=0.7 top_p=0.9")  # the lead alone
    assert pool.take() == {LEAD: {"top_k": 50, "guidance_scale": 4.0, "temperature": 0.7,
                                  "top_p": 0.9}}
    _ok(app, "/sampling top_k=default")  # the session's, under both layers
    assert pool.take() == {DRUMS: {"guidance_scale": 4.0},
                           LEAD: {"guidance_scale": 4.0, "temperature": 0.7, "top_p": 0.9}}

    assert _ok(app, "/undo") == "undid /sampling top_k=default"
    assert pool.take() == {DRUMS: {"top_k": 50, "guidance_scale": 4.0},
                           LEAD: {"top_k": 50, "guidance_scale": 4.0, "temperature": 0.7,
                                  "top_p": 0.9}}
    assert _ok(app, "/undo").startswith("undid /sampling lead ")
    assert pool.take() == {LEAD: {"top_k": 50, "guidance_scale": 4.0, "temperature": 1.2}}
    assert _ok(app, "/undo").startswith("undid /sampling guidance_scale=4")
    assert pool.take() == {DRUMS: {"top_k": 50, "guidance_scale": 2.5},
                           LEAD: {"top_k": 50, "guidance_scale": 2.5, "temperature": 1.2}}
    assert _ok(app, "/undo") == "nothing to undo"
    assert pool.take() == {}
