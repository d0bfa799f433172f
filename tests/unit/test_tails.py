"""A loop's tail: what rings on when it stops at the end of a pass (synth.base.loop_tail)
and how it is balanced with the loop (render.mixing.balance_tail)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfilt

from livetimbre.render.mixing import balance, balance_tail
from livetimbre.synth.base import fold_loop, loop_tail

RATE = 48000


@pytest.mark.parametrize("ring", [300, 1000, 2500])
def test_passes_then_the_tail_are_exactly_what_the_notes_play(ring: int) -> None:
    """Overlap-adding the raw render of each pass is what looping really sounds like;
    the folded loop, then the tail, must be the same samples once the loop is steady."""
    frames, passes = 1000, 6
    raw = np.random.default_rng(1).standard_normal((frames + ring, 2)).astype(np.float32)
    heard = np.zeros((passes * frames + ring, 2), np.float64)
    for p in range(passes):
        heard[p * frames:p * frames + raw.shape[0]] += raw
    played = np.concatenate([fold_loop(raw, frames), loop_tail(raw, frames)])
    np.testing.assert_allclose(played, heard[(passes - 1) * frames:], atol=1e-5)


def test_a_render_that_ends_with_the_loop_has_an_empty_tail() -> None:
    raw = np.ones((1000, 2), np.float32)
    assert loop_tail(raw, 1000).shape == (0, 2)


def _decaying(seconds: float, level: float, hz: float = 220.0, decay: float = 3.0
              ) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    wave = level * np.sin(2 * np.pi * hz * t) * np.exp(-decay * t)
    return np.stack([wave, wave], axis=1).astype(np.float32)


def test_the_tail_is_what_the_balanced_loop_rings_on_with() -> None:
    """The loop played over and over, then stopped: the same 20 Hz high-pass and gain as
    the loop had, continuing from its end without a step."""
    raw = _decaying(4.0, 0.3)
    frames, passes = RATE, 8
    folded = fold_loop(raw, frames)
    loop, _, gain_db = balance(folded, "pad", RATE)
    tail = balance_tail(folded, loop_tail(raw, frames), "pad", RATE, gain_db)
    heard = np.zeros((passes * frames + raw.shape[0] - frames, 2), np.float64)
    for p in range(passes):
        heard[p * frames:p * frames + raw.shape[0]] += raw
    sos = butter(2, 20.0, "highpass", fs=RATE, output="sos")
    heard = sosfilt(sos, heard, axis=0) * 10 ** (gain_db / 20)
    last_pass = (passes - 1) * frames
    np.testing.assert_allclose(loop, heard[last_pass:last_pass + frames], atol=2e-5)
    fade = RATE // 20
    ringing = tail.shape[0] - fade
    np.testing.assert_allclose(tail[:ringing], heard[passes * frames:][:ringing], atol=2e-5)
    assert not tail[-1].any()


def test_a_tail_still_sounding_when_the_synth_stopped_is_faded_to_silence() -> None:
    """A tail cut off at the synth's limit ends with a fade that adds no step over
    −60 dBFS, even at the loudest level the role allows."""
    raw = _decaying(2.0, 0.8, hz=110.0, decay=0.0)  # still at full level when it ends
    frames = RATE
    folded = fold_loop(raw, frames)
    _, _, gain_db = balance(folded, "bass", RATE)
    tail = balance_tail(folded, loop_tail(raw, frames), "bass", RATE, gain_db)
    unfaded = loop_tail(raw, frames) * 10 ** (gain_db / 20)
    assert tail.shape[0] == unfaded.shape[0]
    added = np.abs(np.diff(tail[:, 0])) - np.abs(np.diff(unfaded[:, 0]))
    assert added.max() <= 10 ** (-60 / 20)
    assert not tail[-1].any()


def test_a_silent_tail_is_empty() -> None:
    raw = np.zeros((2 * RATE, 2), np.float32)
    raw[:RATE // 2] = _decaying(0.5, 0.3)
    folded = fold_loop(raw, RATE)
    assert balance_tail(folded, loop_tail(raw, RATE), "lead", RATE, 0.0).shape == (0, 2)
