"""Audio files are hostile input: each bad file is refused with an error that names the
file and the reason (never its content), before anything large is read or decoded."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from livetimbre.errors import AudioFileError
from livetimbre.files.sound_in import LOOP, ONE_SHOT, AudioLimits, probe_user_audio, read_user_audio
from tests.samples import files

pytestmark = pytest.mark.timeout(60)

ROWS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("lying.wav", files.lying_header, "the WAV header says"),
    ("rate1.wav", lambda p: files.lying_rate(p, 1), "sample rate 1 Hz is outside"),
    ("rate4g.wav", lambda p: files.lying_rate(p, 4_000_000_000), "header is damaged"),
    ("long.wav", files.two_hours, "lasts 7,200 s; a loop may last at most 600 s"),
    ("one.wav", files.one_sample, "holds 1 frame (2.27e-05 s); a loop needs at least"),
    ("notes.wav", files.not_audio, "cannot be read as audio"),
    ("nan.wav", files.nan_audio, "holds samples that are not audio"),
]


@pytest.mark.parametrize(("name", "make", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_a_bad_file_gets_a_clear_error(tmp_path: Path, name: str,
                                       make: Callable[[Path], Path], expected: str) -> None:
    path = make(tmp_path / name)
    with pytest.raises(AudioFileError) as caught:
        read_user_audio(path, LOOP)
    message = str(caught.value)
    assert expected in message and name in message, message
    assert files.SECRET not in message


def test_a_header_that_passes_is_refused_when_probed_too(tmp_path: Path) -> None:
    """The cheap check (the header only) that a command makes refuses the same files,
    except those only decoding shows (NaN samples)."""
    for name, make, expected in ROWS:
        path = make(tmp_path / name)
        if name == "nan.wav":
            assert probe_user_audio(path, LOOP).frames == 48000
            continue
        with pytest.raises(AudioFileError) as caught:
            probe_user_audio(path, LOOP)
        assert expected in str(caught.value)


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "missing", "empty"])
def test_what_is_not_a_regular_file_is_refused_without_blocking(tmp_path: Path,
                                                                 kind: str) -> None:
    path = tmp_path / "x.wav"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "empty":
        path.touch()
    with pytest.raises(AudioFileError, match=r"not a regular file|not found|is empty"):
        read_user_audio(path, LOOP)


def test_size_and_channel_limits(tmp_path: Path) -> None:
    path = files.write_wav(tmp_path / "big.wav", np.zeros((48000, 2), np.float32), 48000)
    small = AudioLimits("loop", 0.25, 600.0, 1000)
    with pytest.raises(AudioFileError, match=r"is 192,044 bytes; the limit is 1,000"):
        read_user_audio(path, small)
    wide = files.write_wav(tmp_path / "wide.wav", np.zeros((48000, 12), np.float32), 48000)
    with pytest.raises(AudioFileError, match="12 channels; at most 8"):
        read_user_audio(wide, LOOP)
    with pytest.raises(AudioFileError, match="a one-shot may last at most 20 s"):
        read_user_audio(files.write_wav(tmp_path / "s.wav", np.zeros(21 * 8000, np.float32),
                                        8000), ONE_SHOT)


def test_a_good_file_reads_as_stereo_float_at_its_own_rate(tmp_path: Path) -> None:
    mono = (0.5 * np.sin(np.arange(22050) / 10)).astype(np.float32)
    path = files.write_wav(tmp_path / "ok.flac", mono, 22050)
    audio, header = read_user_audio(path, LOOP)
    assert header.sample_rate == 22050 and header.channels == 1 and header.frames == 22050
    assert audio.shape == (22050, 2) and audio.dtype == np.float32
    assert np.allclose(audio[:, 0], mono, atol=1e-4) and np.array_equal(audio[:, 0],
                                                                        audio[:, 1])
