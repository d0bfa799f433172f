"""The lexicon's reading rules, each on prompts written for this file: an explicit BPM
beats tempo words, relaxed words take the low end of the genre, negation sets words aside,
compound genre names are read by their head, subgenre and classical-form names name their
genre, instrument brands, stand-ins, typos and context, and a feeling's mode outweighs a
timbre word's."""

from __future__ import annotations

import pytest

from livetimbre.director.decide import RELAXED_CAP
from livetimbre.director.genre_choice import family_of_genre
from livetimbre.director.genre_compounds import KNOWN
from livetimbre.director.instrument_brands import BRAND_KITS, BRANDS, STAND_INS
from livetimbre.director.spec import SongSpec
from livetimbre.director.subgenres import SUBGENRES
from livetimbre.director.words import phrase_key
from livetimbre.genres import GenreRegistry
from tests.director.lexicon import lexicon_spec

pytestmark = pytest.mark.timeout(120)


def _kinds(spec: SongSpec) -> dict[str, str]:
    return {w.text: w.kind for w in spec.words}


# --- B: an explicit number always wins over tempo words ---------------------------------

@pytest.mark.parametrize("prompt, bpm", [
    ("quick funk groove at 96 bpm", 96), ("very slow dub, 100 bpm", 100),
    ("brisk waltz, tempo: 84", 84), ("frantic ska but keep it at 150 BPM", 150),
    ("142 bpm, laid back trance", 142), ("super slow ballad at 66 beats per minute", 66),
    ("uptempo, bpm 101, reggae", 101),
])
def test_an_explicit_bpm_beats_every_tempo_word(prompt: str, bpm: float,
                                                genres: GenreRegistry) -> None:
    spec = lexicon_spec(prompt, genres)
    assert spec.tempo.bpm == bpm
    tempo_words = [w for w in spec.words if w.kind == "tempo" and "bpm" not in w.text
                   and "tempo" not in w.text and "beats" not in w.text]
    assert all("another tempo decided" in w.effect for w in tempo_words)


@pytest.mark.parametrize("prompt", ["a slow build into a huge techno drop",
                                    "slow burn synthwave for a night drive"])
def test_a_slow_build_is_an_arrangement_not_a_tempo(prompt: str,
                                                    genres: GenreRegistry) -> None:
    spec = lexicon_spec(prompt, genres)
    assert spec.energy_curve == "build"
    assert spec.tempo.direction == "none" and spec.tempo.bpm > 90


# --- C: relaxed words take the low end of the genre's range ------------------------------

def test_relaxed_words_take_the_lower_third_of_every_genre(genres: GenreRegistry) -> None:
    for profile in genres:
        low, high = profile.rhythm.tempo_range
        spec = lexicon_spec("something laid back", genres, genre=profile.id)
        assert spec.tempo.direction == "slow" and spec.tempo.word is not None
        assert spec.tempo.bpm <= max(RELAXED_CAP, low - 10), profile.id
        assert spec.tempo.bpm <= low + (high - low) / 3 or spec.tempo.bpm < low, profile.id
        assert "relaxed tempo" in spec.tempo.reason


@pytest.mark.parametrize("word", ["relaxed", "chilled", "laid-back", "lazy", "easygoing"])
def test_a_relaxed_word_is_reported_as_the_tempo_it_set(word: str,
                                                        genres: GenreRegistry) -> None:
    spec = lexicon_spec(f"{word} soul with a warm organ", genres)
    assert spec.tempo.bpm <= 90
    report = next(w for w in spec.words if w.start == spec.tempo.word)
    assert f"tempo {spec.tempo.bpm:g}" in report.effect


def test_a_relaxed_word_never_beats_slow_or_a_number(genres: GenreRegistry) -> None:
    assert lexicon_spec("chilled house, slow", genres).tempo.bpm <= 88
    assert lexicon_spec("relaxed house at 118 bpm", genres).tempo.bpm == 118


# --- D: negation ---------------------------------------------------------------------------

@pytest.mark.parametrize("prompt, layer", [
    ("trap beat with no drums, only 808 and piano", "drums"),
    ("jazz ballad without any bass", "bass"), ("drumless boom bap loop", "drums"),
    ("funk jam, no percussion at all", "drums"),
])
def test_a_negated_layer_is_left_out(prompt: str, layer: str, genres: GenreRegistry) -> None:
    spec = lexicon_spec(prompt, genres)
    assert spec.instrument(layer) is None  # type: ignore[arg-type]
    assert any(w.kind == "negated" and f"the {layer} layer is left out" in w.effect
               for w in spec.words)


@pytest.mark.parametrize("prompt, most", [
    ("techno, not fast", 135), ("a not too quick punk song", 190),
    ("fast? no, slow. lofi", 90), ("reggae, never frantic", 90),
])
def test_a_negated_tempo_word_does_not_act(prompt: str, most: float,
                                           genres: GenreRegistry) -> None:
    spec = lexicon_spec(prompt, genres)
    assert spec.tempo.direction != "fast" and spec.tempo.bpm <= most
    assert "negated" in _kinds(spec).values()


@pytest.mark.parametrize("prompt, family", [
    ("not jazz, more like funk", "soul"), ("no metal but hard rock riffs", "rock"),
    ("piano house instead of techno", "electronic"), ("it isnt country, its bluegrass",
                                                      "folk-country"),
])
def test_a_negated_genre_does_not_vote(prompt: str, family: str,
                                       genres: GenreRegistry) -> None:
    assert lexicon_spec(prompt, genres).genre.named_family == family


def test_a_negation_reaches_only_its_phrase_and_those_joined_to_it(
        genres: GenreRegistry) -> None:
    spec = lexicon_spec("without drums or bass, sad cello and piano", genres)
    assert spec.instrument("drums") is None and spec.instrument("bass") is None
    assert spec.key.family == "minor" and {i.number for i in spec.instruments} >= {42, 0}
    spec = lexicon_spec("not too fast techno", genres)
    assert spec.genre.named == "techno"  # the genre after the tempo word is not negated
    spec = lexicon_spec("no vocals, happy ukulele", genres)
    assert spec.instrument("choir") is None and spec.key.family == "major"


def test_no_inside_a_known_phrase_is_no_negation(genres: GenreRegistry) -> None:
    spec = lexicon_spec("jazz with no swing", genres)
    assert spec.feel == "straight" and "negated" not in _kinds(spec).values()


def test_a_negation_lapses_far_from_its_phrase_or_in_an_idiom(genres: GenreRegistry) -> None:
    spec = lexicon_spec("without any of the real drums, rumba", genres)
    assert spec.instrument("drums") is None  # fillers on the way do not count
    for prompt in ("no doubt it needs a big brass section, ska",
                   "not a single thing but sweet brass, ska",
                   "never thought of it as lively modern brass, ska"):
        spec = lexicon_spec(prompt, genres)
        assert any(i.number == 61 and i.named for i in spec.instruments), prompt


# --- E: compound genre names ------------------------------------------------------------

@pytest.mark.parametrize("prompt, family", [
    ("irish punk pub singalong", "rock"), ("reggae rock anthem", "rock"),
    ("jazz-funk workout", "soul"), ("gospel blues for a sunday", "blues"),
    ("trance pop single", "pop"), ("soul ballad with strings", "soul"),
    ("a pop orchestra arrangement", "pop"), ("jazz piano trio at midnight", "jazz"),
    ("rock, jazz and a little blues", "rock"), ("western swing dance", "folk-country"),
])
def test_the_head_of_a_compound_decides(prompt: str, family: str,
                                        genres: GenreRegistry) -> None:
    assert lexicon_spec(prompt, genres).genre.named_family == family


def test_every_known_compound_names_its_genre(genres: GenreRegistry) -> None:
    for name, genre_id in KNOWN.items():
        spec = lexicon_spec(name, genres)
        assert spec.genre.named == genre_id, name


# --- F, G: subgenre, regional and classical-form names ------------------------------------

def test_every_subgenre_name_reads_as_its_family(genres: GenreRegistry) -> None:
    for genre_id, names in SUBGENRES.items():
        family = family_of_genre(genre_id, genres)
        for name in names.split(", "):
            assert lexicon_spec(name, genres).genre.named_family == family, (name, genre_id)


@pytest.mark.parametrize("prompt", [
    "a mournful requiem for choir", "cello sonata in three movements",
    "prelude and fugue, stately", "adagio for a wedding", "a nocturne by candlelight",
    "concerto for two violins", "tender étude", "a string quartet in g minor",
])
def test_classical_forms_lean_classical(prompt: str, genres: GenreRegistry) -> None:
    assert lexicon_spec(prompt, genres).genre.named_family == "classical"


def test_a_tempo_mark_leans_but_does_not_outvote_a_named_genre(
        genres: GenreRegistry) -> None:
    assert lexicon_spec("allegro techno", genres).genre.named == "techno"


# --- H: instruments -----------------------------------------------------------------------

def test_every_brand_names_its_instrument(genres: GenreRegistry) -> None:
    for brand, program in BRANDS.items():
        spec, named = lexicon_spec(f"{brand} melody", genres), " ".join(phrase_key(brand))
        assert any(i.named == named and i.number == program and not i.substitute
                   for i in spec.instruments), brand
    for brand, (preset, _name) in BRAND_KITS.items():
        spec, named = lexicon_spec(f"{brand} groove", genres), " ".join(phrase_key(brand))
        assert any(i.named == named and i.kind == "kit" and i.number == preset
                   for i in spec.instruments), brand


def test_every_stand_in_is_one_instrument_flagged_as_a_substitute(
        genres: GenreRegistry) -> None:
    for name, (program, _why) in STAND_INS.items():
        spec = lexicon_spec(f"a {name} solo", genres)
        assert any(i.named == " ".join(phrase_key(name)) and i.number == program and i.substitute
                   for i in spec.instruments), name


@pytest.mark.parametrize("typo, program", [
    ("trumpit", 56), ("xylaphone", 13), ("clarinnet", 71), ("harmonika", 22),
])
def test_misspelt_instruments_are_read(typo: str, program: int,
                                       genres: GenreRegistry) -> None:
    spec = lexicon_spec(f"sunny tune with {typo}", genres)
    assert any(i.named == typo and i.number == program for i in spec.instruments)


@pytest.mark.parametrize("word", ["strong", "battle", "wander"])
def test_real_words_are_not_corrected_into_instruments(word: str,
                                                       genres: GenreRegistry) -> None:
    assert _kinds(lexicon_spec(f"{word} rock", genres)).get(word) in (None, "unknown")


def test_harp_is_a_harmonica_in_the_blues_only(genres: GenreRegistry) -> None:
    blues = lexicon_spec("chicago blues, wailing harp over a shuffle", genres)
    assert any(i.named == "harp" and i.number == 22 for i in blues.instruments)
    calm = lexicon_spec("calm harp and flute duet", genres)
    assert any(i.named == "harp" and i.number == 46 for i in calm.instruments)


@pytest.mark.parametrize("phrase", ["singing bowls", "steel tongue drum", "hurdy gurdy",
                                    "wind chimes", "tubular bells"])
def test_two_word_instruments_stay_whole(phrase: str, genres: GenreRegistry) -> None:
    spec = lexicon_spec(f"meditative {phrase} at dawn", genres)
    assert [i.named for i in spec.instruments if i.named] == [phrase]


# --- I: a feeling's mode outweighs a timbre word's ----------------------------------------

@pytest.mark.parametrize("prompt, family", [
    ("gritty, mournful garage rock", "minor"), ("bright yet heartbroken synth pop", "minor"),
    ("hypnotic and joyful afrobeat", "major"), ("dreamy but gloomy shoegaze", "minor"),
    ("grimy and cheerful funk", "major"),
])
def test_a_feeling_outweighs_a_timbre_word(prompt: str, family: str,
                                           genres: GenreRegistry) -> None:
    spec = lexicon_spec(prompt, genres)
    assert spec.key.family == family and spec.key.source == "lexicon"
