"""espeak-ng as a phoneme source: one syllable spoken at a neutral pitch, read back
as float64 samples. A subprocess with a fixed argument list (no shell), a bounded
run time and bounded output."""

from __future__ import annotations

__all__ = ["ESPEAK_RATE", "espeak_missing", "speak"]

import shutil
import struct
import subprocess

import numpy as np

from livetimbre.errors import RenderError

ESPEAK_RATE = 22050
_PROGRAM = "espeak-ng"
_TIMEOUT_S = 10.0
_MOST_BYTES = 4 * ESPEAK_RATE * 2  # four seconds of 16-bit audio: far more than a syllable
# Slower than speech (words a minute), so vowels are long enough to analyse.
_SPEED = "110"


def espeak_missing() -> str | None:
    """None when espeak-ng can be run, else why not."""
    if shutil.which(_PROGRAM) is None:
        return "espeak-ng is not installed (Debian: apt-get install espeak-ng)"
    return None


def _samples(wav: bytes, what: str) -> np.ndarray:
    """The 16-bit mono PCM of espeak-ng's `--stdout` stream (its RIFF sizes are left
    unset while streaming, so the data chunk runs to the end)."""
    if wav[:4] != b"RIFF" or wav[8:12] != b"WAVE" or len(wav) < 44:
        raise RenderError(f"espeak-ng gave no WAV audio for {what}")
    channels, rate, bits = struct.unpack("<H I 6x H", wav[22:36])
    at = wav.find(b"data", 12)
    if at < 0 or (channels, rate, bits) != (1, ESPEAK_RATE, 16):
        raise RenderError(f"espeak-ng gave unexpected audio for {what} "
                              f"({channels} channels, {rate} Hz, {bits} bits)")
    data = wav[at + 8:]
    data = data[: len(data) - len(data) % 2]
    return np.frombuffer(data, "<i2").astype(np.float64) / 32768.0


def speak(text: str, voice: str) -> np.ndarray:
    """`text` (phonemes in `[[...]]` or plain letters) spoken by espeak-ng `voice`."""
    what = "a syllable"  # never the words themselves: lyrics come from users
    try:
        done = subprocess.run(
            [_PROGRAM, "-v", voice, "-s", _SPEED, "-p", "40", "-z", "--stdout", "--", text],
            capture_output=True, timeout=_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RenderError(f"espeak-ng failed on {what}: {err}") from err
    if done.returncode != 0:
        raise RenderError(f"espeak-ng failed on {what} (exit {done.returncode})")
    return _samples(done.stdout[:_MOST_BYTES + 44], what)
