"""Audio files for the samples tests: a tonal drum loop of known tempo and key, one-shots,
and hostile files (a lying header, a 2-hour file, a 1-sample file, non-audio)."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import numpy as np
import soundfile

SECRET = "hunter2-never-echoed"


def _kick(rate: int) -> np.ndarray:
    t = np.arange(int(0.15 * rate)) / rate
    sweep = 2 * np.pi * (50 * t + 60 * (1 - np.exp(-t * 30)) / 30)
    return (np.sin(sweep) * np.exp(-t * 25)).astype(np.float64)


def _hat(rate: int, seed: int) -> np.ndarray:
    t = np.arange(int(0.04 * rate)) / rate
    noise = np.random.default_rng(seed).standard_normal(t.size)
    return 0.3 * noise * np.exp(-t * 120)


def tonal_loop(rate: int, bpm: float, bars: int = 2, tones: tuple[float, ...] = (
        220.0, 261.63, 329.63)) -> np.ndarray:
    """`bars` bars of 4/4 at `bpm`: a kick on each beat, hats between, and a sustained
    chord of `tones` (A minor by default, each with two harmonics); stereo float32."""
    beat = 60.0 / bpm
    frames = round(bars * 4 * beat * rate)
    t = np.arange(frames) / rate
    out = np.zeros(frames)
    for freq in tones:
        out += 0.08 * (np.sin(2 * np.pi * freq * t) + 0.4 * np.sin(4 * np.pi * freq * t)
                       + 0.2 * np.sin(6 * np.pi * freq * t))
    kick, hat = _kick(rate), _hat(rate, 1)
    for k in range(bars * 4):
        at = round(k * beat * rate)
        part = kick[: frames - at]
        out[at:at + part.size] += 0.8 * part
        off = round((k + 0.5) * beat * rate)
        if off < frames:
            piece = hat[: frames - off]
            out[off:off + piece.size] += piece
    return np.repeat((0.7 * out / np.abs(out).max())[:, None], 2, axis=1).astype(np.float32)


def write_wav(path: Path, audio: np.ndarray, rate: int, subtype: str = "PCM_16") -> Path:
    soundfile.write(str(path), audio, rate, subtype=subtype, format="WAV")
    return path


def one_shot(path: Path, rate: int, freq: float, seconds: float = 0.08) -> Path:
    """A click-led decaying tone: its onset is its first sample."""
    t = np.arange(int(seconds * rate)) / rate
    shot = np.sin(2 * np.pi * freq * t) * np.exp(-t * 40)
    shot[0] = 1.0
    return write_wav(path, (0.8 * shot).astype(np.float32), rate)


# --- hostile files ----------------------------------------------------------------------
def _data_offset(raw: bytes) -> int:
    offset = 12
    while raw[offset:offset + 4] != b"data":
        offset += 8 + struct.unpack("<I", raw[offset + 4:offset + 8])[0]
    return offset


def lying_header(path: Path) -> Path:
    """A WAV whose data chunk claims ten times the audio the file holds."""
    write_wav(path, np.zeros(8000, np.float32), 8000)
    raw = bytearray(path.read_bytes())
    at = _data_offset(bytes(raw))
    size = struct.unpack("<I", raw[at + 4:at + 8])[0]
    raw[at + 4:at + 8] = struct.pack("<I", size * 10)
    path.write_bytes(bytes(raw))
    return path


def lying_rate(path: Path, rate: int) -> Path:
    """A WAV whose format chunk claims `rate` samples a second."""
    write_wav(path, np.zeros(8000, np.float32), 8000)
    raw = bytearray(path.read_bytes())
    raw[24:28] = struct.pack("<I", rate)
    path.write_bytes(bytes(raw))
    return path


def two_hours(path: Path) -> Path:
    """A real (sparse) 2-hour WAV: 8 kHz, 8-bit mono, its header honest."""
    frames = 2 * 3600 * 8000
    header = (b"RIFF" + struct.pack("<I", 36 + frames) + b"WAVE"
              + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
              + b"data" + struct.pack("<I", frames))
    with path.open("wb") as handle:
        handle.write(header)
        handle.truncate(len(header) + frames)
    return path


def one_sample(path: Path) -> Path:
    return write_wav(path, np.full(1, 0.5, np.float32), 44100)


def not_audio(path: Path) -> Path:
    path.write_text(f"password = {SECRET}\n" * 40, encoding="utf-8")
    return path


def nan_audio(path: Path) -> Path:
    audio = np.zeros(48000, np.float32)
    audio[100] = math.nan
    return write_wav(path, audio, 48000, "FLOAT")
