"""Texture layers in a rendered patch: a named sound is noise or a GM effect played on
purpose, never a copy of the keys; a texture naming no sound stays the composer's."""

from __future__ import annotations

import numpy as np
import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.mastering.qa import clip_report
from livetimbre.patch import parse_patch
from livetimbre.render.offline import OfflineRender, render_session
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.render.conftest import RATE, procedural

pytestmark = pytest.mark.timeout(120)

PATCH = """\
session: {genre: lo-fi-hip-hop, tempo: 82, key: F major, seed: 12, bars: 2}
layers:
  keys:  {instrument: rhodes}
  rain:  {instrument: rain, gain: -8}
  fx:    {}
  comp:  {instrument: rain}
scenes:
  - name: one
    clips: {keys: "mellow jazzy comp", rain: "sparse rain texture", fx: "dusty vinyl crackle",
            comp: "mellow jazzy comp"}
  - name: two
    clips: {keys: "mellow jazzy comp", rain: "seashore", fx: "dark drone texture"}
"""


@pytest.fixture(scope="module")
def render(genres: GenreRegistry, fluid: FluidSynthRenderer) -> OfflineRender:
    session = parse_patch(PATCH, "textures.yaml", genres)
    return render_session(session, procedural(genres, fluid), sample_rate=RATE)


def _clip(render: OfflineRender, layer: str, scene: int):  # type: ignore[no-untyped-def]
    return render.clips[(layer, scene)]


def test_a_rain_layer_is_the_rain_texture_with_no_notes(render: OfflineRender) -> None:
    rain = _clip(render, "rain", 0)
    assert rain.plan.role == "texture"  # a layer named "rain" is a texture layer
    assert rain.part is None
    assert rain.info.texture == "rain" and rain.info.texture_source == "noise synth"
    assert rain.info.notes == 0
    assert rain.audio.shape == (rain.plan.frames, 2)
    assert clip_report(rain.audio)["seam_ok"]
    # Nothing of it reaches the MIDI export: it shares no onset or pitch with the keys.
    # (Scene two starts on beat 8; the rain layer plays a GM effect there.)
    tracks = render.midi_tracks()
    assert any(layer == "keys" and start == 0.0 for layer, start, _part in tracks)
    assert all(start >= 8.0 for layer, start, _part in tracks if layer in ("rain", "fx"))
    sidecar = render.sidecar()
    plans = {(p["layer"], p["scene"]): p for p in sidecar["plans"]}
    assert plans[("rain", "one")]["texture"] == "rain"
    assert plans[("fx", "one")]["texture"] == "vinyl"


def _envelope(audio: np.ndarray) -> np.ndarray:
    """Level (dB) of each 50 ms window."""
    x = audio.astype(np.float64).mean(axis=1)
    w = int(0.05 * RATE)
    return 10 * np.log10(np.mean(x[: len(x) // w * w].reshape(-1, w) ** 2, axis=1) + 1e-12)


def test_the_rain_does_not_follow_the_keys(render: OfflineRender) -> None:
    """The old texture doubled the keys' chords through GM program 96 (as the 'comp' layer
    here still does, being a chords layer): its level rose and fell with the keys. The rain
    texture's level is unrelated to the keys'."""
    keys = _envelope(_clip(render, "keys", 0).audio)
    rain = _envelope(_clip(render, "rain", 0).audio)
    doubled = _envelope(_clip(render, "comp", 0).audio)
    assert abs(np.corrcoef(keys, rain)[0, 1]) < 0.3
    assert np.corrcoef(keys, doubled)[0, 1] > 0.6


def test_a_gm_effect_is_played_on_purpose(render: OfflineRender) -> None:
    shore, keys = _clip(render, "rain", 1), _clip(render, "keys", 1)
    assert shore.part is not None and keys.part is not None
    assert shore.part.program == 122 and shore.info.texture == "seashore"
    assert shore.info.texture_source == "gm program 122"
    # long swells starting on the bar lines, not the keys' rhythm
    assert all(n.duration >= 4.0 for n in shore.part.notes)
    assert {n.start for n in shore.part.notes} == {0.0, 4.0}
    assert len({n.start for n in keys.part.notes}) > 2
    assert not clip_report(shore.audio)["silent"]


def test_a_texture_naming_no_sound_stays_the_composers(render: OfflineRender) -> None:
    drone = _clip(render, "fx", 1)
    assert drone.part is not None and drone.part.notes
    assert drone.info.texture is None
    comp = _clip(render, "comp", 0)  # a chords layer playing GM "rain" is no texture
    assert comp.plan.role == "chords" and comp.part is not None and comp.part.program == 96
    assert comp.info.texture is None
