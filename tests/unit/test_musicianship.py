"""Musicianship contracts, measured from the notes the way a musician hears them: in key
in every mode, patterns that fit the meter, bars that develop, seeds and scenes that
matter, a timing feel that is what was asked (read back from the MIDI export)."""

from __future__ import annotations

import io
import itertools
import statistics

import mido
import pytest

from livetimbre.compose.midi import parts_to_midi
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import Part
from livetimbre.music.pulses import pulses
from livetimbre.music.theory import MODES, parse_key, parse_meter
from tests.composing import (
    GENRES,
    NEUTRAL,
    PITCHED,
    bars_heard,
    compose,
    composition,
    genres,
    in_key_fraction,
    plan_and_part,
    rhythms,
)

KEY_POOL = ("F# major", "C# minor", "D dorian", "Bb mixolydian", "E phrygian", "G lydian",
            "B harmonic minor")


def _other_mode_keys(genre_id: str) -> list[str]:
    """Three keys in modes the genre does not usually use (its own if it uses them all)."""
    usual = set(genres().get(genre_id).harmony.common_modes)
    others = [k for k in KEY_POOL if parse_key(k).mode not in usual]
    return others[:3]


@pytest.mark.parametrize("genre_id", GENRES)
def test_every_genre_stays_in_any_key_and_mode(genre_id: str) -> None:
    keys = _other_mode_keys(genre_id)
    assert len(keys) == 3
    for key in keys:
        for layer in PITCHED:
            plan, part = plan_and_part(layer, NEUTRAL[layer], genre=genre_id, key=key, bars=8)
            share = in_key_fraction(plan, part.notes)
            assert share >= 0.97, (genre_id, key, layer, round(share, 3))


def test_a_key_the_genre_never_uses_is_honoured() -> None:
    # Reggae's progressions are written in minor; in F# major its chords are major-key
    # chords of F# major (the complaint was F# minor and F major chords).
    for seed in range(6):
        info = composition("keys", "skank", genre="reggae", key="F# major", seed=seed).info
        assert not any("chromatic" in c for c in info.chords), info.chords
    plan, part = plan_and_part("keys", "skank", genre="reggae", key="F# major")
    assert in_key_fraction(plan, part.notes) == 1.0


def test_a_deliberate_chromatic_chord_is_labelled() -> None:
    found = []
    for seed in range(12):
        info = composition("keys", "chords", genre="techno", key="A minor", seed=seed).info
        found += [c for c in info.chords if "chromatic" in c]
    assert found and all(c.startswith("bII") for c in found)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_lead_and_bass_follow_the_scale_in_every_mode(mode: str) -> None:
    for layer in ("lead", "bass", "arp"):
        for seed in (1, 2):
            plan, part = plan_and_part(layer, NEUTRAL[layer], key=f"D {mode}", seed=seed, bars=8)
            assert in_key_fraction(plan, part.notes) >= 0.97, (layer, mode)


METERS = ("3/4", "6/8", "5/4", "7/8", "12/8")


@pytest.mark.parametrize("meter", METERS)
@pytest.mark.parametrize("genre_id", GENRES)
def test_drums_fit_the_meter(genre_id: str, meter: str) -> None:
    m = parse_meter(meter)
    part = compose("drums", "beat", genre=genre_id, meter=meter, bars=4)
    assert part.beats == 4 * m.beats
    assert all(0 <= n.start < part.beats for n in part.notes)
    bars = bars_heard(part, meter)
    for bar in bars:
        assert all(step < m.steps_per_bar for step, _ in bar)
    # no doubled hits: one voice never strikes twice within half a 16th
    half_step = 0.5 / m.steps_per_beat
    by_voice: dict[int, list[float]] = {}
    for note in part.notes:
        by_voice.setdefault(note.pitch, []).append(note.start)
    for pitch, starts in by_voice.items():
        starts.sort()
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert all(gap >= half_step for gap in gaps), (genre_id, pitch)
    # every bar's downbeat is played, and a voice playing it plays it louder than on the
    # bar's other pulses
    steps = [(round(n.start * m.steps_per_beat), n) for n in part.notes]
    for index in range(len(bars)):
        assert any(s == index * m.steps_per_bar for s, _ in steps), (genre_id, index)
    later_pulses = {p.start for p in pulses(m)[1:]}
    for pitch in by_voice:
        down = [n.velocity for s, n in steps if n.pitch == pitch and s % m.steps_per_bar == 0]
        other = [n.velocity for s, n in steps
                 if n.pitch == pitch and s % m.steps_per_bar in later_pulses]
        if down and other:
            assert statistics.mean(down) > statistics.mean(other), (genre_id, pitch)


@pytest.mark.parametrize("meter", METERS)
def test_backbeats_belong_to_the_meter(meter: str) -> None:
    m = parse_meter(meter)
    part = compose("drums", "beat", genre="house", meter=meter, bars=1)
    clap = sorted(round(n.start * m.steps_per_beat) for n in part.notes
                  if n.pitch == DRUM_NOTES["clap"])
    expected = {"3/4": [8], "6/8": [6], "5/4": [8, 16], "7/8": [8], "12/8": [6, 18]}
    assert clap == expected[meter]


@pytest.mark.parametrize("meter", METERS)
def test_pitched_parts_fit_odd_meters(meter: str) -> None:
    for layer in PITCHED:
        plan, part = plan_and_part(layer, NEUTRAL[layer], meter=meter, bars=4)
        assert part.notes and all(0 <= n.start < plan.beats for n in part.notes)
        assert in_key_fraction(plan, part.notes) >= 0.97


@pytest.mark.parametrize("genre_id", GENRES)
def test_bars_develop_in_an_eight_bar_clip(genre_id: str) -> None:
    drums = compose("drums", "beat", genre=genre_id, bars=8)
    assert len(set(bars_heard(drums))) >= 4
    bass = compose("bass", "bassline", genre=genre_id, bars=8)
    assert len(set(bars_heard(bass, pitches=False))) >= 2


@pytest.mark.parametrize("layer", ["drums", "bass", "lead", "arp", "keys", "pad"])
def test_a_seed_changes_rhythm_not_only_pitch(layer: str) -> None:
    for genre_id in ("synthwave", "jazz", "techno"):
        heard = rhythms(layer, NEUTRAL[layer], (1, 2, 3), genre=genre_id, bars=8)
        assert len(heard) >= 2, (layer, genre_id)


def test_scenes_share_the_layers_motif_with_a_new_treatment() -> None:
    prompts = ("melody", "smooth melody")
    first = compose("lead", "", prompts=prompts, scene=0, bars=8)
    second = compose("lead", "", prompts=prompts, scene=1, bars=8)
    opening = [n.pitch for n in first.notes if n.start < 4 - 0.1]
    assert opening == [n.pitch for n in second.notes if n.start < 4 - 0.1]  # the motif
    assert bars_heard(first) != bars_heard(second)  # not all the same notes
    assert [n.duration for n in first.notes] != [n.duration for n in second.notes]
    # a repeated prompt is the same clip
    same = compose("lead", "", prompts=("melody", "melody"), scene=1, bars=8)
    assert same == first


def test_tempo_changes_the_notes_outside_the_genres_range() -> None:
    usual = compose("drums", "beat", genre="jazz", tempo=138)
    fast = compose("drums", "beat", genre="jazz", tempo=234)
    assert len(fast.notes) < len(usual.notes)
    walking = compose("bass", "bassline", genre="jazz", tempo=138)
    two_feel = compose("bass", "bassline", genre="jazz", tempo=234)
    assert len(two_feel.notes) < len(walking.notes)
    dnb = compose("drums", "beat", genre="drum-and-bass", tempo=172)
    slow = compose("drums", "beat", genre="drum-and-bass", tempo=115)
    assert len(slow.notes) > len(dnb.notes)


def test_half_time_and_double_time_are_real() -> None:
    straight = compose("drums", "beat", genre="house", bars=1)
    half = compose("drums", "half-time beat", genre="house", bars=1)
    double = compose("drums", "double-time beat", genre="house", bars=1)

    def claps(part: Part) -> list[float]:
        return sorted(round(n.start * 4) / 4 for n in part.notes if n.pitch == DRUM_NOTES["clap"])

    assert claps(straight) == [1.0, 3.0]
    assert claps(half) == [2.0]
    assert len(claps(double)) == 4
    for layer in ("lead", "bass"):
        base = compose(layer, NEUTRAL[layer], bars=4)
        assert len(compose(layer, f"half-time {NEUTRAL[layer]}", bars=4).notes) < len(base.notes)


def _midi_onsets_seconds(part: Part, tempo: float, meter: str = "4/4") -> list[float]:
    midi = parts_to_midi([("layer", 0.0, part)], tempo, parse_meter(meter))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    buffer.seek(0)
    loaded = mido.MidiFile(file=buffer)
    tempo_us = next(m.tempo for m in loaded.tracks[0] if m.type == "set_tempo")
    now, out = 0, []
    for message in loaded.tracks[1]:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            out.append(mido.tick2second(now, loaded.ticks_per_beat, tempo_us))
    return out


@pytest.mark.parametrize(("prompt", "percent"), [("swing 58%", 58), ("swing 62%", 62),
                                                  ("heavy swing", 66), ("straight", 50)])
def test_swing_read_back_from_the_midi_export(prompt: str, percent: float) -> None:
    tempo = 122.0
    part = compose("drums", f"busy tight beat {prompt}", genre="house", tempo=tempo)
    sixteenth = 60 / tempo / 4
    fractions = []
    for t in _midi_onsets_seconds(part, tempo):
        pair = t / (2 * sixteenth)
        within = pair - int(pair)
        if 0.25 < within < 0.85:  # the off-beat 16th of a pair
            fractions.append(within * 100)
    measured = statistics.median(fractions)
    assert measured == pytest.approx(percent, abs=1.0)


@pytest.mark.parametrize(("prompt", "ms"), [("laid back", 18.0), ("pushing", -12.0), ("", 0.0)])
def test_push_and_pull_read_back_from_the_midi_export(prompt: str, ms: float) -> None:
    tempo = 90.0
    part = compose("keys", f"{prompt} straight stabs", genre="funk", tempo=tempo, bars=4)
    sixteenth = 60 / tempo / 4
    loop = 4 * 4 * 60 / tempo
    offsets = []
    for t in _midi_onsets_seconds(part, tempo):
        grid = round(t / sixteenth) * sixteenth
        offsets.append(((t - grid + loop / 2) % loop - loop / 2) * 1000)
    assert statistics.median(offsets) == pytest.approx(ms, abs=3.0)


def test_players_are_not_machines() -> None:
    # timing feel: lo-fi keys and pads are not all on the grid, velocities breathe
    for layer in ("keys", "pad", "arp"):
        part = compose(layer, NEUTRAL[layer], genre="lo-fi-hip-hop", bars=8)
        exact = sum(abs(n.start * 4 - round(n.start * 4)) < 1e-6 for n in part.notes)
        assert exact / len(part.notes) < 0.5, layer
        assert statistics.pstdev(n.velocity for n in part.notes) > 4, layer
    # a tight techno arp stays on the grid
    arp = compose("arp", "tight arpeggio", genre="techno")
    assert all(abs(n.start * 4 - round(n.start * 4)) < 1e-6 for n in arp.notes)


def test_guitar_chords_are_strummed_in_a_guitars_register() -> None:
    part = compose("keys", "skank guitar", genre="reggae", bars=2)
    assert part.program in range(24, 32)
    groups: dict[int, list[float]] = {}
    for n in part.notes:
        groups.setdefault(round(n.start * 4), []).append(n.start)
    spreads = [max(g) - min(g) for g in groups.values() if len(g) >= 3]
    assert spreads and min(spreads) > 0.01  # strings speak one after another
    assert min(n.pitch for n in part.notes) >= 52 and max(n.pitch for n in part.notes) <= 76
    organ = compose("keys", "organ chords block", genre="reggae", bars=2)
    piano = compose("keys", "piano chords block", genre="reggae", bars=2)
    centers = {statistics.mean(n.pitch for n in p.notes) for p in (part, organ, piano)}
    assert len(centers) == 3  # each instrument in its own place


def test_ignored_words_are_reported() -> None:
    info = composition("lead", "wibbly melody with 120bpm vibes", genre="synthwave").info
    assert info.ignored_words == ["wibbly", "120bpm"]
    assert composition("lead", "soft legato melody").info.ignored_words == []
