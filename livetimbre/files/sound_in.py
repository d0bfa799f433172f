"""Reading audio files a user names (loops, one-shots): hostile input, checked.

The path is opened as `files.read` opens text (no blocking, `fstat` on the open
descriptor: regular files only, bounded in size). The header must name a known format,
a sample rate of 8 to 192 kHz, 1 to 8 channels and a duration within the limits of
what the file is for; a WAV header's data size must match what the file holds; the
decoded frames must be as many as the header says and finite. Errors name the file and
the reason, never its content.
"""

from __future__ import annotations

__all__ = ["LOOP", "ONE_SHOT", "AudioHeader", "AudioLimits", "probe_user_audio",
           "read_user_audio"]

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from livetimbre.errors import AudioFileError
from livetimbre.files.read import UNTRUSTED_OPEN, shown_path

FORMATS = ("WAV", "WAVEX", "RF64", "W64", "AIFF", "CAF", "FLAC", "OGG", "MP3")
MIN_RATE, MAX_RATE = 8000, 192000
MAX_CHANNELS = 8
_BLOCK = 1 << 16
_MAX_CHUNKS = 4096
_MAX_PEAK = 16.0  # float files: samples this far past full scale are not audio
_MAX_SAMPLES = 1 << 26  # frames × channels decoded at most (256 MiB as float32)


@dataclass(frozen=True)
class AudioLimits:
    """What a file of one use may be: its duration and its size in bytes."""

    what: str  # 'loop', 'one-shot'
    min_seconds: float
    max_seconds: float
    max_bytes: int


LOOP = AudioLimits("loop", 0.25, 600.0, 512 * 1024 * 1024)
ONE_SHOT = AudioLimits("one-shot", 0.001, 20.0, 64 * 1024 * 1024)


@dataclass(frozen=True)
class AudioHeader:
    """What a checked header says."""

    format: str
    subtype: str
    sample_rate: int
    channels: int
    frames: int
    size: int  # bytes

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


def _open(path: Path, limits: AudioLimits) -> tuple[BinaryIO, int, str]:
    """(the open file, its size, the path as errors show it)."""
    where = shown_path(path)
    try:
        fd = os.open(path, UNTRUSTED_OPEN)
    except FileNotFoundError:
        raise AudioFileError(f"{limits.what} file not found: {where}.") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "the path cannot be opened"
        raise AudioFileError(f"Cannot read {limits.what} file {where}: {reason}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AudioFileError(f"Cannot read {limits.what} file {where}: it is not a "
                                 "regular file.")
        if info.st_size > limits.max_bytes:
            raise AudioFileError(f"{limits.what} file {where} is {info.st_size:,} bytes; "
                                 f"the limit is {limits.max_bytes:,}.")
        if info.st_size == 0:
            raise AudioFileError(f"{limits.what} file {where} is empty.")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), info.st_size, where
    except BaseException:
        os.close(fd)
        raise


def _check_riff(handle: BinaryIO, size: int, where: str) -> None:
    """A RIFF/WAVE file's chunks fit in the file, and its data chunk says no more bytes
    than the file holds (a header that lies about its length is refused)."""
    handle.seek(0)
    head = handle.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return
    offset = 12
    for _ in range(_MAX_CHUNKS):
        handle.seek(offset)
        chunk = handle.read(8)
        if len(chunk) < 8:
            break
        name, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if name == b"data":
            held = size - offset - 8
            if length > held:
                raise AudioFileError(
                    f"{where}: the WAV header says {length:,} bytes of audio but the file "
                    f"holds {held:,}; the file is cut short or its header is wrong.")
            return
        offset += 8 + length + (length & 1)
        if offset > size:
            break
    raise AudioFileError(f"{where}: the WAV file has no audio data chunk within its size.")


def _header(handle: BinaryIO, size: int, where: str, limits: AudioLimits) -> AudioHeader:
    import soundfile

    _check_riff(handle, size, where)
    handle.seek(0)
    try:
        info = soundfile.info(handle)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError):
        raise AudioFileError(f"{where} cannot be read as audio: not WAV, AIFF, FLAC, OGG "
                             "or MP3, or its header is damaged.") from None
    header = AudioHeader(str(info.format), str(info.subtype), int(info.samplerate),
                         int(info.channels), int(info.frames), size)
    if header.format not in FORMATS:
        raise AudioFileError(f"{where}: audio format {header.format[:20]} is not one of "
                             f"{', '.join(FORMATS)}.")
    if not MIN_RATE <= header.sample_rate <= MAX_RATE:
        raise AudioFileError(f"{where}: sample rate {header.sample_rate:,} Hz is outside "
                             f"{MIN_RATE:,} to {MAX_RATE:,} Hz.")
    if not 1 <= header.channels <= MAX_CHANNELS:
        raise AudioFileError(f"{where}: {header.channels} channels; at most "
                             f"{MAX_CHANNELS} are read.")
    seconds = header.seconds
    if seconds < limits.min_seconds:
        count = f"{header.frames:,} frame" + ("" if header.frames == 1 else "s")
        raise AudioFileError(f"{where} holds {count} ({seconds:.3g} s); a {limits.what} "
                             f"needs at least {limits.min_seconds:g} s.")
    if seconds > limits.max_seconds:
        raise AudioFileError(f"{where} lasts {seconds:,.0f} s; a {limits.what} may last "
                             f"at most {limits.max_seconds:g} s.")
    if header.frames * header.channels > _MAX_SAMPLES:
        raise AudioFileError(f"{where} holds {header.frames * header.channels:,} samples "
                             f"(frames × channels); the limit is {_MAX_SAMPLES:,}.")
    return header


def probe_user_audio(path: Path, limits: AudioLimits = LOOP) -> AudioHeader:
    """The checked header of `path`; AudioFileError naming the file and the reason."""
    handle, size, where = _open(path, limits)
    with handle:
        return _header(handle, size, where, limits)


def _stereo(audio: np.ndarray) -> np.ndarray:
    if audio.shape[1] == 2:
        return audio
    mono = audio[:, :1] if audio.shape[1] == 1 else audio.mean(axis=1, keepdims=True)
    return np.repeat(mono, 2, axis=1)


def read_user_audio(path: Path, limits: AudioLimits = LOOP
                    ) -> tuple[np.ndarray, AudioHeader]:
    """(float32 stereo frames, the header) of `path`, every check passed."""
    import soundfile

    handle, size, where = _open(path, limits)
    with handle:
        header = _header(handle, size, where, limits)
        handle.seek(0)
        blocks: list[np.ndarray] = []
        total = 0
        try:
            with soundfile.SoundFile(handle) as sound:
                while total < header.frames:
                    block = sound.read(min(_BLOCK, header.frames - total), dtype="float32",
                                       always_2d=True)
                    if block.shape[0] == 0:
                        break
                    blocks.append(block)
                    total += block.shape[0]
        except (soundfile.LibsndfileError, RuntimeError, ValueError):
            raise AudioFileError(f"{where}: the audio cannot be decoded after "
                                 f"{total:,} frames.") from None
    if total < header.frames * 0.99 or total < 1:
        raise AudioFileError(f"{where}: the header says {header.frames:,} frames but the "
                             f"file holds {total:,}.")
    audio = np.concatenate(blocks)
    if not np.isfinite(audio).all() or float(np.abs(audio).max()) > _MAX_PEAK:
        raise AudioFileError(f"{where} holds samples that are not audio (not finite, or "
                             "far beyond full scale).")
    return np.ascontiguousarray(_stereo(audio), dtype=np.float32), header
