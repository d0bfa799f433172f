"""The backend registry: built-in and plugged-in backends by name, unknown names refused,
and offline renders through a backend a patch (or /model) chooses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.render.backends import (
    BackendContext,
    Backends,
    check_backend_known,
    check_session_backends,
    known_backends,
)
from livetimbre.render.offline import render_session
from livetimbre.session import commands as c
from livetimbre.session.state import apply
from tests.plugins.tone_backend import install_tone_backend

RATE = 48000
PATCH = """\
session: {genre: house, tempo: 120, key: A minor, bars: 1}
layers:
  drums: {}
  lead: {backend: tone}
scenes:
  - name: one
    clips: {drums: "four on the floor", lead: "a hook"}
"""


@pytest.fixture
def tone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(install_tone_backend(tmp_path / "site")))
    yield


def test_procedural_is_built_in() -> None:
    assert "procedural" in known_backends()
    assert check_backend_known("procedural") == "procedural"


def test_unknown_backend_names_the_known_ones() -> None:
    with pytest.raises(ValueProblem, match=r"Unknown backend 'nope' \(known: .*procedural"):
        check_backend_known("nope:model")


def test_a_plugged_in_backend_is_known_by_its_entry_point(tone: None) -> None:
    assert "tone" in known_backends()
    assert check_backend_known("tone:square") == "tone:square"


def test_session_backends_are_checked_per_layer(genres: GenreRegistry) -> None:
    session = parse_patch(PATCH, "p.yaml", genres)
    with pytest.raises(ValueProblem, match="Layer lead: Unknown backend 'tone'"):
        check_session_backends(session)


def test_patch_backend_renders_through_the_plugin_offline(genres: GenreRegistry,
                                                          tone: None) -> None:
    session = parse_patch(PATCH, "p.yaml", genres)
    check_session_backends(session)
    backends = Backends(BackendContext(RATE, genres, synth="basic"))
    render = render_session(session, backends, sample_rate=RATE)
    lead = render.clips[("lead", 0)]
    assert lead.plan.backend == "tone"
    assert lead.info.backend == "tone"
    assert lead.audio.shape[0] == lead.plan.frames
    drums = render.clips[("drums", 0)]
    assert drums.plan.backend == "procedural" and drums.part is not None
    assert set(render.sidecar()["backends"]) == {"procedural", "tone"}


def test_model_command_switches_the_default_backend_offline(genres: GenreRegistry,
                                                            tone: None) -> None:
    session = parse_patch(PATCH.replace("lead: {backend: tone}", "lead: {}"), "p.yaml", genres)
    session = apply(session, c.SetModel("tone:square"))
    backends = Backends(BackendContext(RATE, genres, synth="basic"))
    render = render_session(session, backends, sample_rate=RATE)
    assert {clip.plan.backend for clip in render.clips.values()} == {"tone:square"}
    lead = render.clips[("lead", 0)].audio
    # the tone backend's sine: A minor's tonic, a whole number of cycles in the bar
    spectrum = np.abs(np.fft.rfft(lead[:, 0]))
    peak_hz = np.argmax(spectrum) * RATE / lead.shape[0]
    assert abs(peak_hz - 440.0) < 2.0


def test_procedural_takes_no_model(genres: GenreRegistry) -> None:
    backends = Backends(BackendContext(RATE, genres, synth="basic"))
    with pytest.raises(ValueProblem, match="takes no model"):
        backends.get("procedural:big")
