"""beat_this's real code path with the tiny random-weight checkpoint: found where users
put it, its chunking equal to beat_this's own, and inside a MusicGen render its
confidence recorded in the sidecar's fit; a random network is unsure, so librosa's
track is used, and the clip is still exact and on the grid."""

from __future__ import annotations

import ast
import importlib.util
import math
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livetimbre.fitting import BeatTrack, correct_octave
from livetimbre.fitting.beats import track_beats
from livetimbre.fitting.fit import MIN_CONFIDENCE, grid_error_ms
from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.backends.musicgen.hub import beat_this_checkpoint
from tests.musicgen.helpers import musicgen_patch, procedural_drums

pytestmark = pytest.mark.timeout(180)
RATE = 48000
MODEL_RATE = 32000  # the tiny MusicGen's, as every MusicGen checkpoint's


def test_the_weights_are_found_where_users_put_them(tmp_path: Path, tiny_beat_this: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIVETIMBRE_BEAT_THIS", raising=False)
    home = tmp_path / "home"
    assert beat_this_checkpoint(home) is None and beat_this_checkpoint(None) is None
    pulled = home / "models" / "beat_this" / "final0.ckpt"  # where `models pull` puts it
    pulled.parent.mkdir(parents=True)
    shutil.copy(tiny_beat_this, pulled)
    assert beat_this_checkpoint(home) == pulled
    monkeypatch.setenv("LIVETIMBRE_BEAT_THIS", str(tiny_beat_this))  # it wins
    assert beat_this_checkpoint(home) == tiny_beat_this
    monkeypatch.setenv("LIVETIMBRE_BEAT_THIS", str(tmp_path / "missing.ckpt"))
    assert beat_this_checkpoint(home) is None


def _torchaudio_mel_filters(rate: int, n_fft: int, n_mels: int, f_min: float,
                            f_max: float) -> np.ndarray:
    """torchaudio.functional.melscale_fbanks(norm=None, mel_scale="slaney"), which
    beat_this's LogMelSpect uses, written out (torchaudio is not installed)."""
    def hz_to_mel(f: np.ndarray) -> np.ndarray:
        f = np.asarray(f, dtype=np.float64)
        log_region = f >= 1000.0
        mels = 3.0 * f / 200.0
        return np.where(log_region, 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0)
                        / (math.log(6.4) / 27.0), mels)

    def mel_to_hz(m: np.ndarray) -> np.ndarray:
        return np.where(m >= 15.0, 1000.0 * np.exp(math.log(6.4) / 27.0 * (m - 15.0)),
                        200.0 * m / 3.0)

    all_freqs = np.linspace(0, rate // 2, n_fft // 2 + 1)
    f_pts = mel_to_hz(np.linspace(hz_to_mel(np.array(f_min)), hz_to_mel(np.array(f_max)),
                                  n_mels + 2))
    f_diff = np.diff(f_pts)
    slopes = f_pts[None, :] - all_freqs[:, None]
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return np.maximum(0.0, np.minimum(down, up)).T  # (n_mels, n_freqs)


def test_the_mel_input_is_beat_thiss() -> None:
    """log_mel equals torchaudio's MelSpectrogram as beat_this configures it (written out
    here): normalized="frame_length" is torch.stft's normalized=True, 1/sqrt(n_fft)."""
    import librosa

    from livetimbre.render.backends.musicgen.beatnet import log_mel

    ours = librosa.filters.mel(sr=22050, n_fft=1024, n_mels=128, fmin=30.0, fmax=11000.0,
                               htk=False, norm=None)
    np.testing.assert_allclose(ours, _torchaudio_mel_filters(22050, 1024, 128, 30.0, 11000.0),
                               atol=1e-6)
    rng = np.random.default_rng(4)
    t = np.arange(22050 * 2) / 22050
    audio = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.normal(size=t.size)).astype(
        np.float32)
    padded = np.pad(audio, 512, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, 1024)[::441]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(1024) / 1024)  # periodic Hann
    magnitude = np.abs(np.fft.rfft(frames * window, axis=1)) / math.sqrt(1024)
    expected = np.log1p(1000 * magnitude @ ours.T)
    got = log_mel(audio).numpy()
    assert got.shape == expected.shape == (1 + audio.size // 441, 128)
    np.testing.assert_allclose(got, expected, atol=2e-3, rtol=1e-4)


def _reference_split_predict_aggregate() -> Callable[..., dict[str, Any]]:
    """beat_this's own chunking (beat_this.inference.split_predict_aggregate). That module
    cannot be imported without torchaudio (for its preprocessing, which these functions
    do not use), so its functions are compiled from the installed source."""
    import torch

    spec = importlib.util.find_spec("beat_this")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).with_name("inference.py")
    wanted = {"zeropad", "split_piece", "aggregate_prediction", "split_predict_aggregate"}
    tree = ast.parse(source.read_text())
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in wanted]
    assert {f.name for f in functions} == wanted
    namespace: dict[str, Any] = {"np": np, "torch": torch, "F": torch.nn.functional}
    exec(compile(ast.Module(functions, []), str(source), "exec"), namespace)
    return namespace["split_predict_aggregate"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("frames", [700, 1700])  # one chunk; two, the last one shifted
def test_chunked_logits_equal_beat_thiss_own(tiny_beat_this: Path, frames: int) -> None:
    import torch

    from livetimbre.render.backends.musicgen.beatnet import _frame_logits, load_beat_this

    model = load_beat_this(tiny_beat_this)
    spect = torch.log1p(1000 * torch.rand(frames, 128, generator=torch.Generator().manual_seed(1)))
    with torch.inference_mode():
        beat, down = _frame_logits(model, spect)
        reference = _reference_split_predict_aggregate()(spect, 1500, 6, "keep_first", model)
    assert beat.shape == down.shape == (frames,)
    assert torch.allclose(beat, reference["beat"], atol=1e-5)
    assert torch.allclose(down, reference["downbeat"], atol=1e-5)
    assert float(beat.min()) > -1000  # every frame predicted


def test_a_render_runs_beat_this_records_it_and_falls_back_to_librosa_when_unsure(
        genres: GenreRegistry, tiny_model: Path, tiny_beat_this: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.render.backends.musicgen import beatnet, generate

    monkeypatch.delenv("LIVETIMBRE_BEAT_THIS", raising=False)
    home = Path(os.environ["LIVETIMBRE_HOME"])
    pulled = home / "models" / "beat_this" / "final0.ckpt"  # as `models pull beat_this`
    pulled.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(tiny_beat_this, pulled)
    # The tiny MusicGen's output is noise without beats, so the model's generation is
    # replaced by what a real one gives: drums a little off the asked tempo (113 BPM
    # for 120), at the model's rate. Everything after generation runs for real.
    drums = procedural_drums(genres, 113.0, MODEL_RATE, bars=4)[:, :1]  # mono, 17 s

    def drums_instead(loaded: Any, prompt: str, seconds: float, sampling: dict[str, float],
                      seed: int, report: Callable[[float], None],
                      audio_prompt: np.ndarray | None = None) -> generate.Generation:
        assert loaded.sample_rate == MODEL_RATE
        report(1.0)
        return generate.Generation(drums, MODEL_RATE, 1, 0.1, dict(sampling))

    tracks: list[BeatTrack] = []
    real_track = beatnet.track_with_beat_this

    def tracked(*args: Any, **kwargs: Any) -> BeatTrack:
        track = real_track(*args, **kwargs)
        tracks.append(track)
        return track

    monkeypatch.setattr(generate, "generate", drums_instead)
    monkeypatch.setattr(beatnet, "track_with_beat_this", tracked)
    session = parse_patch(musicgen_patch(str(tiny_model), 120, bars=2), "mg.yaml", genres)
    plan = build_clip_plan(session, "drums", 0, genres.get("house"), RATE)
    backend = Backends(BackendContext(RATE, genres, "basic", home=home)).get(plan.backend)
    clip = backend.render(plan)

    info = clip.info
    fit = info.fit
    assert info.backend == "musicgen" and info.fallback is False, info
    # beat_this ran on the generated audio, and what it found is in the sidecar.
    assert fit.beat_this == "final0.ckpt", fit
    assert len(tracks) == 1
    neural = tracks[0]
    assert neural.source == "beat_this"
    assert fit.trackers["beat_this"] == neural.confidence
    assert 0.0 <= neural.confidence < MIN_CONFIDENCE  # random weights: unsure
    assert np.all(np.diff(neural.beats) > 0)
    assert len(neural.beats) == 0 or 0 <= neural.beats[0] <= neural.beats[-1] <= 17.1
    assert set(neural.downbeats) <= set(neural.beats)
    # So librosa's track fitted the clip, from 113 to 120 BPM.
    assert fit.fit == "beats" and fit.tracker == "librosa", fit
    assert fit.trackers["librosa"] >= MIN_CONFIDENCE
    assert abs(fit.tempo_before - 113.0) < 1.0 and fit.stretcher == "rubberband"
    # Exact length, on the grid (re-tracked here, the loop played twice).
    frames = math.ceil(2 * bar_samples(RATE, 120, parse_meter("4/4")))
    assert clip.audio.shape == (frames, 2) == (plan.frames, 2)
    twice = np.concatenate([clip.audio, clip.audio])
    track = correct_octave(track_beats(twice, RATE, 120.0, 4), 120.0)
    span = frames / RATE
    assert grid_error_ms(track.beats, 0.5, 2 * span - 0.25, span - 0.25) <= 10.0
    assert abs(track.bpm - 120.0) <= 0.5
    assert fit.grid_error_ms <= 10.0 and abs(fit.tempo_after - 120.0) <= 0.5
