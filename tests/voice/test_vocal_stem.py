"""The vocal stem's chain (high-pass, de-esser, compressor, reverb send), and the
singer's optional parts: lazy imports and `singer_status`."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from livetimbre.errors import ValueProblem
from livetimbre.voice.stem import STEM_PEAK, mix_vocal_stem

RATE = 48000


def _sine(hz: float, seconds: float = 2.0, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def _level_db(audio: np.ndarray) -> float:
    steady = audio[RATE // 2:-RATE // 4]  # past the filters' and compressor's settling
    return float(20 * np.log10(np.sqrt(np.mean(np.square(steady, dtype=np.float64)))))


def _rumble_cut(process: object) -> float:
    """How much quieter a 40 Hz tone comes out than a 1 kHz tone of the same level."""
    assert callable(process)
    return _level_db(process(_sine(1000.0))) - _level_db(process(_sine(40.0)))


@pytest.mark.timeout(60)
def test_stem_high_passes_rumble() -> None:
    def stem(x: np.ndarray) -> np.ndarray:
        return mix_vocal_stem(x, sample_rate=RATE, tempo=120, voice_type="baritone")[:, 0]

    assert _rumble_cut(stem) >= 12.0  # after the compressor, which lifts quiet signals
    assert abs(_rumble_cut(lambda x: x)) < 1.0  # unprocessed: the measure sees no cut


@pytest.mark.timeout(60)
def test_stem_is_stereo_same_length_and_never_clips() -> None:
    loud = _sine(440.0, amplitude=4.0)
    stem = mix_vocal_stem(loud, sample_rate=RATE, tempo=90)
    assert stem.shape == (loud.size, 2) and stem.dtype == np.float32
    assert float(np.abs(stem).max()) <= STEM_PEAK + 1e-6
    assert float(np.abs(loud).max()) > 1.0  # the input itself would clip
    assert not np.array_equal(stem[:, 0], stem[:, 1])  # the reverb return is wide


@pytest.mark.timeout(60)
def test_stem_compresses_and_sends_to_reverb() -> None:
    quiet, loud = _sine(440.0, amplitude=0.05), _sine(440.0, amplitude=0.5)
    gain_quiet = _level_db(mix_vocal_stem(quiet, sample_rate=RATE, tempo=120)[:, 0])
    gain_loud = _level_db(mix_vocal_stem(loud, sample_rate=RATE, tempo=120)[:, 0])
    assert gain_loud - gain_quiet < 14.0  # 20 dB in, less out: compressed
    burst = np.zeros(RATE, np.float32)
    burst[:RATE // 10] = _sine(440.0, 0.1)
    tail = mix_vocal_stem(burst, sample_rate=RATE, tempo=120)[RATE // 4:RATE // 2]
    assert float(np.abs(tail).max()) > 1e-3  # the reverb rings on after the voice


@pytest.mark.timeout(60)
def test_stem_deesser_turns_down_sibilance() -> None:
    rng = np.random.default_rng(1)
    from scipy.signal import butter, sosfilt

    hiss = sosfilt(butter(4, (5000, 8000), "bandpass", fs=RATE, output="sos"),
                   rng.standard_normal(2 * RATE))
    voice = _sine(220.0, amplitude=0.1) + (0.2 * hiss / np.abs(hiss).max()).astype(np.float32)
    stem = mix_vocal_stem(voice, sample_rate=RATE, tempo=120)[:, 0]
    band = butter(4, (5000, 8000), "bandpass", fs=RATE, output="sos")
    low = butter(4, 400, "lowpass", fs=RATE, output="sos")
    before = _level_db(sosfilt(band, voice)) - _level_db(sosfilt(low, voice))
    after = _level_db(sosfilt(band, stem)) - _level_db(sosfilt(low, stem))
    assert before - after >= 3.0


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("rate", "tempo", "audio"), [
    (100, 120.0, np.zeros(10, np.float32)),
    (RATE, 0.0, np.zeros(10, np.float32)),
    (RATE, 120.0, np.array([0.0, np.nan], np.float32)),
])
def test_stem_names_bad_input(rate: int, tempo: float, audio: np.ndarray) -> None:
    with pytest.raises(ValueProblem, match=r"sample rate|tempo|not finite"):
        mix_vocal_stem(audio, sample_rate=rate, tempo=tempo)


@pytest.mark.timeout(60)
def test_importing_the_singer_does_not_load_pyworld() -> None:
    code = ("import sys, livetimbre, livetimbre.voice.singing, livetimbre.voice.stem, "
            "livetimbre.cli; sys.exit('pyworld' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=50).returncode == 0


@pytest.mark.timeout(30)
def test_singer_status_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.voice.singing import espeak, status

    monkeypatch.setattr(status.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(espeak.shutil, "which", lambda name: "/bin/true")
    assert "pyworld" in (status.singer_status() or "")
    monkeypatch.setattr(espeak.shutil, "which", lambda name: None)
    assert "espeak-ng" in (status.singer_status() or "")
