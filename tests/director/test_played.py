"""The director's four figures measured on what is PLAYED: the composed plan's genre,
tempo and key, and the GM programs of its clips (v4 clip plans, what the renderers get),
over the written prompt set; and a few real note checks (the composer's MIDI parts)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from livetimbre.compose.pipeline import compose_clip
from livetimbre.director.genre_choice import family_of_genre
from livetimbre.director.spec import mode_family
from livetimbre.genres import GenreRegistry
from livetimbre.music.theory import parse_key
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.longform import plan_track
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track.sections import clip_plans
from tests.director.measure import HELD_OUT, PROMPTS, Figures, load_cases, measure

THRESHOLDS = {"genre family played": 0.90, "tempo direction played": 0.95,
              "mode family played": 0.90, "named instruments played": 0.95}
DECIDED = {"genre family played": "playable genre of the family",
           "tempo direction played": "tempo words obeyed",
           "mode family played": "mood → mode family",
           "named instruments played": "named instruments chosen"}  # the SongSpec's figure
PROVIDERS = ["lexicon", pytest.param("embedding", marks=pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="wordllama not installed"))]


def _played(plan: CompositionPlan, clips: list[ClipPlan], want: object) -> bool:
    if isinstance(want, str):  # a layer the prompt asked for: it plays in the track
        return any(la.name == want for s in plan.sections for la in s.layers)
    programs = want if isinstance(want, list) else [want]
    return any(c.bank == 0 and c.program in programs and c.role != "drums" for c in clips)


def _measure(cases: list[dict[str, Any]], genres: GenreRegistry, director: str
             ) -> tuple[Figures, Figures]:
    """The figures of what is played, and of what the director decided."""
    figures = Figures()
    specs = []
    installed = {family_of_genre(g.id, genres) for g in genres}
    for case in cases:
        prompt = case["p"]
        plan = plan_track(prompt, genres, director=director)
        assert plan.spec is not None
        specs.append(plan.spec)
        clips = [c for section in clip_plans(plan, genres, 8000) for c in section]
        if case.get("f") in installed:
            figures.add("genre family played", family_of_genre(plan.genre, genres) == case["f"],
                        f"{prompt!r}: plays {plan.genre}")
        if case.get("t"):
            ok = plan.tempo <= 90 if case["t"] == "slow" else plan.tempo >= 120
            figures.add("tempo direction played", ok, f"{prompt!r}: {plan.tempo} BPM")
        if case.get("m"):
            family = mode_family(parse_key(plan.key).mode)
            figures.add("mode family played", family == case["m"], f"{prompt!r}: {plan.key}")
        for want in case.get("i") or []:
            figures.add("named instruments played", _played(plan, clips, want),
                        f"{prompt!r}: {want} not in {sorted({c.program for c in clips})}")
    return figures, measure(cases, specs, genres)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("cases", [PROMPTS, HELD_OUT])
def test_the_four_figures_hold_for_what_is_played(genres: GenreRegistry, provider: str,
                                                  cases: Path) -> None:
    """The thresholds on the written set; on both sets, the plan plays at least as well
    as the director decided (the wiring loses nothing)."""
    played, decided = _measure(load_cases(cases), genres, provider)
    for name, threshold in THRESHOLDS.items():
        assert played.counts[name][1] >= 5, name
        assert played.share(name) >= decided.share(DECIDED[name]), (
            played.line(name), decided.line(DECIDED[name]), played.misses.get(name))
        if cases == PROMPTS:
            assert played.counts[name][1] >= 50, name  # measured on many prompts
            assert played.share(name) >= threshold, (played.line(name), played.misses[name])


def _clip(genres: GenreRegistry, prompt: str, layer: str) -> ClipPlan:
    plan = plan_track(prompt, genres, director="lexicon", duration=90)
    motif = plan.sections[[s.name for s in plan.sections].index("motif")]
    clips = clip_plans(plan, genres, 8000)[motif.index]
    return next(c for c in clips if c.layer == layer)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("prompt", "layer", "program"), [
    ("jazz with a trumpet solo", "lead", 56),
    ("slow house with rhodes", "chords", 4),
    ("sad ballad with cello and piano", "lead", 42),
])
def test_a_named_instrument_is_the_midi_parts_program(genres: GenreRegistry, prompt: str,
                                                      layer: str, program: int) -> None:
    part = compose_clip(_clip(genres, prompt, layer), genres.get(
        plan_track(prompt, genres, director="lexicon").genre)).part
    assert (part.bank, part.program) == (0, program) and part.notes


@pytest.mark.timeout(60)
@pytest.mark.parametrize("prompt", ["tabla groove with sitar", "house with a tabla"])
def test_a_named_hand_drum_is_heard_in_the_drum_part(genres: GenreRegistry,
                                                     prompt: str) -> None:
    clip = _clip(genres, prompt, "drums")
    assert clip.percussion is not None and clip.direction is not None
    assert clip.direction.instrument is not None
    assert clip.direction.instrument.named == "tabla"
    part = compose_clip(clip, genres.get(clip.genre)).part
    assert part.bank == 128
    assert sum(1 for n in part.notes if n.pitch == clip.percussion) >= clip.bars


@pytest.mark.timeout(60)
def test_naming_a_kit_voice_adds_no_notes() -> None:
    from livetimbre.compose.percussion import with_percussion
    from livetimbre.music.notes import NoteEvent

    notes = [NoteEvent(float(b), 0.25, 36, 100) for b in range(8)]
    assert with_percussion(notes, 42, 8, 4) == notes  # 'sparse hats' stays sparse
    added = with_percussion(notes, 56, 8, 4)  # a cowbell the pattern lacks is heard
    assert sum(1 for n in added if n.pitch == 56) >= 8 and added[:8] == notes
