"""The fitter on audio whose beats are known (procedural renders off the session tempo):
re-tracked beats of the fitted loop lie within ±10 ms of the grid, its tempo within
±0.5 BPM, its length is exact and its seam adds no step."""

from __future__ import annotations

import math

import numpy as np
import pytest

from livetimbre.fitting import BeatTrack, correct_octave, fit_to_grid, seam_step_dbfs
from livetimbre.fitting.beats import track_beats
from livetimbre.fitting.fit import grid_error_ms
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from tests.musicgen.helpers import procedural_drums, seam_excess

pytestmark = pytest.mark.timeout(180)
SOURCE_RATE = 32000  # MusicGen's
ENGINE = 48000
METER = parse_meter("4/4")


def _retracked(loop: np.ndarray, tempo: float) -> tuple[float, float]:
    """(worst beat's distance from the grid in ms, tempo) of the loop played twice, read
    by the tracker on the second pass (so the seam's beat counts)."""
    track = correct_octave(track_beats(np.concatenate([loop, loop]), ENGINE, tempo, 4), tempo)
    beat = 60 / tempo
    span = loop.shape[0] / ENGINE
    return grid_error_ms(track.beats, beat, 2 * span - beat / 2, span - beat / 2), track.bpm


@pytest.mark.parametrize(("source_tempo", "prompt"), [
    (113.0, "four on the floor kick with claps and hats"),
    (127.0, "breakbeat drums"),
    (61.0, "half-time drums with hats"),  # about half the session tempo
])
def test_off_tempo_audio_lands_on_the_grid(genres: GenreRegistry, source_tempo: float,
                                           prompt: str) -> None:
    audio = procedural_drums(genres, source_tempo, SOURCE_RATE, prompt=prompt)
    fitted = fit_to_grid(audio, SOURCE_RATE, tempo=120.0, meter=METER, bars=4,
                         engine_rate=ENGINE)
    info = fitted.info
    assert info.fit == "beats" and info.tracker == "librosa", info
    assert fitted.audio.shape == (4 * 96000, 2)
    error, tempo = _retracked(fitted.audio, 120.0)
    assert error <= 10.0, info
    assert abs(tempo - 120.0) <= 0.5, info
    assert info.grid_error_ms <= 10.0 and abs(info.tempo_after - 120.0) <= 0.5
    detected = info.tempo_before * info.octave_correction
    # The stretch (output length / input length) undid the tempo difference.
    assert abs(detected / info.stretch_ratio - 120.0) < 1.0
    assert info.stretcher == "rubberband"
    assert seam_excess(fitted.audio) <= 1e-3 and info.seam_step_dbfs <= -60
    for key in ("beat_confidence_before", "beat_confidence_after", "cut_point_s",
                "stretch_ratio", "tempo_before", "tempo_after"):
        assert key in info.model_fields_set


def test_a_bar_that_is_no_whole_number_of_samples_is_cut_exactly(
        genres: GenreRegistry) -> None:
    per_bar = bar_samples(ENGINE, 113.0, METER)
    assert per_bar.denominator != 1
    audio = procedural_drums(genres, 110.0, SOURCE_RATE)
    fitted = fit_to_grid(audio, SOURCE_RATE, tempo=113.0, meter=METER, bars=3,
                         engine_rate=ENGINE)
    assert fitted.audio.shape[0] == math.ceil(3 * per_bar)
    error, tempo = _retracked(fitted.audio, 113.0)
    assert error <= 10.0 and abs(tempo - 113.0) <= 0.5


def test_a_half_tempo_reading_is_doubled_and_a_double_one_halved() -> None:
    half = BeatTrack(np.arange(0, 8, 1.0), np.arange(0, 8, 4.0), 0.9, "test", 60.0)
    doubled = correct_octave(half, 120.0)
    assert doubled.correction == 2.0 and doubled.bpm == pytest.approx(120.0)
    assert len(doubled.beats) == 15
    double = BeatTrack(np.arange(0, 8, 0.25), np.arange(0, 8, 2.0), 0.9, "test", 240.0)
    halved = correct_octave(double, 120.0)
    assert halved.correction == 0.5 and halved.bpm == pytest.approx(120.0)
    assert set(halved.downbeats) <= set(halved.beats)


def test_without_beats_the_clip_is_cut_by_length_and_says_so() -> None:
    noise = np.random.default_rng(1).normal(0, 0.1, (SOURCE_RATE * 12, 1)).astype(np.float32)
    fitted = fit_to_grid(noise, SOURCE_RATE, tempo=120.0, meter=METER, bars=4,
                         engine_rate=ENGINE)
    assert fitted.info.fit == "length" and fitted.info.reason == "no beat found"
    assert fitted.info.stretch_ratio == 1.0
    assert fitted.audio.shape[0] == 4 * 96000
    assert seam_step_dbfs(fitted.audio, ENGINE) <= -60


def test_a_confident_neural_track_is_preferred(genres: GenreRegistry) -> None:
    audio = procedural_drums(genres, 118.0, SOURCE_RATE)
    beats = np.arange(0, audio.shape[0] / SOURCE_RATE, 60 / 118.0)
    neural = BeatTrack(beats, beats[::4], 0.95, "beat_this", 118.0)
    fitted = fit_to_grid(audio, SOURCE_RATE, tempo=120.0, meter=METER, bars=2,
                         engine_rate=ENGINE, neural=neural)
    assert fitted.info.tracker == "beat_this" and fitted.info.downbeat == "tracked"
    assert fitted.info.grid_error_ms <= 10.0


def test_the_seam_measure_flags_a_butt_cut() -> None:
    t = np.arange(48000) / 48000
    wave = (0.5 * np.sin(2 * np.pi * 3.3 * t))[:, None].astype(np.float32)  # no whole cycle
    assert seam_step_dbfs(wave, 48000) > -60
