"""The learnable-parameter registry and the `/fx` command: ranges, travel, commands."""

from __future__ import annotations

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.music.effects import FX, check_fx, parse_fx, show_fx
from livetimbre.session import commands as c
from livetimbre.session.model import Layer, Session
from livetimbre.session.params import PARAMS, fx_text, learnable, param
from livetimbre.session.slash import parse_line
from livetimbre.session.state import SessionHistory, apply

pytestmark = pytest.mark.timeout(30)


def _session() -> Session:
    return Session(120.0, "A minor", "4/4", "house", layers=(Layer("drums"), Layer("bass")))


def test_the_registry_holds_what_the_issue_names() -> None:
    assert set(learnable("layer")) == {"gain", "mute", "solo", "cutoff", "resonance", "filter",
                                       "delay", "reverb"}
    assert {"stutter", "tapestop", "tempo"} <= set(learnable("master"))


@pytest.mark.parametrize("name", list(PARAMS))
def test_travel_round_trips(name: str) -> None:
    p = PARAMS[name]
    for x in (0.0, 0.1, 0.37, 0.5, 0.9, 1.0):
        value = p.from_unit(x)
        assert p.from_unit(p.to_unit(value)) == pytest.approx(value)


def test_cutoff_travel_is_logarithmic() -> None:
    cutoff = param("cutoff")
    assert cutoff.from_unit(0.0) == pytest.approx(20.0)
    assert cutoff.from_unit(0.5) == pytest.approx(632.456, rel=1e-4)  # geometric middle
    assert cutoff.from_unit(1.0) == pytest.approx(20000.0)


def test_set_gives_the_command_that_sets_it() -> None:
    assert param("cutoff").set("drums", 800) == c.SetFx("drums", "cutoff", 800)
    assert param("gain").set("bass", -3) == c.SetGain("bass", -3)
    assert param("mute").set("bass", 1.0) == c.SetMute("bass", True)
    assert param("solo").set("bass", 0.2) == c.SetSolo("bass", False)
    assert param("tempo").set(None, 99) == c.SetTempo(99)
    assert param("stutter").set(None, 0.25) == c.SetFx(None, "stutter", 0.25)
    with pytest.raises(ValueProblem, match="master parameter"):
        param("stutter").set("drums", 0.25)
    with pytest.raises(ValueProblem, match="name the layer"):
        param("cutoff").set(None, 800)
    with pytest.raises(ValueProblem, match="out of range"):
        param("cutoff").set("drums", 5)


def test_value_reads_the_session_and_apply_drops_defaults() -> None:
    session = apply(_session(), c.SetFx("drums", "cutoff", 800))
    assert param("cutoff").value(session, "drums") == 800
    assert param("cutoff").value(session, "bass") == FX["cutoff"].default
    back = apply(session, c.SetFx("drums", "cutoff", FX["cutoff"].default))
    assert back == _session()  # a default value is not kept: equal sounds compare equal
    master = apply(_session(), c.SetFx(None, "feedback", 0.7))
    assert param("feedback").value(master) == 0.7 and master.fx == {"feedback": 0.7}


@pytest.mark.parametrize(("line", "command"), [
    ("/fx drums cutoff 800", c.SetFx("drums", "cutoff", 800)),
    ("/fx drums filter hp", c.SetFx("drums", "filter", 2)),
    ("/fx drums resonance 0.5", c.SetFx("drums", "resonance", 0.5)),
    ("/fx bass delay 0.3", c.SetFx("bass", "delay", 0.3)),
    ("/fx master stutter 1/16", c.SetFx(None, "stutter", 0.25)),
    ("/fx master tapestop on", c.SetFx(None, "tapestop", 1)),
    ("/fx master delay_time 3/4", c.SetFx(None, "delay_time", 0.75)),
    ("/fx drums gain -3", c.SetGain("drums", -3)),
    ("/fx", c.ShowFx()), ("/fx master", c.ShowFx()), ("/fx drums", c.ShowFx("drums")),
])
def test_fx_lines(line: str, command: c.Command) -> None:
    assert parse_line(line) == command


@pytest.mark.parametrize(("line", "words"), [
    ("/fx drums cutoff 5", "out of range"),
    ("/fx drums cutoff loud", "not a number"),
    ("/fx drums stutter 1/16", "master parameter"),
    ("/fx drums filter notch", "not one of"),
    ("/fx drums wobble 1", "Unknown parameter"),
    ("/fx master stutter 1/5", "not one of"),
    ("/fx drums cutoff", "Usage: /fx"),
])
def test_fx_refusals_name_the_value(line: str, words: str) -> None:
    with pytest.raises(ValueProblem, match=words):
        parse_line(line)


def test_choices_show_and_parse_back() -> None:
    for name, spec in FX.items():
        for _, value in spec.choices:
            assert parse_fx(name, show_fx(name, value)) == value
    assert check_fx("feedback", 0.5) == 0.5


def test_a_knob_sweep_is_one_undo_step() -> None:
    history = SessionHistory(_session())
    for hz in (8000, 4000, 2000, 1000):
        history.apply(c.SetFx("drums", "cutoff", hz))
    assert param("cutoff").value(history.current, "drums") == 1000
    history.undo()
    assert history.current == _session()


def test_fx_text_shows_every_effect_with_its_value() -> None:
    session = apply(apply(_session(), c.SetFx("drums", "cutoff", 800)),
                    c.SetFx(None, "stutter", 0.25))
    assert fx_text(session, "drums") == ("drums: cutoff 800 Hz, resonance 0, filter lowpass, "
                                         "delay 0, reverb 0")
    assert fx_text(session).splitlines() == [
        "master: delay_time 0.75 beats, feedback 0.4, room 0.6, stutter 1/16, tapestop off",
        "drums: cutoff 800 Hz, resonance 0, filter lowpass, delay 0, reverb 0",
        "bass: cutoff 20000 Hz, resonance 0, filter lowpass, delay 0, reverb 0"]
    with pytest.raises(ValueProblem, match="Unknown layer 'keys'"):
        fx_text(session, "keys")


def test_stutter_and_tape_stop_exclude_each_other() -> None:
    stopped = apply(_session(), c.SetFx(None, "tapestop", 1))
    stuttering = apply(stopped, c.SetFx(None, "stutter", 0.125))
    assert stuttering.fx == {"stutter": 0.125}
    assert apply(stuttering, c.SetFx(None, "tapestop", 1)).fx == {"tapestop": 1.0}
    assert apply(stuttering, c.SetFx(None, "stutter", 0)).fx == {}
