"""Writing audio files (soundfile/libsndfile): WAV, FLAC, OGG Vorbis, MP3; atomically."""

from __future__ import annotations

__all__ = ["FORMATS", "format_for", "write_audio"]

from pathlib import Path

import numpy as np
import soundfile

from livetimbre.errors import AudioFileError
from livetimbre.files.write import atomic_path

FORMATS = ("wav", "flac", "ogg", "mp3")
_SUBTYPES = {
    ("wav", 16): "PCM_16", ("wav", 24): "PCM_24", ("wav", 32): "FLOAT",
    ("flac", 16): "PCM_16", ("flac", 24): "PCM_24", ("flac", 32): "PCM_24",
}
_CONTAINERS = {"wav": ("WAV", None), "flac": ("FLAC", None), "ogg": ("OGG", "VORBIS"),
               "mp3": ("MP3", "MPEG_LAYER_III")}


def format_for(path: Path, requested: str | None, fallback: str | None = None) -> str:
    """The format: the file's suffix, which `requested` (--format) must agree with, else
    `requested`, else `fallback` (the env default); a mismatch is an error, never a FLAC
    file silently named .wav."""
    suffix = path.suffix.lower().lstrip(".")
    if requested is not None:
        fmt = requested.lower()
        if fmt not in FORMATS:
            choices = ", ".join(FORMATS)
            raise AudioFileError(f"Unknown format '{requested[:20]}' (choose from {choices}).")
        if suffix in FORMATS and suffix != fmt:
            raise AudioFileError(f"{path.name} ends in .{suffix} but the format asked for is "
                                 f"{fmt}: name the file .{fmt} or leave --format out.")
        return fmt
    if suffix in FORMATS:
        return suffix
    if fallback is not None:
        return format_for(path, fallback)
    raise AudioFileError(
        f"Cannot tell the audio format of {path} from its suffix '{path.suffix}': "
        f"use .wav, .flac, .ogg or .mp3, or pass --format."
    )


def write_audio(
    path: Path,
    audio: np.ndarray,
    sample_rate: int,
    fmt: str,
    bit_depth: int = 24,
    export_sample_rate: int | None = None,
) -> int:
    """Write float32 stereo `audio`; returns the sample rate written."""
    rate = sample_rate
    if export_sample_rate and export_sample_rate != sample_rate:
        from math import gcd

        from scipy.signal import resample_poly

        g = gcd(export_sample_rate, sample_rate)
        audio = resample_poly(audio, export_sample_rate // g, sample_rate // g, axis=0)
        rate = export_sample_rate
    container, subtype = _CONTAINERS[fmt]
    if subtype is None:
        subtype = _SUBTYPES[(fmt, bit_depth)]
    data = np.clip(audio, -1.0, 1.0) if subtype != "FLOAT" else audio
    with atomic_path(path) as tmp:
        try:
            soundfile.write(str(tmp), data.astype(np.float32), rate, subtype=subtype,
                            format=container)
        except (soundfile.LibsndfileError, RuntimeError, ValueError) as exc:
            raise AudioFileError(f"Cannot write {path} as {fmt}: {exc}.") from None
    return rate
