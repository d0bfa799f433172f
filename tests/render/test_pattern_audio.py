"""A pattern drum clip at 97 BPM in 7/8, rendered with FluidSynth: every hit is heard
at its event's place in the bar, within the genre's humanising window."""

from __future__ import annotations

import numpy as np
import pytest

from livetimbre.engine.transport import Transport
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.patterns import events
from livetimbre.render.offline import render_session
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.render.conftest import RATE, procedural

PATTERN = "bd ~ ~ sd ~ <cp rim> ~"
PATCH = f"""
session: {{genre: funk, tempo: 97, meter: 7/8, key: A minor, seed: 3, bars: 2}}
layers:
  drums: {{instrument: standard kit}}
scenes:
  - name: a
    clips: {{drums: {{pattern: "{PATTERN}", prompt: "loose live feel"}}}}
"""


def _onsets(mono: np.ndarray) -> list[int]:
    """Frames (to the millisecond) where the peak level jumps to 3× what it was 10 ms
    before and past 0.1; one onset per 250 ms (the hits lie 620 ms apart or more)."""
    hop = RATE // 1000
    peaks = np.abs(mono[: len(mono) // hop * hop]).reshape(-1, hop).max(axis=1)
    before = np.concatenate([np.zeros(10), peaks[:-10]])
    found: list[int] = []
    for index in np.flatnonzero((peaks > 0.1) & (peaks > 3 * before)):
        if not found or index * hop - found[-1] > RATE // 4:
            found.append(int(index) * hop)
    return found


@pytest.mark.timeout(300)
def test_every_hit_sounds_at_its_event_within_the_humanising_window(
        genres: GenreRegistry, fluid: FluidSynthRenderer) -> None:
    session = parse_patch(PATCH, "pattern.yaml", genres)
    render = render_session(session, procedural(genres, fluid), sample_rate=RATE)
    transport = Transport(RATE, session.tempo, session.meter)
    start = transport.frame_at(0)
    expected = [start + round(e.begin * transport.samples_per_bar)
                for e in events(PATTERN, 0, 2)]
    heard = _onsets(render.mastered.audio.mean(axis=1))[:len(expected)]
    window = genres.get("funk").rhythm.humanize_ms / 1000 * RATE
    assert len(heard) == len(expected), (heard, expected)
    assert all(abs(h - e) <= window + RATE // 1000 for h, e in zip(heard, expected,
                                                                        strict=True)), \
        (heard, expected)
