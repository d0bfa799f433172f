"""Seeds, prompt descriptors and clip plans (livetimbre.planner)."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
from fractions import Fraction

import pytest

from livetimbre.genres import GenreRegistry, load_genres
from livetimbre.music.seeds import derive_seed, stable_seed
from livetimbre.music.values import MAX_SEED
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.planner.theme import describe_prompt, prompt_words
from livetimbre.session.model import Session

PATCH = """\
session: {genre: synthwave, tempo: 104, key: Am, seed: 7, bars: 4}
layers:
  drums: {instrument: electronic kit}
  bass: {instrument: synth bass}
  keys:
  lead:
scenes:
  - name: intro
    clips:
      drums: steady beat
      bass: {prompt: pulsing bass, bars: 2}
      keys: soft piano chords
      lead: {prompt: soaring hook, seed: 99}
  - name: drop
    bars: 8
    clips:
      drums: "808 driving beat"
      bass: pulsing bass
"""


@pytest.fixture(scope="module")
def genres() -> GenreRegistry:
    return load_genres()


@pytest.fixture(scope="module")
def session(genres: GenreRegistry) -> Session:
    return parse_patch(PATCH, "plan.yaml", genres)


def _sha_seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % 2**31


def test_stable_seed_known_values() -> None:
    assert stable_seed("clip", 7, "lead", "hook") == _sha_seed("clip\x1f7\x1flead\x1fhook")
    assert stable_seed() == _sha_seed("")
    assert stable_seed("a") == _sha_seed("a")
    assert stable_seed(None, 1.5) == _sha_seed("None\x1f1.5")


def test_stable_seed_range_and_determinism() -> None:
    seeds = [stable_seed("x", i) for i in range(500)]
    assert all(0 <= s <= MAX_SEED for s in seeds)
    assert seeds == [stable_seed("x", i) for i in range(500)]
    assert len(set(seeds)) == 500


def test_stable_seed_differs_for_different_inputs() -> None:
    base = stable_seed("clip", 7, "lead", "hook")
    assert stable_seed("clip", 8, "lead", "hook") != base
    assert stable_seed("clip", 7, "bass", "hook") != base
    assert stable_seed("clip", 7, "lead", "hook!") != base
    # parts are separated, not concatenated
    assert stable_seed("ab", "c") != stable_seed("a", "bc")


def test_stable_seed_does_not_depend_on_hash_randomisation() -> None:
    code = "from livetimbre.music.seeds import stable_seed; print(stable_seed('clip', 7, 'x'))"
    values = set()
    for hash_seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        values.add(int(result.stdout))
    assert values == {_sha_seed("clip\x1f7\x1fx")}


def test_derive_seed_prefers_explicit() -> None:
    assert derive_seed(5, "clip", 7) == 5
    assert derive_seed(0, "clip", 7) == 0  # zero is an explicit seed too
    assert derive_seed(None, "clip", 7) == stable_seed("clip", 7)


def test_prompt_words() -> None:
    assert prompt_words("Half-time, DARK drums & 808's!") == (
        "half-time", "dark", "drums", "808's",
    )


def test_describe_prompt_knobs(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    neutral = describe_prompt("beat", genre, 4)
    assert (neutral.density, neutral.energy, neutral.brightness) == (0.5, 0.55, 0.0)
    assert describe_prompt("sparse beat", genre, 4).density < neutral.density
    assert describe_prompt("busy beat", genre, 4).density > neutral.density
    assert describe_prompt("driving beat", genre, 4).energy > neutral.energy
    assert describe_prompt("calm beat", genre, 4).energy < neutral.energy
    assert describe_prompt("dark beat", genre, 4).brightness < neutral.brightness
    assert describe_prompt("bright beat", genre, 4).brightness > neutral.brightness


def test_describe_prompt_clamps(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    loud = describe_prompt("intense pounding aggressive hard driving epic", genre, 4)
    assert loud.energy == 1.0
    empty = describe_prompt("empty sparse minimal quiet calm", genre, 4)
    assert empty.density == 0.05 and empty.energy == 0.05
    dark = describe_prompt("dark ominous sad deep", genre, 4)
    assert dark.brightness == -0.5  # one vocabulary entry counts once
    assert dark.register_shift == -7


def test_describe_prompt_styles_and_feel(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    assert describe_prompt("half-time drums", genre, 4).feel == "half-time"
    assert describe_prompt("half time drums", genre, 4).feel == "half-time"
    assert describe_prompt("beat", genre, 4).feel == genre.rhythm.feel == "straight"
    assert describe_prompt("four on the floor kick", genre, 4).styles == ("four-on-the-floor",)
    assert describe_prompt("swung hats", genre, 4).swing == 0.55
    assert describe_prompt("heavy swing", genre, 4).swing == 0.95  # not "heavy" + "swing"
    assert describe_prompt("swing 62%", genre, 4).swing == 0.72
    assert describe_prompt("beat", genre, 4).swing is None  # the genre decides
    assert describe_prompt("arpeggiated keys", genre, 4).wants("arpeggio")
    assert describe_prompt("staccato stabs", genre, 4).articulation < 1.0
    assert describe_prompt("soft piano chords", genre, 4).instrumentation == ("piano",)
    assert describe_prompt("the dark neon hook", genre, 4).motif_phrase == "neon hook"
    assert describe_prompt("a dark", genre, 4).motif_phrase == "synthwave"


def test_describe_prompt_reports_ignored_words(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    theme = describe_prompt("dark wibbly neon pad with a 120bpm feel", genre, 4)
    assert theme.ignored == ("wibbly", "neon", "120bpm")
    # instrument, role, kit and genre words are understood elsewhere
    assert describe_prompt("synthwave rhodes chords on an 808 kit", genre, 4).ignored == ()


def test_describe_prompt_curves(genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    build = describe_prompt("build", genre, 4).dynamic_curve
    assert len(build) == 4 and list(build) == sorted(build) and build[0] < build[-1]
    fade = describe_prompt("fade", genre, 4).dynamic_curve
    assert list(fade) == sorted(fade, reverse=True) and fade[0] > fade[-1]
    assert describe_prompt("beat", genre, 1).dynamic_curve == (0.55,)
    assert describe_prompt("beat", genre, 4).dynamic_curve == (0.55,) * 4


def _frames(sample_rate: int, tempo: str, beats: int, bars: int) -> int:
    """Clip buffers round the exact length up, so every loop pass fits."""
    exact = bars * Fraction(sample_rate * 60 * beats) / Fraction(tempo)
    return math.ceil(exact)


def test_build_clip_plan_basics(session: Session, genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    plan = build_clip_plan(session, "drums", 0, genre, 48000)
    assert (plan.layer, plan.scene, plan.role, plan.prompt) == ("drums", "intro", "drums",
                                                                 "steady beat")
    assert (plan.bank, plan.program) == (128, 24)  # 'electronic kit'
    assert (plan.key, plan.meter, plan.tempo, plan.bars) == ("A minor", "4/4", 104.0, 4)
    assert plan.frames == _frames(48000, "104", 4, 4) == 443077  # exact: 443076.92
    assert plan.beats == 16
    assert plan.seed == stable_seed("clip", 7, "drums", "steady beat")
    assert plan.harmony_seed == stable_seed("harmony", 7, "synthwave", "A minor", "intro")


@pytest.mark.parametrize("sample_rate", [44100, 48000])
def test_build_clip_plan_frames_follow_bars(
    session: Session, genres: GenreRegistry, sample_rate: int
) -> None:
    genre = genres.get("synthwave")
    bass_intro = build_clip_plan(session, "bass", 0, genre, sample_rate)  # slot bars: 2
    assert bass_intro.bars == 2
    assert bass_intro.frames == _frames(sample_rate, "104", 4, 2)
    bass_drop = build_clip_plan(session, "bass", 1, genre, sample_rate)  # scene bars: 8
    assert bass_drop.bars == 8
    assert bass_drop.frames == _frames(sample_rate, "104", 4, 8)


def test_build_clip_plan_seeds_and_programs(session: Session, genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    lead = build_clip_plan(session, "lead", 0, genre, 48000)
    assert lead.seed == 99  # the slot's explicit seed wins
    assert lead.program == genre.instrumentation.programs["lead"] == 81
    keys = build_clip_plan(session, "keys", 0, genre, 48000)
    assert keys.role == "chords"
    assert keys.program == 0  # 'piano' in the prompt
    drop_drums = build_clip_plan(session, "drums", 1, genre, 48000)
    assert (drop_drums.bank, drop_drums.program) == (128, 25)  # '808' kit from the prompt
    # every clip of one scene shares the harmony seed; scenes differ
    assert lead.harmony_seed == keys.harmony_seed
    assert drop_drums.harmony_seed != keys.harmony_seed


def test_build_clip_plan_is_deterministic(session: Session, genres: GenreRegistry) -> None:
    genre = genres.get("synthwave")
    a = build_clip_plan(session, "keys", 0, genre, 48000)
    b = build_clip_plan(session, "keys", 0, genre, 48000)
    assert a == b
    assert a.recipe_hash("procedural", {"v": "1"}) == b.recipe_hash("procedural", {"v": "1"})
    assert a.recipe_hash("procedural", {"v": "1"}) != a.recipe_hash("procedural", {"v": "2"})
