"""Clip prompts through the director at clip level, /plan in the REPL's command language,
and MusicGen prompts from the director's reading."""

from __future__ import annotations

import pytest

from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends.musicgen.prompt import build_prompt
from livetimbre.session import commands as c
from livetimbre.session.model import ClipSlot, Layer, Scene, Session
from livetimbre.session.slash import parse_line

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


def _session(layer: str, instrument: str, prompt: str) -> Session:
    return Session(tempo=104, key="A minor", meter="4/4", genre="synthwave", seed=7,
                   layers=(Layer(layer, instrument),),
                   scenes=(Scene("one", {layer: ClipSlot(prompt)}),), director="lexicon")


@pytest.mark.parametrize(("layer", "instrument", "prompt", "bank", "program", "percussion"), [
    ("lead", "saw lead", "trumpet solo", 0, 56, None),
    ("drums", "", "tabla groove", 128, 24, 60),  # synthwave's kit, with the tabla's bongo
    ("bass", "synth bass", "upright bass walking", 0, 32, None),
    ("lead", "saw lead", "soft sparse melody", 0, 81, None),  # no sound named: the layer's
])
def test_the_clip_words_choose_the_layers_sound(genres: GenreRegistry, layer: str,
                                                instrument: str, prompt: str, bank: int,
                                                program: int, percussion: int | None) -> None:
    session = _session(layer, instrument, prompt)
    plan = build_clip_plan(session, layer, 0, genres.get("synthwave"), 8000, genres=genres)
    assert (plan.bank, plan.program, plan.percussion) == (bank, program, percussion)
    assert (plan.genre, plan.key, plan.tempo) == ("synthwave", "A minor", 104)  # the session's
    assert plan.direction is not None and plan.direction.director == "lexicon"
    assert (plan.direction.instrument is not None) == (prompt != "soft sparse melody")


def test_a_clip_does_not_change_the_session_genre(genres: GenreRegistry) -> None:
    session = _session("lead", "saw lead", "jazzy trumpet solo")
    plan = build_clip_plan(session, "lead", 0, genres.get("synthwave"), 8000, genres=genres)
    assert plan.genre == "synthwave" and plan.program == 56
    assert plan.direction is not None
    assert any('"solo"' in word for word in plan.direction.set_aside)


def test_musicgen_prompts_name_the_directors_sound(genres: GenreRegistry) -> None:
    session = _session("drums", "", "tabla groove, dreamy")
    plan = build_clip_plan(session, "drums", 0, genres.get("synthwave"), 8000, genres=genres)
    text = build_prompt(plan, genres.get("synthwave"))
    assert "tabla" in text.split(". ")[2] and "dreamy" in text  # the sound, not 'Hi Bongo'
    assert "Hi Bongo" not in text


def test_plan_is_a_command() -> None:
    command = parse_line('/plan "slow house with a trumpet"')
    assert command == c.PlanPrompt("slow house with a trumpet")
    with pytest.raises(Exception, match="Say what the track is"):
        c.PlanPrompt("  ")
