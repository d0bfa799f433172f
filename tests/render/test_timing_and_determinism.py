"""Timing of a launch heard in the audio, and bit-identical re-renders."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from livetimbre.engine.transport import Transport
from livetimbre.genres import GenreRegistry
from livetimbre.patch import parse_patch
from livetimbre.render.offline import render_session
from livetimbre.synth.fluid import FluidSynthRenderer
from tests.render.conftest import RATE, procedural

SILENCE_THEN_DRUMS = """
session: {genre: house, tempo: 107, key: A minor, seed: 3, bars: 2}
layers:
  drums: {instrument: standard kit}
  pads: {}
scenes:
  - name: silence
    clips: {}
  - name: hit
    clips: {drums: "tight four on the floor, no fill"}
"""


def test_drum_hit_after_a_silent_scene_starts_within_1ms_of_the_bar(
    genres: GenreRegistry, fluid: FluidSynthRenderer
) -> None:
    session = parse_patch(SILENCE_THEN_DRUMS, "timing.yaml", genres)
    render = render_session(session, procedural(genres, fluid), sample_rate=RATE)
    transport = Transport(RATE, session.tempo, session.meter)
    assert transport.samples_per_bar.denominator != 1  # a bar is not a whole number of samples
    bar_line = transport.frame_at(2)
    audio = render.mastered.audio
    assert np.all(audio[:bar_line] == 0.0), "sound before the scene launched"
    loud = np.flatnonzero(np.abs(audio[bar_line:]).max(axis=1) > 10 ** (-50 / 20))
    onset = int(loud[0])
    assert onset <= RATE // 1000, f"hit starts {onset} samples after the bar line"
    assert [e.frame for e in render.events if e.kind == "launch"] == [bar_line]


NIGHT = """
session: {genre: synthwave, tempo: 104, key: A minor, seed: 7, bars: 2}
layers:
  drums: {}
  bass: {}
  lead: {}
scenes:
  - name: a
    clips: {drums: "driving beat", bass: "pulsing octave bass", lead: "soaring melody"}
"""


def test_same_seed_same_audio_other_seed_other_notes(
    genres: GenreRegistry, fluid: FluidSynthRenderer
) -> None:
    session = parse_patch(NIGHT, "night.yaml", genres)
    first = render_session(session, procedural(genres, fluid), sample_rate=RATE)
    again = render_session(session, procedural(genres, fluid), sample_rate=RATE)
    assert np.array_equal(first.mastered.audio, again.mastered.audio)
    other = render_session(replace(session, seed=8), procedural(genres, fluid), sample_rate=RATE)
    for key, clip in first.clips.items():
        if key[0] == "drums":
            continue  # drum patterns come from the genre; velocities still differ
        assert clip.part.notes != other.clips[key].part.notes, f"{key} did not change"
    assert not np.array_equal(first.mastered.audio, other.mastered.audio)
