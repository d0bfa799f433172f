"""MusicGen-Melody's melody input, a chromagram, computed as transformers'
MusicgenMelodyFeatureExtractor computes it, with torch.stft instead of torchaudio: that
feature extractor requires torchaudio, which the musicgen extra does not install (a
torchaudio build that does not match torch's breaks transformers)."""

from __future__ import annotations

__all__ = ["ChromaSettings", "melody_chroma"]

import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ChromaSettings:
    """The feature extractor's settings (its defaults are those of every published
    MusicGen-Melody checkpoint)."""

    sampling_rate: int = 32000
    n_fft: int = 16384
    hop_length: int = 4096
    num_chroma: int = 12
    chunk_length: int = 30  # seconds of melody at most

    @classmethod
    def of(cls, folder: Path) -> ChromaSettings:
        """The settings in a checkpoint's preprocessor_config.json (defaults for what it
        does not say)."""
        try:
            data = json.loads((folder / "preprocessor_config.json").read_text())
        except (OSError, ValueError):
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(**{f.name: int(data[f.name]) for f in fields(cls)
                      if isinstance(data.get(f.name), int | float)})


def melody_chroma(audio: np.ndarray, rate: int, settings: ChromaSettings,
                  device: str = "cpu") -> Any:
    """(1, frames, num_chroma) float tensor: for each STFT frame of `audio` ((frames,) or
    (frames, channels) at `rate`; mono, at the settings' rate, its first chunk_length
    seconds) its strongest chroma set to 1, the others 0. Power spectrogram: periodic
    Hann window of n_fft, centred and reflect-padded, normalised by the window's energy
    (torchaudio's normalized=True); chroma filters: transformers' chroma_filter_bank
    with tuning 0."""
    import soxr
    import torch
    import torch.nn.functional as F
    from transformers.audio_utils import chroma_filter_bank

    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    mono = np.ascontiguousarray(mono, dtype=np.float32)
    if rate != settings.sampling_rate:
        mono = np.asarray(soxr.resample(mono, rate, settings.sampling_rate), np.float32)
    mono = mono[:settings.chunk_length * settings.sampling_rate]
    wave = torch.as_tensor(mono, device=device)
    if wave.shape[0] < settings.n_fft:
        pad = settings.n_fft - wave.shape[0]
        wave = F.pad(wave, (pad // 2, pad // 2 + pad % 2))
    window = torch.hann_window(settings.n_fft, periodic=True, device=device)
    spectrum = torch.stft(wave, settings.n_fft, hop_length=settings.hop_length,
                          win_length=settings.n_fft, window=window, center=True,
                          pad_mode="reflect", return_complex=True)
    power = (spectrum / window.pow(2).sum().sqrt()).abs().pow(2)
    filters = torch.as_tensor(
        chroma_filter_bank(num_frequency_bins=settings.n_fft, num_chroma=settings.num_chroma,
                           sampling_rate=settings.sampling_rate, tuning=0),
        dtype=torch.float32, device=device)
    strongest = (filters @ power).argmax(dim=0)  # per frame
    return F.one_hot(strongest, settings.num_chroma).to(torch.float32).unsqueeze(0)
