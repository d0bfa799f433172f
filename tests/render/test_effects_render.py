"""An offline render plays the patch's effects and records them in the sidecar's
event log; the delay and reverb ring on after the last bar."""

from __future__ import annotations

import numpy as np
import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.offline import OfflineRender, render_session
from tests.plugins.tone_backend import ToneBackend

pytestmark = pytest.mark.timeout(120)
RATE = 48000
PATCH = """\
session: {{genre: house, tempo: 120, key: A minor, bars: 1}}
layers:
  lead: {{backend: tone, {fx}}}
scenes:
  - name: a
    clips: {{lead: "a tone"}}
{master}
"""


def _render(genres: GenreRegistry, fx: str = "", master: str = "") -> OfflineRender:
    session = parse_patch(PATCH.format(fx=fx, master=master), "p.yaml", genres)
    backends = Backends(BackendContext(RATE, genres), {"tone": ToneBackend(None)})
    return render_session(session, backends, sample_rate=RATE)


def test_a_lowpass_in_the_patch_is_heard_and_logged(genres: GenreRegistry) -> None:
    dry = _render(genres)
    # A4 at 440 Hz through an 80 Hz lowpass (12 dB an octave): more than 20 dB down
    wet = _render(genres, "fx: {cutoff: 80, filter: lowpass}")
    level = [float(np.sqrt(np.mean(r.mix[RATE // 4:RATE, 0] ** 2))) for r in (dry, wet)]
    assert 20 * np.log10(level[1] / level[0]) < -20
    events = wet.sidecar()["events"]
    assert {"frame": 0, "bar": 0.0, "kind": "fx", "layer": "lead", "param": "cutoff",
            "value": 80.0} in events
    assert not [e for e in dry.sidecar()["events"] if e["kind"] == "fx"]
    assert wet.sidecar()["recipe"]["patch"]["layers"]["lead"]["fx"] == {"cutoff": 80.0}


def test_the_reverb_tail_rings_past_the_last_bar(genres: GenreRegistry) -> None:
    dry = _render(genres)
    wet = _render(genres, "fx: {reverb: 0.8}", "fx: {room: 0.5}")
    assert wet.frames > dry.frames + RATE // 2
    tail = wet.mix[dry.frames:]
    assert float(np.abs(tail[:RATE // 10]).max()) > 1e-4  # a tail (-80 dBFS), not padding
    master = [e for e in wet.sidecar()["events"] if e["kind"] == "fx" and not e["layer"]]
    assert master == [{"frame": 0, "bar": 0.0, "kind": "fx", "layer": "", "param": "room",
                       "value": 0.5}]
