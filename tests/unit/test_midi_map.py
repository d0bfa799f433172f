"""The control map as data: controls, bindings, /learn /map /unmap lines, learnable
targets, the patch's `midi_map:` (saved and restored), and the map's session changes."""

from __future__ import annotations

import pytest
import yaml

from livetimbre.errors import PatchError, ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.patch.dump import session_to_patch
from livetimbre.session import commands as c
from livetimbre.session.learnable import Continuous, Toggle, Trigger, resolve
from livetimbre.session.mapping import Binding, Control, parse_control
from livetimbre.session.slash import parse_line
from livetimbre.session.state import apply

pytestmark = pytest.mark.timeout(60)

PATCH = """\
session: {genre: house, tempo: 120}
layers:
  drums: {}
  bass: {gain: -3}
scenes:
  - name: a
  - name: drop
midi_map:
  - {cc: 74, channel: 1, target: drums cutoff}
  - {cc: 16, channel: 2, target: master stutter, encoder: relative}
  - {note: 36, channel: 10, target: scene drop}
  - {osc: /1/fader1, target: bass gain, takeover: false}
"""


def test_controls_parse_and_print_back() -> None:
    assert parse_control("ch1:cc74") == Control("cc", 1, 74)
    assert parse_control("CH10:Note36") == Control("note", 10, 36)
    assert parse_control("/1/fader1") == Control("osc", address="/1/fader1")
    for text in ("ch1:cc74", "ch16:note0", "/1/fader1"):
        assert str(parse_control(text)) == text


@pytest.mark.parametrize("text", ["cc74", "ch0:cc1", "ch17:cc1", "ch1:cc128", "ch1:pb3",
                                  "/a b", "/x/*", "/" + "a" * 300])
def test_bad_controls_are_named(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_control(text)


def test_a_note_cannot_be_a_relative_encoder() -> None:
    with pytest.raises(ValueProblem, match="only a cc"):
        Binding(Control("note", 1, 36), "scene 1", "relative")


def test_learn_map_and_unmap_lines() -> None:
    assert parse_line("/learn drums cutoff") == c.Learn("drums cutoff")
    assert parse_line("/learn master stutter relative jump") == c.Learn(
        "master stutter", "relative", False)
    assert parse_line("/learn off") == c.StopLearning()
    assert parse_line("/map") == c.ShowMap()
    assert parse_line("/map ch2:cc16 tempo nudge offset") == c.MapControl(
        Binding(Control("cc", 2, 16), "tempo nudge", "offset"))
    assert parse_line("/unmap /1/fader1") == c.Unmap("/1/fader1")
    with pytest.raises(ValueProblem, match="one encoding"):
        parse_line("/learn drums cutoff relative signed")
    with pytest.raises(ValueProblem, match="Usage"):
        parse_line("/map drums cutoff")
    with pytest.raises(ValueProblem):
        parse_line("/unmap ch99:cc1")


def test_targets_resolve_to_their_kinds(genres: GenreRegistry) -> None:
    s = parse_patch(PATCH, "p.yaml", genres)
    assert isinstance(resolve("drums cutoff", s), Continuous)
    assert isinstance(resolve("drums mute", s), Toggle)
    assert isinstance(resolve("master tapestop", s), Toggle)
    assert isinstance(resolve("scene drop", s), Trigger)
    launch = resolve("bass clip 2", s)
    assert isinstance(launch, Trigger) and launch.make(s) == c.LaunchClip("bass", 2)
    up = resolve("tempo up", s)
    assert isinstance(up, Trigger) and up.make(s) == c.SetTempo(121)
    gain = resolve("bass gain", s)
    assert isinstance(gain, Continuous) and gain.read(s) == -3
    assert gain.value_at(gain.position_of(-3)) == pytest.approx(-3)
    for bad, said in (("drums wobble", "no parameter 'wobble'"), ("keys gain", "Unknown layer"),
                      ("scene 7", "Scene 7"), ("master cutoff", "master:"),
                      ("tempo sideways", "tempo nudge")):
        with pytest.raises(ValueProblem, match=said):
            resolve(bad, s)


def test_map_replaces_a_controls_binding_and_unmap_removes(genres: GenreRegistry) -> None:
    s = parse_patch(PATCH, "p.yaml", genres)
    s2 = apply(s, c.MapControl(Binding(Control("cc", 1, 74), "bass reverb")))
    assert len(s2.midi_map) == 4
    assert [b.target for b in s2.midi_map if b.control == Control("cc", 1, 74)] == ["bass reverb"]
    assert len(apply(s2, c.Unmap("bass reverb")).midi_map) == 3
    assert len(apply(s2, c.Unmap("/1/fader1")).midi_map) == 3
    assert apply(s2, c.Unmap("all")).midi_map == ()
    with pytest.raises(ValueProblem, match="Nothing is mapped"):
        apply(s2, c.Unmap("ch5:cc1"))
    with pytest.raises(ValueProblem, match="Unknown layer"):
        apply(s, c.MapControl(Binding(Control("cc", 1, 1), "keys gain")))


def test_midi_map_round_trips_through_save(genres: GenreRegistry) -> None:
    s = parse_patch(PATCH, "p.yaml", genres)
    assert [str(b) for b in s.midi_map] == [
        "ch1:cc74 drums cutoff", "ch2:cc16 master stutter relative", "ch10:note36 scene drop",
        "/1/fader1 bass gain jump"]
    text = yaml.safe_dump(session_to_patch(s), sort_keys=False)
    assert parse_patch(text, "saved.yaml", genres) == s


@pytest.mark.parametrize(("entry", "said"), [
    ("{cc: 74, target: keys gain}", "p.yaml:9:5: Unknown layer 'keys'"),
    ("{cc: 74, note: 3, target: drums gain}", "exactly one of cc, note or osc"),
    ("{note: 3, target: drums gain, encoder: relative}", "only a cc"),
    ("{cc: 200, target: drums gain}", "cc"),
    ("{cc: 1, channel: 0, target: drums gain}", "channel"),
    ("{osc: 'no slash', target: drums gain}", "osc"),
])
def test_midi_map_errors_name_the_line(genres: GenreRegistry, entry: str, said: str) -> None:
    text = PATCH.split("midi_map:")[0] + f"midi_map:\n  - {entry}\n"
    with pytest.raises(PatchError, match=said.replace("(", r"\(")):
        parse_patch(text, "p.yaml", genres)


def test_a_control_mapped_twice_is_refused(genres: GenreRegistry) -> None:
    text = PATCH + "  - {cc: 74, target: bass gain}\n"
    with pytest.raises(PatchError, match="mapped twice"):
        parse_patch(text, "p.yaml", genres)


@pytest.mark.parametrize("midi_map", [
    "[" + ", ".join(f"{{cc: {i % 128}, channel: {1 + i // 128}, target: drums gain}}"
                    for i in range(513)) + "]",  # more than 512 entries
    "[{cc: 1, target: " + "x" * 101 + "}]",  # a target past 100 characters
    "[{cc: 1, target: [drums, gain]}]",
    "{cc: 1, target: drums gain}",  # not a list
    "[{osc: /" + "a" * 300 + ", target: drums gain}]",
])
def test_hostile_midi_maps_are_refused(genres: GenreRegistry, midi_map: str) -> None:
    text = PATCH.split("midi_map:")[0] + f"midi_map: {midi_map}\n"
    with pytest.raises(PatchError, match="midi_map"):
        parse_patch(text, "p.yaml", genres)
