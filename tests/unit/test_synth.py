"""Loop folding and the basic numpy synth (synth.base, synth.basic)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from livetimbre.music.notes import NoteEvent, Part
from livetimbre.synth.base import fold_loop, note_frames
from livetimbre.synth.basic import BasicSynth


def _ramp(n: int) -> np.ndarray:
    raw = np.zeros((n, 2), np.float32)
    raw[:, 0] = np.arange(1, n + 1)
    raw[:, 1] = -np.arange(1, n + 1) * 0.5
    return raw


def test_fold_loop_wraps_tail_onto_start() -> None:
    raw = _ramp(25)
    out = fold_loop(raw, 10)
    assert out.shape == (10, 2) and out.dtype == np.float32
    # frame i collects raw[i], raw[i + 10], raw[i + 20] (when they exist)
    expected = np.array([raw[i, 0] + raw[i + 10, 0] + (raw[i + 20, 0] if i + 20 < 25 else 0)
                         for i in range(10)])
    np.testing.assert_array_equal(out[:, 0], expected)
    np.testing.assert_array_equal(out[:, 1], -0.5 * expected)
    np.testing.assert_allclose(out.sum(axis=0), raw.sum(axis=0), rtol=1e-6)


def test_fold_loop_exact_length_is_unchanged() -> None:
    raw = _ramp(10)
    np.testing.assert_array_equal(fold_loop(raw, 10), raw)


def test_fold_loop_pads_short_audio() -> None:
    raw = _ramp(4)
    out = fold_loop(raw, 10)
    assert out.shape == (10, 2)
    np.testing.assert_array_equal(out[:4], raw)
    assert not out[4:].any()


def test_fold_loop_preserves_sum_of_random_audio() -> None:
    rng = np.random.default_rng(5)
    raw = rng.standard_normal((123_457, 2)).astype(np.float32)
    out = fold_loop(raw, 44_100)
    assert out.shape == (44_100, 2)
    np.testing.assert_allclose(out.sum(axis=0, dtype=np.float64),
                               raw.sum(axis=0, dtype=np.float64), rtol=1e-4, atol=1e-2)
    np.testing.assert_allclose(out[100], raw[100] + raw[44_200] + raw[88_300], rtol=1e-6)


def test_note_frames_rounds_exact_beats() -> None:
    spb = Fraction(24000)  # 120 BPM at 48 kHz
    assert note_frames(NoteEvent(1.0, 0.5, 60, 100), spb) == (24000, 36000)
    assert note_frames(NoteEvent(0.25, 0.0, 60, 100), spb) == (6000, 6001)  # at least a frame
    odd = Fraction(44100 * 60, 107)
    on, off = note_frames(NoteEvent(3.0, 1.0, 60, 100), odd)
    assert on == round(3 * 44100 * 60 / 107) and off == round(4 * 44100 * 60 / 107)


PART = Part(
    role="chords", bank=0, program=4, beats=4.0,
    notes=(NoteEvent(0.0, 1.0, 60, 100), NoteEvent(1.0, 1.0, 64, 90),
           NoteEvent(2.0, 2.0, 67, 80), NoteEvent(3.5, 1.5, 72, 70)),
)
DRUMS = Part(
    role="drums", bank=128, program=0, beats=4.0,
    notes=(NoteEvent(0.0, 0.2, 36, 110), NoteEvent(1.0, 0.2, 38, 100),
           NoteEvent(1.5, 0.2, 42, 80), NoteEvent(3.0, 0.2, 49, 100)),
)


@pytest.mark.parametrize("part", [PART, DRUMS], ids=["keys", "drums"])
def test_basic_synth_is_deterministic_and_long_enough(part: Part) -> None:
    spb = Fraction(24000)
    frames = 96000
    a = BasicSynth(48000).render(part, spb, frames)
    b = BasicSynth(48000).render(part, spb, frames)
    assert a.dtype == np.float32 and a.ndim == 2 and a.shape[1] == 2
    assert a.shape[0] >= frames
    np.testing.assert_array_equal(a, b)
    assert np.isfinite(a).all()
    assert np.abs(a).max() < 1.0
    assert BasicSynth(48000).describe()["synth"] == "basic"


def test_basic_synth_notes_start_on_their_frames() -> None:
    spb = Fraction(24000)
    out = BasicSynth(48000).render(PART, spb, 96000)
    assert np.abs(out[:24000]).max() > 0.01  # the first note sounds
    # a lone note on beat 1: silence before its frame, sound right after it
    single = Part("chords", 0, 4, 4.0, (NoteEvent(1.0, 1.0, 64, 90),))
    solo = BasicSynth(48000).render(single, spb, 96000)
    assert not solo[:24000].any()
    assert np.abs(solo[24000:24100]).max() > 0


def test_basic_synth_silence_and_tail() -> None:
    spb = Fraction(24000)
    empty = Part("chords", 0, 0, 4.0, ())
    out = BasicSynth(48000).render(empty, spb, 96000)
    assert out.shape[0] >= 96000 and not out.any()
    late = Part("pad", 0, 89, 4.0, (NoteEvent(3.0, 1.0, 60, 100),))
    raw = BasicSynth(48000).render(late, spb, 96000)
    assert np.abs(raw[96000:]).max() > 0.001  # the release rings past the loop end
    folded = fold_loop(raw, 96000)
    assert np.abs(folded[:1000]).max() > 0.001  # and wraps onto the start
