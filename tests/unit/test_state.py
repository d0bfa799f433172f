"""Session changes: values checked when a command is built, the rest when it is applied
to a snapshot (session.state.apply)."""

from __future__ import annotations

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.session import commands as c
from livetimbre.session.model import ClipSlot, Layer, Scene, Session
from livetimbre.session.state import apply


def _session() -> Session:
    return Session(
        tempo=104.0,
        key="A minor",
        meter="4/4",
        genre="synthwave",
        seed=7,
        layers=(Layer("drums"), Layer("bass", "synth bass")),
        scenes=(
            Scene("intro", {"drums": ClipSlot("steady beat")}),
            Scene("drop", {"drums": ClipSlot("driving beat", bars=2), "bass": ClipSlot("pulse")}),
        ),
    )


def test_set_tempo() -> None:
    s = apply(_session(), c.SetTempo(128))
    assert s.tempo == 128.0
    assert s.layers == _session().layers
    with pytest.raises(ValueProblem, match=r"Tempo 0 is out of range"):
        c.SetTempo(0)


def test_set_key_normalises() -> None:
    assert apply(_session(), c.SetKey("F#m")).key == "F# minor"
    assert apply(_session(), c.SetKey("eb dorian")).key == "Eb dorian"
    with pytest.raises(ValueProblem, match="H minor"):
        c.SetKey("H minor")


def test_set_genre_seed_quantize() -> None:
    s = _session()
    assert apply(s, c.SetGenre("house")).genre == "house"
    assert apply(s, c.SetSeed(42)).seed == 42
    assert apply(s, c.SetSeed(None)).seed is None
    assert apply(s, c.SetQuantize("1/4")).quantize == "1/4"
    assert apply(s, c.SetQuantize("2m")).quantize == "2M"
    with pytest.raises(ValueProblem, match=r"'3M' is not one of"):
        c.SetQuantize("3M")
    with pytest.raises(ValueProblem, match="Seed -1 is out of range"):
        c.SetSeed(-1)


def test_layer_mixer_commands() -> None:
    s = apply(_session(), c.SetGain("bass", -6))
    assert s.layer("bass").gain_db == -6.0
    assert s.layer("drums").gain_db == 0.0
    s = apply(s, c.SetMute("drums", True))
    assert s.layer("drums").muted and not s.layer("bass").muted
    s = apply(s, c.SetSolo("bass", True))
    assert s.layer("bass").soloed and not s.layer("drums").soloed
    s = apply(s, c.SetMute("drums", False))
    assert not s.layer("drums").muted
    assert [ly.name for ly in s.layers] == ["drums", "bass"]  # order kept
    with pytest.raises(ValueProblem, match=r"Gain 20 is out of range"):
        c.SetGain("bass", 20)
    s = apply(s, c.SetRelease("bass", 600))
    assert s.layer("bass").release_ms == 600.0 and s.layer("drums").release_ms == 40.0
    with pytest.raises(ValueProblem, match=r"Release 0 is out of range: use 1 to 10000 ms"):
        c.SetRelease("bass", 0)


@pytest.mark.parametrize(
    "command",
    [c.SetGain("keys", 0), c.SetMute("keys", True), c.SetSolo("keys", True),
     c.SetRelease("keys", 100),
     c.SetClipPrompt("keys", 1, "x")],
)
def test_unknown_layer_lists_known(command: c.SessionChange) -> None:
    with pytest.raises(ValueProblem) as info:
        apply(_session(), command)
    assert str(info.value) == "Unknown layer 'keys' (layers: drums, bass)."


@pytest.mark.parametrize(
    "command",
    [c.RenameScene("chorus", "x"), c.SetClipPrompt("drums", "chorus", "x")],
)
def test_unknown_scene_lists_known(command: c.SessionChange) -> None:
    with pytest.raises(ValueProblem) as info:
        apply(_session(), command)
    assert str(info.value) == "Unknown scene 'chorus' (scenes: intro, drop)."


@pytest.mark.parametrize("ref", [3, "3"])
def test_scene_number_out_of_range(ref: int | str) -> None:
    with pytest.raises(ValueProblem, match="numbered 1 to 2"):
        _session().scene_index(ref)


@pytest.mark.parametrize("ref", [0, -1])
def test_scene_numbers_count_from_one(ref: int) -> None:
    with pytest.raises(ValueProblem, match="must be 1 or more"):
        c.LaunchScene(ref)


def test_add_layer_and_scene() -> None:
    s = apply(_session(), c.AddLayer("keys", "rhodes"))
    assert s.layers[-1] == Layer("keys", "rhodes")
    assert s.layer("keys").role == "chords"
    s = apply(s, c.AddScene("outro"))
    assert [sc.name for sc in s.scenes] == ["intro", "drop", "outro"]
    assert s.scenes[-1].clips == {}
    with pytest.raises(ValueProblem, match="Layer 'bass' already exists"):
        apply(s, c.AddLayer("bass"))
    with pytest.raises(ValueProblem, match="Scene 'intro' already exists"):
        apply(s, c.AddScene("intro"))


@pytest.mark.parametrize("name", ["", "two words", "x" * 33, "bad!"])
def test_add_layer_rejects_bad_names(name: str) -> None:
    with pytest.raises(ValueProblem) as info:
        c.AddLayer(name)
    assert repr(name) in str(info.value)


def test_rename_scene_by_number_and_name() -> None:
    s = apply(_session(), c.RenameScene(2, "chorus"))
    assert [sc.name for sc in s.scenes] == ["intro", "chorus"]
    assert s.scenes[1].clips["bass"] == ClipSlot("pulse")
    s = apply(s, c.RenameScene("intro", "start"))
    assert [sc.name for sc in s.scenes] == ["start", "chorus"]
    with pytest.raises(ValueProblem):
        c.RenameScene(1, "has space")


def test_set_clip_prompt_sets_keeps_overrides_and_clears() -> None:
    s = apply(_session(), c.SetClipPrompt("bass", "intro", "walking bass"))
    assert s.scenes[0].clips["bass"] == ClipSlot("walking bass")
    assert s.scenes[0].clips["drums"] == ClipSlot("steady beat")
    # replacing the prompt keeps the slot's bar override
    s = apply(s, c.SetClipPrompt("drums", 2, "busy beat"))
    assert s.scenes[1].clips["drums"] == ClipSlot("busy beat", bars=2)
    # an empty prompt clears the slot
    s = apply(s, c.SetClipPrompt("bass", "2", None))
    assert "bass" not in s.scenes[1].clips
    s = apply(s, c.SetClipPrompt("drums", "drop", ""))
    assert s.scenes[1].clips == {}
    # the original snapshot is untouched
    assert _session().scenes[1].clips["bass"] == ClipSlot("pulse")


def test_set_model_checks_the_spec_and_sets_the_default_backend() -> None:
    s = apply(_session(), c.SetModel("musicgen:facebook/musicgen-small"))
    assert s.backend == "musicgen:facebook/musicgen-small"
    assert s.backend_for("bass") == "musicgen:facebook/musicgen-small"
    with pytest.raises(ValueProblem, match="not NAME or NAME:MODEL"):
        c.SetModel("Bad Name")


def test_transport_commands_are_not_session_changes() -> None:
    with pytest.raises(ValueProblem, match="Not a session change"):
        apply(_session(), c.LaunchScene(1))  # a launch goes to the launcher


def test_apply_does_not_mutate_input() -> None:
    s = _session()
    apply(s, c.SetGain("bass", -3))
    apply(s, c.AddLayer("keys"))
    assert s == _session()


def test_a_fader_move_is_one_undo_step(monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.session import state

    clock = [100.0]
    monkeypatch.setattr(state.time, "monotonic", lambda: clock[0])
    history = state.SessionHistory(_session())
    history.apply(c.SetTempo(120))
    for db in (-1.0, -2.0, -3.0, -4.0):  # one move: 0.1 s apart
        history.apply(c.SetGain("bass", db))
        clock[0] += 0.1
    clock[0] += 2.0
    history.apply(c.SetGain("bass", -9.0))  # a second move, later
    history.apply(c.SetGain("drums", -1.0))  # another fader
    assert history.undo() and history.current.layer("drums").gain_db == 0.0
    assert history.undo() and history.current.layer("bass").gain_db == -4.0
    assert history.undo() and history.current.layer("bass").gain_db == 0.0
    assert history.current.tempo == 120
    assert history.undo() and history.current.tempo == 104
