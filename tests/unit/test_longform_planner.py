"""Planner v3 rules as tables: durations and clamping, templates, the bridge threshold,
tempo quantisation, whole bars and the 16 s minimum, seeds, orchestration, schema."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.planner.form import check_duration, quantise_tempo, section_bars
from livetimbre.planner.longform import plan_track
from livetimbre.planner.trackplan import PARTS, CompositionPlan

pytestmark = pytest.mark.timeout(60)
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "composition_plan_v3.json"


@pytest.mark.parametrize(("asked", "short", "planned", "clamped"), [
    (120, False, 120, False), (90, False, 90, False), (180, False, 180, False),
    (89.9, False, 90, True), (30, False, 90, True), (181, False, 180, True),
    (600, False, 180, True), (30, True, 30, False), (8, True, 8, False),
    (89.5, True, 89.5, False),
])
def test_durations_clamp_to_long_form_unless_short(asked: float, short: bool, planned: float,
                                                   clamped: bool) -> None:
    seconds, note = check_duration(asked, short)
    assert seconds == planned
    assert (note is not None) == clamped
    if note:
        assert f"{asked:g} s" in note and "--duration" in note


@pytest.mark.parametrize(("asked", "short", "words"), [
    (0, False, "positive"), (-5, False, "positive"), (float("nan"), False, "positive"),
    (120, True, "short-form"), (90, True, "short-form"), (7, True, "short-form"),
])
def test_bad_durations_are_refused_naming_the_value(asked: float, short: bool,
                                                    words: str) -> None:
    with pytest.raises(ValueProblem, match=words) as info:
        check_duration(asked, short)
    assert "--duration" in str(info.value)


@pytest.mark.parametrize(("duration", "short", "names"), [
    (90, False, ["intro", "motif", "chorus", "outro"]),
    (120, False, ["intro", "motif", "chorus", "outro"]),
    (149, False, ["intro", "motif", "chorus", "outro"]),
    (149.99, False, ["intro", "motif", "chorus", "outro"]),
    (150, False, ["intro", "motif", "chorus", "bridge", "outro"]),
    (180, False, ["intro", "motif", "chorus", "bridge", "outro"]),
    (400, False, ["intro", "motif", "chorus", "bridge", "outro"]),
    (30, False, ["intro", "motif", "chorus", "outro"]),
    (30, True, ["intro", "motif", "resolve"]),
    (89, True, ["intro", "motif", "resolve"]),
])
def test_templates_and_bridge_threshold(genres: GenreRegistry, duration: float, short: bool,
                                        names: list[str]) -> None:
    plan = plan_track("warm synthwave", genres, duration=duration, short=short)
    assert [s.name for s in plan.sections] == names
    assert plan.form == ("short" if short else "long")


@pytest.mark.parametrize(("prompt", "genre", "tempo"), [
    ("synthwave", "synthwave", 104),  # the genre's default tempo
    ("techno", "techno", 128),  # techno's 130 lies above 68-128: capped
    ("drum and bass", "drum-and-bass", 174),  # outside 68-128: the genre's own range
])
def test_a_tempo_the_planner_chooses_is_quantised(genres: GenreRegistry, prompt: str,
                                                  genre: str, tempo: float) -> None:
    plan = plan_track(prompt, genres, director="lexicon")
    assert plan.genre == genre
    assert plan.tempo == tempo
    assert quantise_tempo(plan.tempo, genres.get(genre)) == plan.tempo


@pytest.mark.parametrize(("prompt", "genre", "tempo", "noted"), [
    ("synthwave at 100 bpm", "synthwave", 100, False),
    ("synthwave 99.6 BPM", "synthwave", 100, False),  # a whole BPM
    ("synthwave 60 bpm", "synthwave", 60, True),  # below the genre's range: kept
    ("synthwave 140 bpm", "synthwave", 140, True),  # above it: kept
    ("house 130 bpm", "house", 130, True),  # 68-128 would cap it
    ("ambient 62 bpm", "ambient", 62, True),  # 68-128 would floor it
    ("dnb 190 bpm", "drum-and-bass", 190, True),
    ("slow house", "house", 88, True),  # the director's slow tempo, kept
    ("fast drum and bass", "drum-and-bass", 174, False),
])
def test_a_tempo_the_prompt_asks_for_is_kept(genres: GenreRegistry, prompt: str, genre: str,
                                             tempo: float, noted: bool) -> None:
    plan = plan_track(prompt, genres, director="lexicon")
    assert (plan.genre, plan.tempo) == (genre, tempo)
    assert plan.spec is not None and plan.spec.tempo.source != "genre"
    assert any("as the prompt asked" in n for n in plan.notes) == noted


@pytest.mark.parametrize("genre", ["synthwave", "house", "ambient", "drum-and-bass", "jazz",
                                   "lo-fi-hip-hop", "reggae", "techno"])
@pytest.mark.parametrize(("duration", "short"), [(90, False), (120, False), (150, False),
                                                 (180, False), (20, True), (60, True)])
def test_sections_are_whole_bars_on_the_grid_and_long_enough(
        genres: GenreRegistry, genre: str, duration: float, short: bool) -> None:
    plan = plan_track("a track", genres, duration=duration, short=short, genre=genre)
    bar = plan.bar_seconds
    assert math.isclose(bar, 60 * 4 / plan.tempo * parse_meter(plan.meter).beats / 4)
    assert sum(s.bars for s in plan.sections) == plan.bars
    assert math.isclose(plan.seconds, plan.bars * bar, abs_tol=1e-5)
    assert abs(plan.seconds - duration) <= bar / 2 + 1e-6 or (not short and (
        plan.seconds >= 90 - 1e-6))
    if not short:
        assert 90 - 1e-6 <= plan.seconds <= 180 + 1e-6
    start = 0
    for section in plan.sections:
        assert section.start_bar == start and section.bars >= 1
        assert math.isclose(section.start_seconds, start * bar, abs_tol=1e-5)
        # the boundary is a whole number of bars: on the grid at any sample rate
        frames = bar_samples(48000, plan.tempo, parse_meter(plan.meter)) * start
        assert math.isclose(float(frames) / 48000, section.start_seconds, abs_tol=1e-5)
        if not short:
            assert section.seconds >= 16 - 1e-6, (section.name, section.seconds)
        start += section.bars


@pytest.mark.parametrize(("total", "weights", "minimum", "expected"), [
    (52, (0.15, 0.3, 0.35, 0.2), 7, [8, 16, 16, 12]),
    (48, (0.15, 0.3, 0.35, 0.2), 9, [12, 12, 12, 12]),  # the minimum decides
    (26, (0.15, 0.3, 0.35, 0.2), 5, [6, 6, 8, 6]),  # phrases of 2 bars when 4 do not fit
    (21, (0.15, 0.3, 0.35, 0.2), 5, [5, 5, 6, 5]),  # single bars
    (69, (0.12, 0.25, 0.28, 0.18, 0.17), 7, [8, 16, 21, 12, 12]),
    (3, (0.25, 0.45, 0.3), 1, [1, 1, 1]),
])
def test_section_bars_table(total: int, weights: tuple[float, ...], minimum: int,
                            expected: list[int]) -> None:
    bars = section_bars(total, weights, minimum)
    assert bars == expected
    assert sum(bars) == total and min(bars) >= minimum


def test_section_bars_refuses_what_cannot_fit() -> None:
    with pytest.raises(ValueProblem, match="cannot hold"):
        section_bars(10, (1.0, 1.0, 1.0), 4)


@pytest.mark.parametrize(("prompt", "genre"), [
    ("dreamy synthwave", "synthwave"), ("Lo-Fi Hip Hop beat", "lo-fi-hip-hop"),
    ("lofi study", "lo-fi-hip-hop"), ("drum & bass roller", "drum-and-bass"),
    ("deep house groove", "house"), ("a calm piece", None),
])
def test_genre_from_the_prompt(genres: GenreRegistry, prompt: str, genre: str | None) -> None:
    plan = plan_track(prompt, genres, director="lexicon")
    assert plan.spec is not None
    assert any(w.kind == "genre" for w in plan.spec.words) == (genre is not None)
    if genre is not None:
        assert plan.genre == genre


def test_options_win_and_the_plan_says_what_it_chose(genres: GenreRegistry) -> None:
    plan = plan_track("a calm piece", genres, genre="jazz", key="D dorian", meter="3/4",
                      seed=41)
    assert (plan.genre, plan.key, plan.meter, plan.seed) == ("jazz", "D dorian", "3/4", 41)
    chosen = plan_track("a calm piece", genres, director="lexicon")
    assert chosen.spec is not None and chosen.spec.genre.id == chosen.genre
    assert chosen.genre != "synthwave"  # the director chose from 'calm', not a fixed default
    assert plan.spec is not None and plan.spec.genre.source == "option"
    assert plan_track("synthwave in F# minor", genres).key == "F# minor"


def test_seeds_and_the_motif_section(genres: GenreRegistry) -> None:
    plan = plan_track("synthwave", genres, duration=160, seed=100)
    seeds = {s.name: s.seed for s in plan.sections}
    assert seeds == {"motif": 100, "chorus": 101, "bridge": 102, "outro": 103, "intro": 104}
    assert [s.name for s in plan.sections if s.motif_seed] == ["motif"]
    same = plan_track("synthwave", genres, duration=160, seed=100)
    assert same == plan  # deterministic
    assert plan_track("synthwave", genres).seed == plan_track("Synthwave ", genres).seed


def test_orchestration_and_arrangement_per_section(genres: GenreRegistry) -> None:
    plan = plan_track("dreamy synthwave with warm pads, rhodes and rain", genres)
    chorus = plan.section("chorus")
    assert set(chorus.orchestration.model_dump()) == set(PARTS)
    assert all(chorus.orchestration.model_dump()[p] for p in PARTS)  # the full section
    assert chorus.orchestration.vocals == ["choir (choir)"]
    assert any("no singer" in n for n in plan.notes)
    layers = {la.name: la for la in chorus.layers}
    assert layers["chords"].instrument == "rhodes" and layers["texture"].instrument == "rain"
    assert plan.section("intro").layers[0].instrument == "warm pad"
    for section in plan.sections:
        assert section.arrangement.endswith(".") and len(section.arrangement) > 20
        for layer in section.layers:
            assert layer.instrument in section.arrangement
            assert layer.loop_bars == min(4, section.bars)
    assert "motif" in plan.section("motif").arrangement


def test_backend_per_section_and_layer(genres: GenreRegistry) -> None:
    plan = plan_track("house", genres, backend_for={"chorus": "musicgen:m",
                                                    "motif.lead": "musicgen:x"})
    for section in plan.sections:
        for layer in section.layers:
            expected = {"chorus": "musicgen:m"}.get(section.name, "procedural")
            if (section.name, layer.name) == ("motif", "lead"):
                expected = "musicgen:x"
            assert layer.backend == expected
    with pytest.raises(ValueProblem, match="verse"):
        plan_track("house", genres, backend_for={"verse": "musicgen"})


def test_bad_options_name_the_value(genres: GenreRegistry) -> None:
    with pytest.raises(ValueProblem, match="H minor"):
        plan_track("house", genres, key="H minor")
    with pytest.raises(ValueProblem, match="empty"):
        plan_track("  ", genres)
    with pytest.raises(ValueProblem, match="Seed"):
        plan_track("house", genres, seed=-1)


def test_the_documented_schema_is_the_models() -> None:
    documented = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert documented == CompositionPlan.model_json_schema()
    assert documented["properties"]["version"]["const"] == "v3"


@pytest.mark.parametrize(("prompt", "gone"), [
    ("gentle folk song with acoustic guitar, no drums", {"drums"}),
    ("drumless ambient piece with soft pads", {"drums"}),
    ("uplifting gospel without vocals, just organ and bass", {"choir"}),
    ("dark techno, no bass, no vocals", {"bass", "choir"}),
])
def test_layers_the_prompt_leaves_out_play_in_no_section(genres: GenreRegistry, prompt: str,
                                                         gone: set[str]) -> None:
    plan = plan_track(prompt, genres, duration=150, director="lexicon")
    assert plan.spec is not None and gone <= set(plan.spec.left_out)
    for section in plan.sections:
        assert section.layers, f"{section.name} was left empty"
        assert not gone & {layer.name for layer in section.layers}, section.name


def test_without_a_negation_the_band_is_whole(genres: GenreRegistry) -> None:
    plan = plan_track("gentle folk song with acoustic guitar and vocals", genres, duration=150,
                      director="lexicon")
    playing = {layer.name for section in plan.sections for layer in section.layers}
    assert {"drums", "bass", "choir"} <= playing and plan.spec is not None
    assert plan.spec.left_out == []
