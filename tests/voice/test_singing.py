"""The singer: pitch, timing, syllables, rests, breaths, determinism and the length
contract, each measured from the audio, with a deliberately wrong render beside each
check to show the check can fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from livetimbre.voice.score import VOICE_RANGES, SungNote, VocalLine, VoiceType
from livetimbre.voice.singing import TAIL_SECONDS, sing, singer_status, sung_frames
from tests.voice.singing_measure import (
    MAJOR,
    line_of,
    pitch_share,
    voiced_stretches,
    vowel_onsets,
)

pytestmark = pytest.mark.skipif(singer_status() is not None,
                                reason=f"no singer here: {singer_status()}")
RATE = 22050
TEMPO = 120.0
WORDS = ("take", "time", "to", "sing", "my", "love", "come", "back")
TUNE = (0, 2, 4, 3, 1, 4, 5, 7, 6, 4, 2, 0)


def _tune(voice: VoiceType, key: int) -> list[int]:
    low = VOICE_RANGES[voice][0]
    return [low + 2 + key + MAJOR[d] for d in TUNE]


def _transposed(line: VocalLine, semitones: int) -> VocalLine:
    notes = tuple(dataclasses.replace(n, pitch=n.pitch + semitones) for n in line.notes)
    return dataclasses.replace(line, notes=notes)


def _late(line: VocalLine, beats: float) -> VocalLine:
    notes = tuple(dataclasses.replace(n, start=n.start + beats) for n in line.notes)
    return dataclasses.replace(line, notes=notes, beats=line.beats + beats)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("voice", ["soprano", "tenor", "baritone"])
@pytest.mark.parametrize("key", [0, 3, 7])
def test_pitch_follows_the_written_notes(voice: VoiceType, key: int) -> None:
    pytest.importorskip("librosa")
    line = line_of(WORDS, _tune(voice, key), voice, beats=1.0)
    share, frames = pitch_share(sing(line, tempo=TEMPO, sample_rate=RATE, seed=key), RATE,
                                line, TEMPO)
    assert frames > 0.5 * len(line.notes) * 0.5 / (256 / RATE)  # most frames are voiced
    assert share >= 0.9, f"{voice} in key +{key}: {share:.1%} of frames within ±50 cents"


@pytest.mark.timeout(120)
def test_a_detuned_render_fails_the_pitch_check() -> None:
    pytest.importorskip("librosa")
    line = line_of(WORDS, _tune("tenor", 0), "tenor")
    detuned = sing(_transposed(line, 1), tempo=TEMPO, sample_rate=RATE, seed=1)
    share, _ = pitch_share(detuned, RATE, line, TEMPO)
    assert share < 0.2


@pytest.mark.timeout(120)
@pytest.mark.parametrize("voice", ["tenor", "baritone"])
def test_vowels_start_on_their_notes(voice: VoiceType) -> None:
    line = line_of(WORDS, _tune(voice, 0)[:8], voice, beats=1.0)
    audio = sing(line, tempo=TEMPO, sample_rate=RATE, seed=2)
    errors = [round((onset - n.start * 60 / TEMPO) * 1000)
              for onset, n in zip(vowel_onsets(audio, RATE, line, TEMPO), line.notes,
                                  strict=True)]
    assert max(abs(e) for e in errors) <= 30, f"vowel onsets off by {errors} ms"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("voice", ["soprano", "alto"])
def test_high_vowels_after_voiceless_consonants_start_on_their_notes(voice: VoiceType
                                                                      ) -> None:
    """Above ~300 Hz a nasal's or lateral's first harmonic falls in the measuring band,
    so for the upper voices only syllables after voiceless consonants are measured."""
    words = ("take", "time", "to", "sing", "pass", "keep", "top", "sit")
    line = line_of(words, _tune(voice, 2)[:8], voice, beats=1.0)
    audio = sing(line, tempo=TEMPO, sample_rate=RATE, seed=2)
    errors = [round((onset - n.start * 60 / TEMPO) * 1000)
              for onset, n in zip(vowel_onsets(audio, RATE, line, TEMPO), line.notes,
                                  strict=True)]
    assert max(abs(e) for e in errors) <= 30, f"{voice} vowel onsets off by {errors} ms"


@pytest.mark.timeout(120)
def test_a_late_render_fails_the_timing_check() -> None:
    line = line_of(WORDS, _tune("tenor", 0)[:8], "tenor", beats=1.0)
    late = sing(_late(line, 0.12), tempo=TEMPO, sample_rate=RATE, seed=2)  # 60 ms late
    errors = [onset - n.start * 60 / TEMPO
              for onset, n in zip(vowel_onsets(late, RATE, line, TEMPO), line.notes,
                                  strict=True)]
    assert sum(e > 0.03 for e in errors) >= 6 and float(np.median(errors)) > 0.045


@pytest.mark.timeout(120)
def test_one_voiced_stretch_per_syllable_melismas_included() -> None:
    words = ("take", "time", "to", "sit", "pass")
    pitches = [57, 59, 60, 62, 64, 62, 60, 59]
    line = line_of(words, pitches, "tenor", melisma=(3, 4, 6))
    assert (line.syllables, len(line.notes)) == (5, 8)
    audio = sing(line, tempo=TEMPO, sample_rate=RATE, seed=4)
    assert voiced_stretches(audio, RATE) == line.syllables
    # the same notes each sung as a syllable of its own: a consonant before every note
    plain = dataclasses.replace(line, notes=tuple(
        dataclasses.replace(n, melisma=False) for n in line.notes))
    assert voiced_stretches(sing(plain, tempo=TEMPO, sample_rate=RATE, seed=4), RATE) == 8


def _rest_level(audio: np.ndarray, start_s: float, end_s: float) -> float:
    part = audio[round(start_s * RATE):round(end_s * RATE)].astype(np.float64)
    return float(np.sqrt(np.mean(part**2)))


@pytest.mark.timeout(120)
def test_rests_are_silent_and_breaths_are_heard() -> None:
    # two notes of a beat with three beats of rest between them (1.5 s at 120 BPM)
    line = line_of(("take", "time"), [57, 60], "alto", beats=1.0, gap=3.0)
    audio = sing(line, tempo=TEMPO, sample_rate=RATE, seed=5)
    rest = (0.5 + 0.1, 2.0 - 0.3)  # after the release, before the next consonant
    assert _rest_level(audio, *rest) < 1e-4
    sung = _rest_level(audio, 0.1, 0.4)
    assert sung > 1e-2
    breathing = line_of(("take", "time"), [57, 60], "alto", beats=1.0, gap=3.0,
                        breath_after=(0,))
    breath = _rest_level(sing(breathing, tempo=TEMPO, sample_rate=RATE, seed=5), *rest)
    assert 1e-4 < breath < 0.3 * sung


@pytest.mark.timeout(120)
def test_deterministic_for_a_seed() -> None:
    line = line_of(WORDS, _tune("alto", 0)[:6], "alto", beats=1.5)
    first = sing(line, tempo=100, sample_rate=RATE, seed=9)
    assert np.array_equal(first, sing(line, tempo=100, sample_rate=RATE, seed=9))
    assert not np.array_equal(first, sing(line, tempo=100, sample_rate=RATE, seed=10))


@pytest.mark.timeout(120)
@pytest.mark.parametrize(("beats", "tempo", "rate"), [(8.0, 120.0, 48000), (7.0, 97.5, 44100),
                                                       (4.0, 60.0, 22050)])
def test_length_contract(beats: float, tempo: float, rate: int) -> None:
    line = line_of(WORDS, [60, 62, 64, 65], "tenor", tail_beats=beats - 4)
    audio = sing(line, tempo=tempo, sample_rate=rate, seed=1)
    expected = round(beats * 60 / tempo * rate) + round(TAIL_SECONDS * rate)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert audio.size == expected == sung_frames(beats, tempo, rate)
    assert float(np.abs(audio).max()) <= 1.0
    empty = sing(VocalLine("tenor", beats, (), ()), tempo=tempo, sample_rate=rate, seed=1)
    assert empty.size == expected and not empty.any()


@pytest.mark.timeout(120)
def test_words_without_phonemes_are_sung_from_their_letters() -> None:
    texts = ("café", "über", "", "!!!", "naïve", "x" * 500)
    notes = tuple(SungNote(start=float(i), duration=0.9, pitch=60, velocity=90, syllable=t,
                           word=t, syllable_index=0) for i, t in enumerate(texts))
    bad = (SungNote(start=6.0, duration=0.9, pitch=60, velocity=90, syllable="la", word="la",
                    syllable_index=0, phonemes=("QQ", "--")),)
    audio = sing(VocalLine("alto", 8.0, notes + bad, ()), tempo=TEMPO, sample_rate=RATE,
                 seed=1)
    assert np.all(np.isfinite(audio))
    for i in range(7):  # every note sounds
        assert _rest_level(audio, i * 0.5 + 0.1, i * 0.5 + 0.35) > 1e-3


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("tempo", "rate"), [(0.0, 48000), (float("nan"), 48000),
                                             (120.0, 100)])
def test_bad_settings_are_named(tempo: float, rate: int) -> None:
    from livetimbre.errors import ValueProblem

    with pytest.raises(ValueProblem, match=r"tempo|sample rate"):
        sing(VocalLine("alto", 4.0, (), ()), tempo=tempo, sample_rate=rate, seed=1)


@pytest.mark.timeout(180)
def test_odd_lines_sing_within_the_contract() -> None:
    """Notes before the line, past its end, overlapping, a melisma first, zero
    velocity, extreme pitches and lengths: finite audio of the promised length."""
    import random

    from tests.voice.singing_measure import WORDS

    rng = random.Random(3)
    for k in range(12):
        notes = []
        for _ in range(rng.randint(0, 10)):
            word = rng.choice(sorted(WORDS))
            notes.append(SungNote(start=rng.uniform(-1, 9), duration=rng.choice([0.01, 0.5, 5]),
                                  pitch=rng.randint(36, 90), velocity=rng.randint(0, 127),
                                  syllable=word, word=word, syllable_index=0,
                                  phonemes=WORDS[word] if rng.random() < 0.7 else (),
                                  melisma=rng.random() < 0.3, breath_after=rng.random() < 0.3))
        line = VocalLine(rng.choice(["soprano", "tenor"]), rng.choice([0.0, 1.0, 8.0]),
                         tuple(notes), ())
        tempo, rate = rng.choice([40.0, 300.0]), rng.choice([22050, 48000])
        audio = sing(line, tempo=tempo, sample_rate=rate, seed=k)
        assert audio.size == sung_frames(line.beats, tempo, rate)
        assert np.all(np.isfinite(audio)) and float(np.abs(audio).max()) <= 1.0
