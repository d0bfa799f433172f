"""Genre idioms, measured from the notes: power chords and double kick in metal, the train
beat in country, skanks on the off-beats in ska, the shuffle and boogie of the blues,
walking bass and shout chords in swing; and every genre in its own meters and keys."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict

import pytest

from livetimbre.compose.form import bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.genres.families import FAMILIES
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import Chord, parse_meter
from livetimbre.patch import load_patch
from tests.composing import (
    GENRES,
    NEUTRAL,
    PITCHED,
    bars_heard,
    compose,
    genres,
    in_key_fraction,
    plan_and_part,
    rhythms,
    spans_of,
)
from tests.conftest import PATCHES


def _strokes(part: Part, window: float = 0.12) -> list[list[NoteEvent]]:
    """Notes struck together (a chord, strummed or not), in time order."""
    groups: list[list[NoteEvent]] = []
    for note in sorted(part.notes, key=lambda n: n.start):
        if groups and note.start - groups[-1][0].start < window:
            groups[-1].append(note)
        else:
            groups.append([note])
    return groups


def _chord_on_grid(spans: list[ChordSpan], start: float) -> Chord:
    """The chord a note was written for: the one sounding on its nearest 16th (a
    player's push may start it a little early)."""
    return chord_at(spans, round(start * 4) / 4)


def _steps(part: Part, pitch: int, meter: str = "4/4") -> list[int]:
    m = parse_meter(meter)
    return sorted(round(n.start * m.steps_per_beat) for n in part.notes if n.pitch == pitch)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("genre_id", GENRES)
def test_every_role_in_the_genres_own_meters_and_keys(genre_id: str) -> None:
    genre = genres().get(genre_id)
    keys = genre.harmony.common_keys[:3]
    for meter in genre.rhythm.time_signatures:
        drums = compose("drums", "beat", genre=genre_id, meter=meter, bars=8)
        m = parse_meter(meter)
        heard = bars_heard(drums, meter)
        assert all(any(step == 0 for step, _ in bar) for bar in heard), (genre_id, meter)
        assert all(step < m.steps_per_bar for bar in heard for step, _ in bar)
        for key in keys:
            for layer in PITCHED:
                plan, part = plan_and_part(layer, NEUTRAL[layer], genre=genre_id, key=key,
                                           meter=meter, bars=8)
                assert part.notes, (genre_id, meter, key, layer)
                share = in_key_fraction(plan, part.notes)
                assert share >= 0.97, (genre_id, meter, key, layer, round(share, 3))


@pytest.mark.parametrize("genre_id", GENRES)
def test_a_seed_changes_the_rhythm_in_every_genre(genre_id: str) -> None:
    for layer in ("drums", "bass", "keys", "lead"):
        heard = rhythms(layer, NEUTRAL[layer], (1, 2, 3, 4), genre=genre_id, bars=8)
        assert len(heard) >= 2, (genre_id, layer)


def test_family_lists_and_aliases_are_sound() -> None:
    registry = genres()
    for family in ("rock", "metal", "pop", "folk-country", "blues", "soul", "hip-hop", "jazz",
                   "reggae"):
        for genre_id in FAMILIES[family]:
            assert registry.get(genre_id).family == family
    seen: dict[str, str] = {}
    for genre in registry:
        assert genre.aliases, f"{genre.id} has no aliases"
        for alias in genre.aliases:
            assert alias not in seen, f"'{alias}' names both {seen[alias]} and {genre.id}"
            dashed = alias.replace(" ", "-")
            assert dashed == genre.id or dashed not in registry.genres, alias
            seen[alias] = genre.id


def test_every_genre_has_a_listening_patch() -> None:
    played = {load_patch(path, genres()).genre for path in PATCHES}
    assert set(GENRES) <= played, sorted(set(GENRES) - played)


@pytest.mark.parametrize("genre_id", ["metal", "hard-rock", "punk", "rock"])
def test_rock_and_metal_chords_are_power_chords(genre_id: str) -> None:
    for key in ("E minor", "A major", "D phrygian"):
        plan, part = plan_and_part("keys", "chords", genre=genre_id, key=key, bars=8)
        spans = spans_of(plan)
        for group in _strokes(part):
            start = min(n.start for n in group)
            chord = _chord_on_grid(spans, start)
            fifth = next(i for i in chord.intervals if i in (6, 7, 8))
            pcs = {n.pitch % 12 for n in group}
            assert pcs == {chord.root, (chord.root + fifth) % 12}, (genre_id, key, start)
            assert min(n.pitch for n in group) % 12 == chord.root  # the root at the bottom
            assert max(n.pitch for n in group) <= 64  # low on the neck


def test_metal_plays_double_kick_and_palm_muted_chugs() -> None:
    drums = compose("drums", "beat", genre="metal", bars=4)
    kicks = _steps(drums, DRUM_NOTES["kick"])
    runs = sum(1 for a, b in itertools.pairwise(kicks) if b - a == 1)
    assert runs >= 20  # sixteenths in a row: two feet
    chords = compose("keys", "chords", genre="metal", bars=4)
    lengths = [max(n.duration for n in g) for g in _strokes(chords, 0.06)]
    short = sum(length < 0.2 for length in lengths)
    assert short / len(lengths) > 0.6  # mostly muted chugs
    assert max(lengths) >= 0.5  # with a ringing accent
    bass = compose("bass", "bassline", genre="metal", bars=4)
    gaps = [b.start - a.start for a, b in zip(bass.notes, bass.notes[1:], strict=False)]
    assert min(gaps) < 0.3  # 16th-note gallops, not quarter notes


def test_country_train_beat_has_the_snare_on_every_eighth() -> None:
    drums = compose("drums", "beat", genre="country", bars=8)
    snares = set(_steps(drums, DRUM_NOTES["snare"]))
    forms = bar_forms(8)
    for form in forms:
        if form.label in ("f", "F"):
            continue  # the fill takes over the end of the bar
        bar = {s - 16 * form.bar for s in snares if 16 * form.bar <= s < 16 * form.bar + 16}
        assert set(range(0, 16, 2)) <= bar, form


def test_country_bass_alternates_root_and_fifth_on_one_and_three() -> None:
    plan, part = plan_and_part("bass", "bassline", genre="country", key="G major", bars=8)
    spans = spans_of(plan)
    for form in bar_forms(8):
        if form.label != "A":
            continue
        start = form.bar * 4
        notes = [n for n in part.notes if start - 0.1 <= n.start < start + 3.9]
        chord = chord_at(spans, start)
        assert [round(n.start - start) for n in notes] == [0, 2]
        assert notes[0].pitch % 12 == chord.root
        assert (notes[1].pitch - chord.root) % 12 == 7


def test_strummed_chords_go_down_on_the_beat_and_up_between() -> None:
    part = compose("keys", "chords", genre="folk", bars=4)
    downs = ups = 0
    for group in _strokes(part, 0.08):
        if len(group) < 3:
            continue
        first = min(group, key=lambda n: n.start)
        if abs(first.start - round(first.start)) < 0.1:
            assert first.pitch == min(n.pitch for n in group)  # a downstroke
            downs += 1
        elif abs(first.start % 1 - 0.55) < 0.15:  # the swung "and"
            assert first.pitch == max(n.pitch for n in group)  # an upstroke
            ups += 1
    assert downs >= 8 and ups >= 2


def test_bluegrass_chops_on_two_and_four() -> None:
    part = compose("keys", "chords", genre="bluegrass", bars=8)
    for form in bar_forms(8):
        if form.label != "A":
            continue
        beats = sorted({round(2 * (n.start - form.bar * 4)) / 2 for n in part.notes
                        if form.bar * 4 - 0.1 <= n.start < form.bar * 4 + 3.9})
        assert beats == [1, 3]


def test_ska_chords_skank_on_the_off_beats() -> None:
    part = compose("keys", "chords", genre="ska", bars=8)
    for group in _strokes(part, 0.08):
        position = min(n.start for n in group) % 1
        assert 0.4 < position < 0.9, position  # the "and" (or the 16th after it)
    assert not any(abs(n.start - round(n.start)) < 0.05 for n in part.notes)


def test_blues_shuffles_and_boogies() -> None:
    drums = compose("drums", "beat", genre="blues", bars=4)
    offs = [n.start % 1 for n in drums.notes if n.pitch == DRUM_NOTES["hat"]
            and 0.3 < n.start % 1 < 0.9]
    assert statistics.median(offs) > 0.57  # swung eighths: late off-beats
    plan, part = plan_and_part("keys", "chords", genre="blues", key="E mixolydian", bars=8)
    spans = spans_of(plan)
    intervals = set()
    for group in _strokes(part, 0.06):
        chord = _chord_on_grid(spans, group[0].start)
        low, high = sorted(n.pitch for n in group)[0], max(n.pitch for n in group)
        assert low % 12 == chord.root
        intervals.add(high - low)
    assert {7, 9} <= intervals  # the fifth and the sixth of the shuffle
    bass = compose("bass", "bassline", genre="blues", key="E mixolydian", bars=8)
    first = [n.pitch - bass.notes[0].pitch for n in bass.notes if n.start < 3.9]
    assert {0, 4, 7, 9} <= set(first)  # root, third, fifth, sixth


def test_swing_walks_and_shouts() -> None:
    bass = compose("bass", "bassline", genre="swing", bars=8)
    heard = bars_heard(bass, pitches=False)
    for form in bar_forms(8):
        if form.label == "A":  # a walking quarter-note line
            assert sorted(step for step, _ in heard[form.bar]) == [0, 4, 8, 12]
    chords = compose("keys", "chords", genre="swing", bars=8)
    sizes = [len(g) for g in _strokes(chords, 0.05)]
    assert min(sizes) >= 4  # full section voicings
    assert len(set(bars_heard(chords, pitches=False))) >= 2


def test_dancehall_riddim_snare_falls_three_three_two() -> None:
    drums = compose("drums", "beat", genre="dancehall", bars=1)
    assert _steps(drums, DRUM_NOTES["snare"]) == [3, 6, 11, 14]


def test_celtic_jig_is_in_six_eight_with_accents_on_one_and_four() -> None:
    drums = compose("drums", "beat", genre="celtic", meter="6/8", bars=4)
    m = parse_meter("6/8")
    velocity: dict[int, list[int]] = defaultdict(list)
    for note in drums.notes:
        if note.pitch == DRUM_NOTES["tom_mid"]:
            velocity[round(note.start * m.steps_per_beat) % m.steps_per_bar].append(
                note.velocity)
    strong = statistics.mean(velocity[0] + velocity[6])
    weak = statistics.mean(v for step, vs in velocity.items() if step not in (0, 6)
                           for v in vs)
    assert strong > weak + 10


STYLE_GENRES = {"metal": ("bass", "keys"), "rock": ("keys",), "folk": ("bass", "keys"),
                "bluegrass": ("keys",), "blues": ("bass", "keys"), "swing": ("keys",)}


@pytest.mark.parametrize("meter", ["3/4", "6/8", "5/4", "7/8", "12/8"])
@pytest.mark.parametrize("genre_id", sorted(STYLE_GENRES))
def test_band_styles_fit_odd_meters(genre_id: str, meter: str) -> None:
    m = parse_meter(meter)
    for layer in STYLE_GENRES[genre_id]:
        for key in ("C major", "F# minor", "D dorian"):
            plan, part = plan_and_part(layer, NEUTRAL[layer], genre=genre_id, meter=meter,
                                       key=key, bars=8)
            assert all(0 <= n.start < plan.beats for n in part.notes)
            assert in_key_fraction(plan, part.notes) >= 0.97, (genre_id, layer, meter, key)
            heard = bars_heard(part, meter, pitches=False)
            assert all(heard), (genre_id, layer, meter)  # every bar plays
            assert all(step < m.steps_per_bar for bar in heard for step, _ in bar)
            assert len(set(heard)) >= 2, (genre_id, layer, meter)  # and the bars develop
