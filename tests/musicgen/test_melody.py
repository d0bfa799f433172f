"""MusicGen-Melody: a tiny random-weight MusicGen-Melody built in code loads through the
same path as a hub checkpoint (its tokenizer, and its chroma settings; transformers'
processor for it needs torchaudio, which is not installed here), and a clip that
continues another is conditioned on the chroma of that clip's tail."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.backends.musicgen.melody import ChromaSettings, melody_chroma

pytestmark = pytest.mark.timeout(180)
RATE = 48000


def _tone(hz: float, seconds: float, rate: int = 32000) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (0.4 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


@pytest.mark.parametrize(("hz", "chroma"), [(261.63, 0), (329.63, 4), (440.0, 9),
                                            (880.0, 9), (493.88, 11)])
def test_the_chroma_of_a_tone_is_its_pitch_class(hz: float, chroma: int) -> None:
    settings = ChromaSettings()
    features = melody_chroma(_tone(hz, 2.0), 32000, settings).numpy()
    assert features.shape == (1, 1 + 64000 // 4096, 12)
    assert np.all(features.sum(axis=2) == 1.0)  # one-hot per frame
    assert np.all(features[0].argmax(axis=1) == chroma)


def test_stereo_other_rates_and_short_melodies() -> None:
    settings = ChromaSettings()
    stereo = np.stack([_tone(440.0, 1.0, 48000)] * 2, axis=1)
    features = melody_chroma(stereo, 48000, settings).numpy()  # resampled to 32 kHz
    assert features.shape == (1, 1 + 32000 // 4096, 12)
    assert np.all(features[0].argmax(axis=1) == 9)
    short = melody_chroma(_tone(440.0, 0.2), 32000, settings).numpy()  # under n_fft
    assert short.shape == (1, 1 + 16384 // 4096, 12)


def test_the_settings_come_from_the_checkpoint(tiny_melody_model: Path, tmp_path: Path) -> None:
    assert ChromaSettings.of(tiny_melody_model) == ChromaSettings()
    (tmp_path / "preprocessor_config.json").write_text('{"hop_length": 2048, "n_fft": "x"}')
    assert ChromaSettings.of(tmp_path) == ChromaSettings(hop_length=2048)
    assert ChromaSettings.of(tmp_path / "nothing") == ChromaSettings()


def test_a_continuing_clip_follows_the_motifs_melody(
        genres: GenreRegistry, tiny_melody_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from livetimbre.render.backends.musicgen.loading import load_model

    loaded = load_model(str(tiny_melody_model))
    assert loaded.melody and loaded.chroma == ChromaSettings()
    seen: list[dict[str, Any]] = []
    real_generate = loaded.model.generate

    def spy(**kwargs: Any) -> Any:
        seen.append(kwargs)
        return real_generate(**kwargs)

    monkeypatch.setattr(loaded.model, "generate", spy)
    patch = f"""\
session: {{genre: house, tempo: 120, key: A minor, seed: 5, bars: 1}}
layers:
  keys: {{backend: procedural}}
  lead: {{backend: "musicgen:{tiny_melody_model}"}}
scenes:
  - name: a
    clips: {{keys: "warm chords", lead: {{prompt: "dark lead", continue: keys@a}}}}
"""
    session = parse_patch(patch, "melody.yaml", genres)
    plan = build_clip_plan(session, "lead", 0, genres.get("house"), RATE)
    clip = Backends(BackendContext(RATE, genres, "basic")).get(plan.backend).render(plan)

    info = clip.info
    assert info.backend == "musicgen" and info.fallback is False, info
    assert info.model == str(tiny_melody_model)
    motif = info.motif
    assert motif.continues == "keys@a" and motif.conditioning == "melody"
    assert motif.prompt_seconds == pytest.approx(2.0, abs=0.01)  # the keys' one bar
    # The model heard the motif's chroma: 2 s at hop 4096, one-hot per frame.
    assert len(seen) == 1
    features = seen[0]["input_features"].numpy()
    assert features.shape == (1, 1 + 64000 // 4096, 12)
    assert np.all(features.sum(axis=2) == 1.0)
    assert "input_ids" in seen[0] and "input_values" not in seen[0]
    # A melody model returns new audio only: nothing of the prompt is cut off.
    assert info.generation.audio_seconds == pytest.approx(
        info.generation.steps / 50, abs=0.1)
    assert clip.audio.shape == (math.ceil(bar_samples(RATE, 120, parse_meter("4/4"))), 2)
    assert clip.audio.shape[0] == plan.frames
