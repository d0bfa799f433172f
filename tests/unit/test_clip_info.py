"""A rendered clip's figures as typed models: the sidecar keeps the keys a backend set,
the store's copy reads back equal, the pipe carries them, and a backend that hands
back anything else breaks its contract."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from pydantic import ValidationError

from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.render.backends import BackendContext, Backends, RenderedClip
from livetimbre.render.info import ClipInfo
from livetimbre.render.messages import Rendered
from livetimbre.render.worker import MalformedRender, check_rendered

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, bars: 1}
layers:
  bass: {}
  rain: {instrument: rain}
scenes:
  - name: a
    clips: {bass: "offbeat bass", rain: "soft rain"}
"""
COMPOSED = {"notes", "raw_lufs", "balance_gain_db", "tail_s", "chords", "form", "feel",
            "ignored_words"}


def _clip(genres: GenreRegistry, layer: str) -> RenderedClip:
    session = parse_patch(PATCH, "info.yaml", genres)
    plan: ClipPlan = build_clip_plan(session, layer, 0, genres.get(session.genre), 48000)
    return Backends(BackendContext(48000, genres, "basic")).get("procedural").render(plan)


@pytest.fixture(scope="module")
def bass(genres: GenreRegistry) -> RenderedClip:
    return _clip(genres, "bass")


def test_a_composed_clips_sidecar_has_the_composers_keys(bass: RenderedClip) -> None:
    sidecar = bass.info.sidecar()
    assert set(sidecar) == COMPOSED | {"style"}  # a bass part has a style
    assert set(sidecar["feel"]) == {"swing", "push_ms", "humanize_ms", "feel"}
    assert bass.part is not None and sidecar["notes"] == len(bass.part.notes)


def test_a_texture_clips_sidecar_has_the_textures_keys(genres: GenreRegistry) -> None:
    rain = _clip(genres, "rain").info.sidecar()
    assert set(rain) == {"texture", "texture_intensity", "texture_source", "notes",
                         "raw_lufs", "balance_gain_db"}
    assert rain["texture"] == "rain"


def test_the_stores_copy_reads_back_equal(bass: RenderedClip) -> None:
    stored = ClipInfo.model_validate(bass.info.sidecar())
    assert stored == bass.info
    assert stored.sidecar() == bass.info.sidecar()


def test_an_unknown_figure_is_refused() -> None:
    with pytest.raises(ValidationError, match="cycles"):
        ClipInfo.model_validate({"backend": "tone", "cycles": 3})
    assert ClipInfo(backend="tone", figures={"cycles": 3}).sidecar() == {
        "backend": "tone", "figures": {"cycles": 3}}


def test_a_rendered_message_carries_the_figures_and_notes(bass: RenderedClip) -> None:
    message = Rendered(1, "block", (bass.plan.frames, 2), bass.info, "recipe", {},
                       part=bass.part)
    back = pickle.loads(pickle.dumps(message))
    assert back == message and back.info.feel == bass.info.feel


def test_a_backend_handing_back_a_dict_breaks_its_contract(bass: RenderedClip,
                                                           genres: GenreRegistry) -> None:
    backend = Backends(BackendContext(48000, genres, "basic")).get("procedural")
    broken = dataclasses.replace(bass, info={"backend": "x"})
    with pytest.raises(MalformedRender, match="info of type dict, not ClipInfo"):
        check_rendered(broken, backend)
    assert check_rendered(bass, backend) is bass
