"""A fader or knob move (gain, mute, solo, release, effects, the control map) does not
plan every slot again; anything a plan reads does."""

from __future__ import annotations

from dataclasses import replace

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.live.planning import plans_alike
from livetimbre.patch import parse_patch
from livetimbre.session import commands as c
from livetimbre.session.mapping import Binding, Control
from livetimbre.session.model import Session
from livetimbre.session.state import apply

pytestmark = pytest.mark.timeout(30)

PATCH = """\
session: {genre: house, tempo: 120}
layers: {drums: {}, bass: {instrument: synth bass}}
scenes: [{name: a, clips: {drums: "four on the floor"}}]
"""


@pytest.fixture
def session(genres: GenreRegistry) -> Session:
    return parse_patch(PATCH, "p.yaml", genres)


@pytest.mark.parametrize("change", [
    c.SetGain("bass", -12), c.SetMute("drums", True), c.SetSolo("bass", True),
    c.SetRelease("drums", 500), c.SetFx("drums", "cutoff", 800), c.SetFx(None, "room", 0.9),
    c.MapControl(Binding(Control("cc", 1, 74), "drums cutoff")),
], ids=lambda x: type(x).__name__)
def test_mixer_moves_plan_alike(session: Session, change: c.SessionChange) -> None:
    assert plans_alike(session, apply(session, change))


@pytest.mark.parametrize("change", [
    c.SetTempo(121), c.SetKey("C major"), c.SetSeed(3), c.SetGenre("techno"),
    c.SetClipPrompt("bass", "a", "rolling bass"), c.AddLayer("keys"),
    c.SetSampling((("temperature", 1.2),), "bass"), c.SetModel("procedural:x"),
], ids=lambda x: type(x).__name__)
def test_what_plans_read_plans_again(session: Session, change: c.SessionChange) -> None:
    assert not plans_alike(session, apply(session, change))


def test_an_instrument_change_plans_again(session: Session) -> None:
    layers = (session.layers[0], replace(session.layers[1], instrument="upright bass"))
    assert not plans_alike(session, replace(session, layers=layers))
