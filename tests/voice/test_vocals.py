"""compose_vocals: a singable line in range, mostly stepwise, in key and meter, cadences
on chord tones, home at the end, one syllable a note (melismas marked), stresses on
beats, the chorus carrying the layer's motif; and the measures catch bad melodies."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from itertools import pairwise

import pytest

from livetimbre.compose.direction import direct
from livetimbre.compose.harmony import plan_harmony
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.voice.lyrics_read import read_lyrics
from livetimbre.voice.lyrics_words import syllables
from livetimbre.voice.score import VOICE_RANGES, VOICE_TYPES, VoiceType
from livetimbre.voice.writing import (
    VOICE_PROGRAM,
    VocalComposition,
    compose_vocals,
    lyric_slot,
    section_of_prompt,
)
from tests.composing import GENRES, genres, make_plan
from tests.voice.measure import (
    cadence_problems,
    out_of_key,
    out_of_range,
    overlaps,
    phrasing_problems,
    step_share,
    stress_share,
    sung_phrases,
)

pytestmark = pytest.mark.timeout(60)

CASES = [(voice, key, meter, section)
         for voice, key in zip(VOICE_TYPES, ("A minor", "Eb major", "F# minor", "D dorian"),
                               strict=True)
         for meter, section in (("4/4", "verse"), ("3/4", "chorus"), ("6/8", "bridge"))]


@cache
def _plan(key: str, meter: str, bars: int = 8, genre: str = "synthwave") -> ClipPlan:
    return make_plan("vox", "sung line", genre=genre, key=key, meter=meter, bars=bars)


def _vocal(voice: VoiceType, key: str, meter: str, section: str, bars: int = 8
           ) -> VocalComposition:
    plan = _plan(key, meter, bars)
    return compose_vocals(plan, genres().get(plan.genre), section=section, voice=voice)


@pytest.mark.parametrize(("voice", "key", "meter", "section"), CASES)
def test_a_singable_line(voice: VoiceType, key: str, meter: str, section: str) -> None:
    vocal = _vocal(voice, key, meter, section)
    plan = _plan(key, meter)
    d = direct(plan, genres().get(plan.genre))
    part = vocal.part
    assert part.role == "vocals" and part.program == VOICE_PROGRAM and part.bank == 0
    assert len(part.notes) == len(vocal.line.notes) > 8
    assert out_of_range(part, VOICE_RANGES[voice]) == []
    assert step_share(part) >= 0.7
    assert out_of_key(part, parse_key(plan.key)) == []
    assert phrasing_problems(part, parse_meter(meter)) == []
    assert cadence_problems(part, parse_key(plan.key), plan_harmony(d)) == []
    assert overlaps(part) == 0
    assert stress_share(vocal.line, parse_meter(meter)) >= 0.8
    assert vocal.spec.voice == voice and vocal.line.voice == voice


@pytest.mark.parametrize(("voice", "key", "meter", "section"), CASES[:6])
def test_one_syllable_a_note_melismas_marked(voice: VoiceType, key: str, meter: str,
                                             section: str) -> None:
    line = _vocal(voice, key, meter, section).line
    sung = sum(syllables(lyric.text) for lyric in line.lines)
    assert line.syllables == sung == sum(not n.melisma for n in line.notes)
    for first, more in zip(line.notes, line.notes[1:], strict=False):
        if more.melisma:  # a melisma carries on the syllable before it
            assert (more.word, more.syllable_index) == (first.word, first.syllable_index)
    assert any(n.melisma for n in line.notes)
    assert sum(n.breath_after for n in line.notes) == len(line.lines)
    assert all(n.phonemes for n in line.notes)  # grammar words are all in CMUdict


def test_the_chorus_carries_the_layers_motif_in_every_scene() -> None:
    plans = [make_plan("vox", p, key="C major", bars=8, prompts=("chorus", "verse", "chorus"),
                       scene=s) for s, p in ((0, "chorus"), (2, "chorus"))]
    vocals = [compose_vocals(p, genres().get(p.genre), section="chorus", voice="tenor")
              for p in plans]
    key = parse_key("C major")
    for vocal in vocals:
        motif = vocal.spec.motif
        for phrase in sung_phrases(vocal.part):
            steps = [_scale_steps(key, a.pitch, b.pitch)
                     for a, b in pairwise(phrase[:len(motif)])]
            assert steps == [b - a for a, b in pairwise(motif)]
    assert vocals[0].lyric == vocals[1].lyric  # the chorus comes back word for word
    assert vocals[0].spec.motif == vocals[1].spec.motif


def _scale_steps(key, a: int, b: int) -> int:  # type: ignore[no-untyped-def]
    scale = key.scale_pitches(0, 127)
    return scale.index(b) - scale.index(a)


def test_the_users_words_short_and_long_lines() -> None:
    lyric = read_lyrics("[verse]\nOh\nwe wander through the silver morning light and never "
                        "stop until the river finds the sea again tonight\n", "test")
    plan = _plan("A minor", "4/4")
    vocal = compose_vocals(plan, genres().get(plan.genre), lyric=lyric, section="verse",
                           voice="soprano")
    line = vocal.line
    texts = [x.text for x in line.lines]
    assert texts[0] == "Oh"
    short = [n for n in line.notes if n.start < line.lines[1].start]
    assert len(short) > 1 and sum(not n.melisma for n in short) == 1  # held as a melisma
    assert {n.word for n in short} == {"Oh"}
    assert texts[3] == "Oh"  # three pieces over four phrases: the verse starts again
    assert syllables(" ".join(texts[1:3])) == syllables(lyric.sections[0].lines[1])  # split
    assert vocal.lyric.source == "user" and vocal.spec.source == "user"
    assert overlaps(vocal.part) == 0


def test_the_slot_is_what_the_clip_sings() -> None:
    plan = _plan("A minor", "4/4")
    slot = lyric_slot(plan, genres().get(plan.genre), "verse")
    vocal = compose_vocals(plan, genres().get(plan.genre), section="verse")
    assert [syllables(x.text) for x in vocal.line.lines] == list(slot.syllables)


def test_a_clip_prompt_names_its_section() -> None:
    assert section_of_prompt("soft hopeful chorus") == "chorus"
    assert section_of_prompt("a BRIDGE, sparse") == "bridge"
    assert section_of_prompt("warm and low") == "verse"


def test_deterministic() -> None:
    assert _vocal("alto", "A minor", "4/4", "verse", 4) == _vocal("alto", "A minor", "4/4",
                                                                  "verse", 4)


# The measures themselves: each one fails on a melody made to break it.
def _bad(notes: list[tuple[float, float, int]]) -> Part:
    return Part("vocals", 0, VOICE_PROGRAM, 16.0,
                tuple(NoteEvent(s, d, p, 90) for s, d, p in notes))


def test_the_measures_catch_bad_melodies() -> None:
    key, meter = parse_key("C major"), parse_meter("4/4")
    plan = _plan("C major", "4/4", 4)
    spans = plan_harmony(direct(plan, genres().get(plan.genre)))
    good = _vocal("tenor", "C major", "4/4", "verse", 4)
    assert out_of_range(good.part, VOICE_RANGES["tenor"]) == []
    leaps = _bad([(i, 0.9, 48 + 7 * (i % 3)) for i in range(12)])
    assert step_share(leaps) < 0.7
    assert out_of_range(leaps, VOICE_RANGES["soprano"]) != []
    assert out_of_key(_bad([(0, 1, 61)]), key) == [61]
    run_on = _bad([(i * 0.5, 0.5, 60) for i in range(32)])
    assert phrasing_problems(run_on, meter) != []
    uneven = _bad([(0, 1, 60), (1, 1, 62), (4, 1, 60), (12, 1, 60)])
    assert phrasing_problems(uneven, meter) != []
    past = _bad([(15, 2, 60)])
    assert phrasing_problems(past, meter) != []
    off_chord = _bad([(0, 1, 60), (1, 1, 62), (2, 1, 71)])
    chord = spans[0].chord
    off = next(p for p in range(60, 72) if p % 12 not in chord.pitch_classes()
               and p % 12 != (key.tonic + 11) % 12)
    assert cadence_problems(replace(off_chord, notes=(NoteEvent(0, 1, off, 90),)), key,
                            spans) != []
    moved = replace(good.line, notes=tuple(replace(n, start=n.start + 0.5)
                                           for n in good.line.notes))
    assert stress_share(moved, meter) < 0.8
    doubled = _bad([(0, 2, 60), (1, 1, 62)])
    assert overlaps(doubled) == 1


def test_every_genre_in_five_meters_and_lengths() -> None:
    """240 vocals: range, key, phrasing, cadences and overlaps always hold; steps and
    stresses hold in all but a few (a short line in a slow compound bar)."""
    failures: dict[str, int] = {}
    count = 0
    for i, genre in enumerate(GENRES):
        for j, (meter, bars, section) in enumerate((
                ("4/4", 8, "verse"), ("7/8", 4, "chorus"), ("5/4", 2, "bridge"),
                ("12/8", 1, "chorus"), ("4/4", 16, "chorus"))):
            voice = VOICE_TYPES[(i + j) % 4]
            plan = make_plan("vox", f"sung {section}", genre=genre, meter=meter, bars=bars,
                             seed=i)
            profile = genres().get(genre)
            vocal = compose_vocals(plan, profile, section=section, voice=voice)
            key, m = parse_key(plan.key), parse_meter(meter)
            count += 1
            for name, ok in (
                    ("range", not out_of_range(vocal.part, VOICE_RANGES[voice])),
                    ("key", not out_of_key(vocal.part, key)),
                    ("phrasing", not phrasing_problems(vocal.part, m)),
                    ("cadence", not cadence_problems(vocal.part, key,
                                                     plan_harmony(direct(plan, profile)))),
                    ("overlaps", overlaps(vocal.part) == 0),
                    ("steps", step_share(vocal.part) >= 0.7),
                    ("stress", stress_share(vocal.line, m) >= 0.8)):
                failures[name] = failures.get(name, 0) + (not ok)
    assert count == 5 * len(GENRES)
    assert {k: v for k, v in failures.items() if k not in ("steps", "stress") and v} == {}
    assert failures["steps"] + failures["stress"] <= 0.02 * count, failures


@pytest.mark.parametrize(("meter", "tempo"), [("3/4", 190.0), ("2/4", 200.0), ("7/8", 60.0)])
def test_hostile_words_in_a_short_fast_bar_are_sung(meter: str, tempo: float) -> None:
    words = ("antidisestablishmentarianism supercalifragilistic\n"
             + "oh\n" * 198 + "la " * 30)
    lyric = read_lyrics(words, "test")
    plan = make_plan("vox", "verse", key="G major", meter=meter, bars=1, tempo=tempo)
    vocal = compose_vocals(plan, genres().get(plan.genre), lyric=lyric, voice="alto")
    line = vocal.line
    assert line.notes and overlaps(vocal.part) == 0
    assert all(n.start >= 0 and n.start + n.duration <= line.beats + 1e-9 for n in line.notes)
    assert line.syllables == sum(not n.melisma for n in line.notes)


def test_random_words_in_random_clips_never_raise() -> None:
    import random

    rng = random.Random(11)
    vocabulary = ("a", "la", "oh", "river", "extraordinary", "night", "we", "wander",
                  "tomorrow", "light", "incomprehensibility", "you", "I", "fire", "café",
                  "naïve", "hmm")
    for _ in range(30):
        lines = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9)))
                 for _ in range(rng.randint(1, 6))]
        header = rng.choice(("", "[chorus]\n", "[bridge]\n"))
        lyric = read_lyrics(header + "\n".join(lines), "fuzz")
        plan = make_plan("vox", "verse", key=rng.choice(("C major", "B minor")),
                         meter=rng.choice(("4/4", "3/4", "6/8", "5/4", "7/8", "2/4")),
                         bars=rng.choice((1, 2, 3, 4, 8)),
                         tempo=float(rng.randint(50, 200)))
        vocal = compose_vocals(plan, genres().get(plan.genre), lyric=lyric,
                               section=rng.choice(("verse", "chorus", "bridge")),
                               voice=rng.choice(VOICE_TYPES))
        assert overlaps(vocal.part) == 0
        assert all(n.start + n.duration <= vocal.line.beats + 1e-9 for n in vocal.line.notes)
        assert out_of_range(vocal.part, VOICE_RANGES[vocal.line.voice]) == []
