"""The SongSpec: its schema document, the word report, and the decisions it records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livetimbre.director.spec import SongSpec
from livetimbre.director.words import tokenize
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.planner.direction import direct_prompt, plan_choices
from tests.director.lexicon import lexicon_spec

pytestmark = pytest.mark.timeout(60)
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "song_spec.json"


def test_schema_document_is_the_model() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == SongSpec.model_json_schema()


def test_every_word_is_accounted_for(genres: GenreRegistry) -> None:
    prompt = ("pop, tinny wide hi-hats, mellow piano melody, soft female vocal, sad, "
              "emotional, zorblax, low quality youtube tutorial")
    spec = lexicon_spec(prompt, genres)
    covered = set()
    for word in spec.words:
        covered.update(range(word.start, word.start + len(word.text.split())))
    assert covered == set(range(len(tokenize(prompt))))
    shown = [str(w) for w in spec.words]
    assert '"zorblax" set aside: not understood (lexicon)' in shown
    assert '"low quality" set aside: a recording quality word (lexicon)' in shown
    assert '"youtube tutorial" set aside: a context word (lexicon)' in shown
    assert {w.text for w in spec.set_aside()} >= {"zorblax", "low quality", "youtube tutorial"}


@pytest.mark.parametrize(("prompt", "low", "high"), [
    ("slow tempo lo-fi hip hop", 60, 90), ("fast tempo lo-fi hip hop", 120, 200),
    ("slow tempo house", 60, 90), ("frantic drum and bass", 160, 200),
    ("jazz at 92 bpm", 92, 92), ("mid-tempo funk", 95, 110),
])
def test_tempo_words(genres: GenreRegistry, prompt: str, low: float, high: float) -> None:
    spec = lexicon_spec(prompt, genres)
    assert low <= spec.tempo.bpm <= high, spec.tempo
    assert spec.tempo.source == "lexicon"
    assert any(w.kind == "tempo" and w.effect == f"tempo {spec.tempo.bpm:g}"
               for w in spec.words)


@pytest.mark.parametrize(("prompt", "family", "mode"), [
    ("happy house", "major", "major"), ("sad house", "minor", "minor"),
    ("dreamy ambient", "major", "lydian"), ("mysterious techno", "minor", "phrygian"),
    ("joyful but melancholic and sad jazz", "minor", "minor"),
])
def test_moods_choose_the_mode(genres: GenreRegistry, prompt: str, family: str,
                               mode: str) -> None:
    key = lexicon_spec(prompt, genres).key
    assert (key.family, key.mode) == (family, mode)


def test_explicit_key_and_options_win(genres: GenreRegistry) -> None:
    assert lexicon_spec("sad jazz in F# major", genres).key.key == "F# major"
    forced = lexicon_spec("sad jazz in F# major", genres, genre="house", key="D dorian")
    assert (forced.genre.id, forced.genre.source, forced.key.key) == ("house", "option",
                                                                       "D dorian")


def test_substitutes_are_flagged(genres: GenreRegistry) -> None:
    spec = lexicon_spec("tabla, ukulele, 808 and a choir", genres)
    found = {i.named: i for i in spec.instruments if i.named}
    assert (found["tabla"].kind, found["tabla"].number, found["tabla"].substitute) == (
        "percussion", 60, True)
    assert found["ukulele"].number == 24 and found["ukulele"].substitute
    assert found["808"].number == 38 and found["808"].substitute
    assert found["choir"].number == 52 and not found["choir"].substitute
    assert len({i.layer for i in spec.instruments if i.named in ("ukulele", "choir")}) == 2


def test_typos_are_read_as_what_they_meant(genres: GenreRegistry) -> None:
    spec = lexicon_spec("cheerfull acustic guitar with violn", genres)
    read = {w.text: w.read_as for w in spec.words}
    assert read == {"cheerfull": "cheerful", "acustic guitar": "acoustic guitar",
                    "with": None, "violn": "violin"}
    assert spec.key.family == "major"
    plain = lexicon_spec("battle music on a strong morning, talking window", genres)
    assert not [w for w in plain.words if w.read_as], [str(w) for w in plain.words]


def test_a_planned_genre_is_named_and_an_installed_one_played(genres: GenreRegistry) -> None:
    """A genre the registry lacks (a user's trimmed library) is named, and the nearest
    installed one of its family plays."""
    without = GenreRegistry({k: v for k, v in genres.genres.items() if k != "bossa-nova"},
                            {k: v for k, v in genres.sources.items() if k != "bossa-nova"})
    spec = lexicon_spec("bossa nova with nylon guitar", without)
    assert (spec.genre.named, spec.genre.named_family) == ("bossa-nova", "latin")
    assert spec.genre.id in without.genres and spec.genre.note
    assert len(spec.genre.runners_up) == 2


def test_no_genre_named_is_never_one_fixed_default(genres: GenreRegistry) -> None:
    chosen = {lexicon_spec(p, genres).genre.id for p in (
        "peaceful kalimba and rain sounds, slow", "romantic saxophone and piano, slow",
        "triumphant trumpets and timpani", "energetic drums and distorted bass, fast")}
    assert len(chosen) == 4
    blank = lexicon_spec("zorblax quuxly", genres)
    assert blank.genre.source == "prompt-hash" and blank.genre.id in genres.genres


def test_same_prompt_same_spec(genres: GenreRegistry) -> None:
    prompt = "dark techno, acid bass, 128 bpm"
    assert lexicon_spec(prompt, genres) == lexicon_spec(prompt, genres)


def test_planner_door(genres: GenreRegistry) -> None:
    spec = direct_prompt("sparse staccato jazz piano", genres, director="lexicon")
    assert any(w.kind == "composer" and w.text == "staccato" for w in spec.words)
    piano = spec.instrument("chords")
    assert piano is not None and (piano.number, piano.named) == (0, "piano")
    assert spec.instrument("choir") is None
    assert plan_choices(spec) == {"genre": "jazz", "key": spec.key.key, "meter": "4/4",
                                  "tempo": spec.tempo.bpm}


def test_an_over_long_prompt_is_refused(genres: GenreRegistry) -> None:
    with pytest.raises(ValueProblem, match="characters"):
        lexicon_spec("x" * 100_000, genres)


@pytest.mark.timeout(120)
def test_any_text_gives_a_valid_spec(genres: GenreRegistry) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["slow", "Sad", "jazz", "in", "A", "minor", "bpm", "120", "-",
                             ",", "lo-fi", "r&b", "808", "tabla", "acustic", "é", "\t", "key"])
    texts = st.one_of(st.text(max_size=500), st.lists(words, max_size=60).map(" ".join))

    @settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(texts)
    def check(prompt: str) -> None:
        spec = lexicon_spec(prompt, genres)
        assert spec.genre.id in genres.genres
        assert SongSpec.model_validate_json(spec.model_dump_json()) == spec
        covered = set()
        for word in spec.words:
            covered.update(range(word.start, word.start + len(tokenize(word.text))))
        assert covered == set(range(len(tokenize(prompt))))

    check()


def test_every_gm_program_is_named(genres: GenreRegistry) -> None:
    from livetimbre.director.instrument_names import GM_NAMES, gm_program_name

    assert set(GM_NAMES) == set(range(128))
    for program in (0, 24, 52, 104, 127):  # each read back from its own GM name
        spec = lexicon_spec(gm_program_name(program).lower(), genres)
        assert [i.number for i in spec.instruments if i.named] == [program]
