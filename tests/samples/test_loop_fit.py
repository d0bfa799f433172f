"""A user's loop at 93 BPM, in a file at 44.1 kHz, played by a 120 BPM session at 48 kHz:
re-tracked beats within ±10 ms of the grid, the clip exactly its bars long, a seamless
wrap; with `key: auto` its key is estimated (A minor) and it is shifted into the
session's (C minor: +3 semitones) within ±20 cents. Without a bpm the tempo is found
from its beats, and a tempo change fits it again."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from livetimbre.fitting import correct_octave
from livetimbre.fitting.beats import track_beats
from livetimbre.fitting.fit import grid_error_ms
from livetimbre.fitting.key import estimate_key, semitones_between
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.backends.base import RenderedClip
from livetimbre.render.worker import check_rendered
from livetimbre.session.model import ClipSlot, Layer, SampleRef, Scene, Session
from tests.samples import files

pytestmark = pytest.mark.timeout(300)
SOURCE_RATE = 44100
ENGINE = 48000


def _render(genres: GenreRegistry, path: Path, tempo: float, bpm: float | None,
            key: str | None) -> RenderedClip:
    session = Session(tempo=tempo, key="C minor", meter="4/4", genre="house", seed=1, bars=4,
                      layers=(Layer("loop"),),
                      scenes=(Scene("a", {"loop": ClipSlot("", sample=SampleRef(
                          str(path), bpm, key))}),))
    plan = build_clip_plan(session, "loop", 0, genres.get("house"), ENGINE)
    assert plan.backend == "sample" and plan.sample is not None
    backend = Backends(BackendContext(ENGINE, genres, "basic")).get("sample")
    return check_rendered(backend.render(plan), backend)


def _grid_error(loop: np.ndarray, tempo: float) -> float:
    """The worst re-tracked beat's distance from the grid (ms), the loop played twice and
    read on its second pass (the seam's beat counts)."""
    track = correct_octave(track_beats(np.concatenate([loop, loop]), ENGINE, tempo, 4), tempo)
    beat = 60 / tempo
    span = loop.shape[0] / ENGINE
    return grid_error_ms(track.beats, beat, 2 * span - beat / 2, span - beat / 2)


def _peak_hz(audio: np.ndarray, low: float, high: float) -> float:
    """The strongest frequency in [low, high] Hz (windowed FFT, parabolic peak)."""
    mono = audio.mean(axis=1) * np.hanning(audio.shape[0])
    spectrum = np.log(np.abs(np.fft.rfft(mono)) + 1e-12)
    hz = np.fft.rfftfreq(audio.shape[0], 1 / ENGINE)
    band = np.flatnonzero((hz >= low) & (hz <= high))
    i = band[int(np.argmax(spectrum[band]))]
    a, b, c = spectrum[i - 1], spectrum[i], spectrum[i + 1]
    return float(hz[i] + 0.5 * (a - c) / (a - 2 * b + c) * (hz[1] - hz[0]))


@pytest.fixture(scope="module")
def loop_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("loops")
    return files.write_wav(folder / "break93.wav", files.tonal_loop(SOURCE_RATE, 93.0),
                           SOURCE_RATE)


@pytest.fixture(scope="module")
def fitted(genres: GenreRegistry, loop_file: Path) -> RenderedClip:
    return _render(genres, loop_file, 120.0, 93.0, "auto")


def test_the_loop_lands_on_the_grid_exactly_its_bars_long(fitted: RenderedClip) -> None:
    frames = math.ceil(4 * bar_samples(ENGINE, 120.0, parse_meter("4/4")))
    assert fitted.audio.shape == (frames, 2) == (384000, 2)
    info = fitted.info.fit
    assert info is not None and info.fit == "beats", info
    assert abs(info.tempo_before - 93.0) < 1.0
    assert _grid_error(fitted.audio, 120.0) <= 10.0
    assert info.grid_error_ms is not None and info.grid_error_ms <= 10.0
    assert info.seam_step_dbfs is not None and info.seam_step_dbfs <= -60


def test_the_key_is_estimated_shown_and_shifted_to_the_session_key(
        fitted: RenderedClip) -> None:
    sample = fitted.info.loop
    assert sample is not None
    assert (sample.file, sample.sample_rate, sample.bpm) == ("break93.wav", 44100, 93.0)
    assert sample.key_estimated == "A minor" and sample.key_from == "A minor"
    assert sample.shift_semitones == 3 and sample.shifter == "rubberband"
    # A minor's A, C, E (220, 261.6, 329.6 Hz) are now C minor's C, Eb, G.
    for expected in (311.13, 392.0):
        found = _peak_hz(fitted.audio, expected * 0.96, expected * 1.04)
        assert abs(1200 * math.log2(found / expected)) <= 20, (expected, found)


def test_without_a_bpm_the_tempo_is_tracked_and_a_tempo_change_refits(
        genres: GenreRegistry, loop_file: Path) -> None:
    clip = _render(genres, loop_file, 100.0, None, None)
    assert clip.audio.shape[0] == math.ceil(4 * bar_samples(ENGINE, 100.0,
                                                            parse_meter("4/4")))
    info = clip.info.fit
    assert info is not None and info.fit == "beats" and abs(info.tempo_before - 93) < 1
    assert _grid_error(clip.audio, 100.0) <= 10.0
    sample = clip.info.loop
    assert sample is not None and sample.shift_semitones == 0 and sample.key_from is None


def test_keys_move_by_the_smallest_step_between_their_scales() -> None:
    def step(a: str, b: str) -> int:
        return semitones_between(parse_key(a), parse_key(b))

    assert step("A minor", "C minor") == 3
    assert step("A minor", "C major") == 0  # relative keys share their notes
    assert step("C major", "F# major") == -6 and step("C major", "F major") == 5
    assert step("E dorian", "D major") == 0


def test_a_major_chord_reads_as_its_key_and_a_drum_hit_as_none() -> None:
    t = np.arange(3 * ENGINE) / ENGINE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (261.63, 329.63, 392.0, 523.25))
    estimate = estimate_key(np.asarray(chord, np.float32), ENGINE)
    assert estimate is not None and str(estimate.key) == "C major"
    assert estimate_key(np.zeros(ENGINE, np.float32), ENGINE) is None
