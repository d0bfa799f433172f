"""Every example patch: bar-exact launches, exact length, mastered loudness, no silence."""

from __future__ import annotations

import numpy as np
import pytest

from livetimbre.engine.transport import Transport
from livetimbre.mastering.meters import integrated_lufs, true_peak_db
from livetimbre.mastering.qa import clip_report
from livetimbre.render.offline import OfflineRender
from tests.conftest import PATCHES
from tests.render.conftest import RATE, patch_ids


def test_there_are_at_least_four_example_patches() -> None:
    assert len(PATCHES) >= 4


@pytest.mark.parametrize("name", patch_ids())
def test_every_launch_lands_on_its_bar_sample(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    render = example_renders[name]
    transport = Transport(RATE, render.session.tempo, render.session.meter)
    scene_starts = np.cumsum([0, *render.scene_bars[:-1]])
    launches = [e for e in render.events if e.kind in ("launch", "scene")]
    assert launches, "no launch in the event log"
    for event in launches:
        assert event.bar == int(event.bar), f"{event} is not on a bar line"
        assert event.frame == transport.frame_at(int(event.bar))
        assert int(event.bar) in scene_starts
    scenes = [e for e in render.events if e.kind == "scene"]
    assert [int(e.bar) for e in scenes] == list(scene_starts)


@pytest.mark.parametrize("name", patch_ids())
def test_length_is_scenes_times_bars_times_samples_per_bar_then_the_ending(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    render = example_renders[name]
    transport = Transport(RATE, render.session.tempo, render.session.meter)
    exact = sum(render.scene_bars) * transport.samples_per_bar
    assert abs(render.end_frame - float(exact)) <= 1
    # The ending lasts as long as the longest of the last scene's endings: a clip whose
    # pass ends on the last bar line rings on with its tail, one stopped mid-pass fades
    # out over its tail's length or 1 s, whichever is longer.
    last, bars = render.scene_order[-1], render.scene_bars[-1]
    endings = [c.tail.shape[0] if bars % c.plan.bars == 0 else max(RATE, c.tail.shape[0])
               for (_, scene), c in render.clips.items()
               if scene == last and c.tail is not None]
    assert endings and render.frames - render.end_frame in range(max(endings),
                                                                 max(endings) + 256)
    assert render.mastered.audio.shape == (render.frames, 2)


@pytest.mark.parametrize("name", patch_ids())
def test_every_render_ends_in_silence_without_a_cut(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    render = example_renders[name]
    ending = render.sidecar()["qa"]["ending"]
    assert ending["last_10ms_peak_dbfs"] < -60 and ending["last_10ms_step_dbfs"] < -60, ending
    assert ending["rings_s"] >= 0.2, ending  # the last notes ring on past the last bar
    assert not render.mastered.audio[-1].any()


@pytest.mark.parametrize("name", patch_ids())
def test_mastered_to_minus_14_lufs_under_minus_1_dbtp(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    audio = example_renders[name].mastered.audio
    assert integrated_lufs(audio, RATE) == pytest.approx(-14.0, abs=1.0)
    assert true_peak_db(audio) <= -1.0


@pytest.mark.parametrize("name", patch_ids())
def test_no_clip_is_silent_and_every_loop_is_seamless(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    render = example_renders[name]
    for (layer, scene), clip in render.clips.items():
        report = clip_report(clip.audio)
        label = f"{layer}@{render.session.scenes[scene].name}"
        assert not report["silent"], f"{label} is silent ({report['rms_dbfs']} dBFS)"
        assert report["seam_ok"], f"{label} jumps at its loop seam: {report}"
        assert clip.audio.shape == (clip.plan.frames, 2)


@pytest.mark.parametrize("name", patch_ids())
def test_sidecar_holds_plans_recipe_events_and_qa(
    name: str, example_renders: dict[str, OfflineRender]
) -> None:
    render = example_renders[name]
    sidecar = render.sidecar()
    assert len(sidecar["plans"]) == len(render.clips)
    assert {p["version"] for p in sidecar["plans"]} == {"v4"}
    assert sidecar["backends"]["procedural"]["synth"] == "fluidsynth"
    assert sidecar["backends"]["procedural"]["soundfont"].endswith((".sf2", ".sf3"))
    assert sidecar["recipe"]["patch"]["session"]["genre"] == render.session.genre
    assert sidecar["qa"]["silent_clips"] == []
    assert sidecar["qa"]["seam_failures"] == []
    assert sidecar["qa"]["dc_offset"] < 1e-3
    assert sidecar["events"][0]["frame"] == 0
