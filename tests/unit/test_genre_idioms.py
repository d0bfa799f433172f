"""Genre idioms, measured from the notes: each genre plays like itself (the bossa bass on
1 and the and of 2, the son clave, the dembow, the tanpura drone, the tabla's khali,
the flamenco compás, the tango marcato, the trance rolling bass, half-time dubstep,
2-step garage, Alberti figures, orchestral music with no drum kit)."""

from __future__ import annotations

import itertools
import statistics

import pytest

from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.patch import load_patch
from tests.composing import (
    bars_heard,
    compose,
    composition,
    genres,
    in_key_fraction,
    plan_and_part,
    rhythms,
)
from tests.conftest import REPO

pytestmark = pytest.mark.timeout(120)


def _steps(part: Part, voice: str, bar: int = 0, meter: str = "4/4") -> list[int]:
    """Grid steps of bar `bar` where the drum `voice` plays."""
    heard = bars_heard(part, meter)[bar]
    return sorted(step for step, pitch in heard if pitch == DRUM_NOTES[voice])


def _bar_onsets(part: Part, meter: str = "4/4") -> list[list[int]]:
    return [sorted(step for step, _ in bar) for bar in bars_heard(part, meter, pitches=False)]


def _sounding(notes: tuple[NoteEvent, ...], beat: float) -> set[int]:
    return {n.pitch % 12 for n in notes if n.start <= beat < n.start + n.duration}


# -- latin -----------------------------------------------------------------------------

def test_bossa_bass_plays_on_one_and_the_and_of_two() -> None:
    for seed in (1, 2, 3):
        bars = _bar_onsets(compose("bass", "bassline", genre="bossa-nova", seed=seed, bars=8))
        with_figure = [b for b in bars if 0 in b and 6 in b]
        assert len(with_figure) >= 7, bars
        assert all(4 not in b for b in bars), bars  # beat 2 itself is left open


def test_bossa_rim_plays_the_two_bar_clave() -> None:
    drums = compose("drums", "beat", genre="bossa-nova", bars=8)
    assert _steps(drums, "rim", 0) == [0, 6, 12]  # the 3 side: 1, the and of 2, 4
    for bar in (1, 3, 5):  # the 2 side: 2 and the and of 3 (with the bar's ghost notes)
        second = set(_steps(drums, "rim", bar))
        assert second >= {4, 10} and not second & {0, 6, 12}, (bar, second)
    assert _steps(drums, "rim", 2) == [0, 6, 12]


def test_bossa_guitar_comps_off_the_beat_on_nylon_strings() -> None:
    part = compose("keys", "chords", genre="bossa-nova", bars=8)
    assert part.program == 24
    starts = sorted({round(n.start * 4) for n in part.notes})
    off = [s for s in starts if s % 4]
    assert len(off) / len(starts) >= 0.5, starts
    # seventh and ninth chords: four or more pitch classes sound together
    assert max(len(_sounding(part.notes, s / 4 + 0.1)) for s in starts) >= 4


def test_salsa_plays_the_son_clave_and_an_anticipated_tumbao() -> None:
    drums = compose("drums", "beat", genre="salsa", bars=8)
    for bar in range(7):
        assert {0, 3, 6, 10} <= set(_steps(drums, "clave", bar)), bar
    assert _steps(drums, "clave", 0) == [0, 3, 6, 10, 12]  # 3-2 son clave
    bass = _bar_onsets(compose("bass", "bassline", genre="salsa", bars=8))
    groove = [b for i, b in enumerate(bass) if i in (0, 2, 4)]  # the A bars
    assert all(0 not in b and {3, 6, 11, 14} <= set(b) for b in groove), bass


def test_salsa_piano_plays_a_syncopated_montuno_in_octaves() -> None:
    part = compose("keys", "chords", genre="salsa", bars=4)
    starts = sorted({round(n.start * 4) for n in part.notes if n.start < 4})
    assert {2, 3, 5, 6} <= set(starts)  # the anticipations between the beats
    pitches = [n.pitch for n in part.notes if round(n.start * 4) == 0]
    assert any(p + 12 in pitches for p in pitches)  # the octave doubling


def test_reggaeton_plays_the_dembow_over_a_tresillo_bass() -> None:
    drums = compose("drums", "beat", genre="reggaeton", bars=4)
    assert _steps(drums, "kick") == [0, 4, 8, 12]
    assert _steps(drums, "snare") == [3, 6, 11, 14]
    bass = _bar_onsets(compose("bass", "bassline", genre="reggaeton", bars=8))
    assert bass[0] == [0, 6, 12]


def test_flamenco_accents_the_twelve_count_compas() -> None:
    meter = "12/8"
    drums = compose("drums", "beat", genre="flamenco", bars=4)
    assert drums.beats == 4 * 12
    claps = {round(n.start * 2): n.velocity for n in drums.notes
             if n.pitch == DRUM_NOTES["clap"] and n.start < 12}
    accents = (0, 6, 12, 16, 20)  # counts 12, 3, 6, 8 and 10
    assert min(claps[s] for s in accents) > max(v for s, v in claps.items()
                                                 if s not in accents)
    guitar = compose("keys", "chords", genre="flamenco", bars=4)
    per_eighth: dict[int, int] = {}  # strokes (notes) heard in each eighth of the bar
    for n in guitar.notes:
        eighth = int(n.start + 0.05) % parse_meter(meter).beats
        per_eighth[eighth] = per_eighth.get(eighth, 0) + 1
    fans = [per_eighth.get(e, 0) for e in (0, 3, 6, 8, 10)]
    others = [c for e, c in per_eighth.items() if e not in (0, 3, 6, 8, 10)]
    assert min(fans) > max(others)  # the rasgueado fans the accents


def test_flamenco_ends_its_cadence_on_the_major_chord_of_the_phrygian_tonic() -> None:
    found = []
    for seed in range(8):
        info = composition("keys", "chords", genre="flamenco", key="E phrygian",
                           seed=seed).info
        found += info.chords
    assert "I! (chromatic)" in found  # E major in E phrygian, labelled as chromatic


def test_tango_marks_every_beat_and_answers_in_the_sincopa() -> None:
    bass = _bar_onsets(compose("bass", "bassline", genre="tango", bars=8))
    assert bass[0] == [0, 4, 8, 12]
    assert any(set(b) >= {0, 6, 12} and 4 not in b for b in bass)  # 3-3-2
    piano = compose("keys", "chords", genre="tango", bars=1)
    loud = {round(n.start * 4): n.velocity for n in piano.notes}
    assert sorted(loud) == [0, 4, 8, 12]
    assert min(loud[0], loud[8]) > max(loud[4], loud[12])  # 1 and 3 are the marcato


# -- world -----------------------------------------------------------------------------

def test_indian_classical_holds_a_tonic_drone_for_the_whole_clip() -> None:
    for key in ("C# major", "D mixolydian", "E phrygian"):
        bass = compose("bass", "bassline", genre="indian-classical", key=key, bars=8)
        keys = compose("keys", "chords", genre="indian-classical", key=key, bars=8)
        tonic = parse_key(key).tonic
        for step in range(0, 8 * 16):
            beat = step / 4 + 0.05  # just after each 16th (a player is not a clock)
            assert tonic in _sounding(bass.notes, beat), (key, beat)
            assert tonic in _sounding(keys.notes, beat), (key, beat)
        # the tanpura cycles Pa, Sa, Sa, low Sa: the tonic and its fifth only
        assert {n.pitch % 12 for n in bass.notes} == {tonic, (tonic + 7) % 12}


def test_indian_classical_tabla_keeps_teental_with_an_empty_khali() -> None:
    drums = compose("drums", "beat", genre="indian-classical", bars=8)
    for bar in (0, 2, 4):  # the groove bars
        bayan = _steps(drums, "conga_low", bar)
        assert 0 in bayan and not set(bayan) & {8, 9, 10, 11}, bayan  # khali: no bayan
        assert len(_steps(drums, "bongo_high", bar)) == 8
    sam = [n.velocity for n in drums.notes if n.pitch == DRUM_NOTES["conga_low"]
           and round(n.start * 4) % 16 == 0]
    rest = [n.velocity for n in drums.notes if n.pitch == DRUM_NOTES["conga_low"]
            and round(n.start * 4) % 16 != 0]
    assert statistics.mean(sam) > statistics.mean(rest)  # sam is struck hardest
    kit = {DRUM_NOTES[v] for v in ("kick", "snare", "hat", "clap")}
    assert not {n.pitch for n in drums.notes} & kit  # no drum kit, even in the fills


def test_middle_eastern_darbuka_plays_maqsum() -> None:
    drums = compose("drums", "beat", genre="middle-eastern", bars=4)
    assert _steps(drums, "conga_low") == [0, 8]  # doum
    assert _steps(drums, "rim") == [2, 6, 12]  # tek


def test_middle_eastern_oud_plucks_its_drone_in_the_darbukas_rhythm() -> None:
    part = compose("keys", "chords", genre="middle-eastern", key="D phrygian", bars=4)
    assert part.program == 24
    first = {round(n.start * 4): n.pitch for n in part.notes if n.start < 4 - 0.1}
    assert sorted(first) == [0, 2, 6, 8, 12]  # doum, tek, tek, doum, tek
    assert first[0] % 12 == first[8] % 12 == 2  # the doum strokes are Sa (D)
    assert {p % 12 for p in first.values()} <= {2, 9}  # Sa and Pa only


def test_afrobeat_guitar_chanks_between_the_beats() -> None:
    part = compose("keys", "chords", genre="afrobeat", bars=8)
    groove = bars_heard(part)[0]
    assert groove and all(step % 4 for step, _ in groove)
    assert max(len([1 for s, _ in groove if s == x]) for x, _ in groove) <= 2  # two strings


# -- electronic ------------------------------------------------------------------------

def test_trance_bass_rolls_between_the_kicks_under_gated_chords() -> None:
    bass = _bar_onsets(compose("bass", "bassline", genre="trance", bars=8))
    assert bass[0] == [1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15]
    chords = compose("keys", "chords", genre="trance", bars=2)
    starts = {round(n.start * 4) for n in chords.notes if n.start < 4}
    assert len(starts) >= 8 and max(n.duration for n in chords.notes) <= 0.25


def test_dubstep_is_half_time_with_a_wobble_that_changes_rate() -> None:
    drums = compose("drums", "beat", genre="dubstep", bars=4)
    assert _steps(drums, "snare") == [8]
    bars = _bar_onsets(compose("bass", "bassline", genre="dubstep", bars=8))
    gaps = {b[1] - b[0] for b in bars if len(b) > 1}
    assert len(gaps) >= 2, bars


def test_uk_garage_skips_the_kick_in_a_two_step() -> None:
    drums = compose("drums", "beat", genre="uk-garage", bars=4)
    assert _steps(drums, "kick") == [0, 10]
    assert _steps(drums, "snare") == [4, 12]


def test_breakbeat_is_never_four_on_the_floor() -> None:
    for seed in (1, 2):
        drums = compose("drums", "beat", genre="breakbeat", seed=seed, bars=8)
        for bar in range(8):
            assert _steps(drums, "kick", bar) != [0, 4, 8, 12]


# -- classical -------------------------------------------------------------------------

def test_orchestral_music_has_no_drum_kit() -> None:
    session = load_patch(REPO / "patches" / "concert-hall.yaml", genres())
    assert session.genre == "orchestral"
    assert all(layer.role != "drums" for layer in session.layers)
    # asked for percussion anyway, the orchestra gets timpani and a bass drum, no kit
    drums = compose("drums", "beat", genre="orchestral", bars=8)
    assert drums.bank == 128 and drums.program == 48
    kit = {DRUM_NOTES[v] for v in ("hat", "open_hat", "ride", "clap", "rim")}
    assert drums.notes and not {n.pitch for n in drums.notes} & kit
    strings = compose("keys", "chords", genre="orchestral", bars=4)
    assert strings.program == 48
    assert max(len(_sounding(strings.notes, b + 0.5)) for b in range(16)) >= 3  # voiced


def test_baroque_harpsichord_plays_alberti_over_a_walking_continuo() -> None:
    part = compose("keys", "chords", genre="baroque", bars=4)
    assert part.program == 6
    first = [n for n in part.notes if n.start < 2 - 0.1]
    pitches = [n.pitch for n in sorted(first, key=lambda n: n.start)]
    assert len(pitches) == 4
    low, high, middle, high_again = pitches
    assert low < middle < high == high_again  # low, high, middle, high
    bass = compose("bass", "bassline", genre="baroque", bars=8)
    bar0 = sorted((n for n in bass.notes if n.start < 4 - 0.1), key=lambda n: n.start)
    assert len(bar0) == 8  # walking eighths
    leaps = [abs(b.pitch - a.pitch) for a, b in itertools.pairwise(bar0)]
    assert statistics.median(leaps) <= 4  # steps and thirds


def test_solo_piano_is_one_piano_with_broken_chords_in_the_left_hand() -> None:
    profile = genres().get("solo-piano")
    assert set(profile.instrumentation.programs.values()) <= {0, 8}
    part = compose("keys", "chords", genre="solo-piano", bars=4)
    bar0 = sorted((n for n in part.notes if n.start < 4 - 0.1), key=lambda n: n.start)
    assert len({n.start for n in bar0}) == len(bar0) == 8  # one note at a time
    assert bar0[0].pitch == min(n.pitch for n in bar0)  # rising from the root
    assert max(n.pitch for n in bar0) - bar0[0].pitch >= 15  # a tenth and more


# -- every genre -----------------------------------------------------------------------

NEW = ("orchestral", "baroque", "solo-piano", "bossa-nova", "salsa", "reggaeton", "flamenco",
       "tango", "afrobeat", "indian-classical", "middle-eastern", "trance", "dubstep",
       "uk-garage", "breakbeat", "downtempo")


@pytest.mark.parametrize("genre_id", NEW)
def test_each_new_genre_has_its_own_listening_patch(genre_id: str) -> None:
    for path in sorted((REPO / "patches").glob("*.yaml")):
        if load_patch(path, genres()).genre == genre_id:
            return
    pytest.fail(f"no patch in patches/ plays {genre_id}")


@pytest.mark.parametrize("genre_id", NEW)
def test_the_idioms_fit_every_meter(genre_id: str) -> None:
    for meter in ("3/4", "6/8", "5/4", "7/8", "12/8", "4/4"):
        for layer, prompt in (("bass", "bassline"), ("keys", "chords")):
            plan, part = plan_and_part(layer, prompt, genre=genre_id, meter=meter, bars=8)
            assert part.notes and all(0 <= n.start < plan.beats for n in part.notes)
            assert in_key_fraction(plan, part.notes) >= 0.97, (genre_id, meter, layer)
            if layer == "bass":
                assert len(set(bars_heard(part, meter, pitches=False))) >= 2, meter


@pytest.mark.parametrize("genre_id", NEW)
def test_seeds_change_the_rhythm_of_every_role(genre_id: str) -> None:
    meter = genres().get(genre_id).rhythm.time_signatures[0]
    for layer, prompt in (("drums", "beat"), ("bass", "bassline"), ("keys", "chords"),
                          ("lead", "melody")):
        heard = rhythms(layer, prompt, (1, 2, 3), heard_in=meter, genre=genre_id, bars=8)
        assert len(heard) >= 2, (genre_id, layer)
