"""beat_this (Foscarin, Schlüter & Widmer, MIT code and weights) as a tracker for the
fitter, without its preprocessing module (which needs torchaudio): the log-mel input is
computed here with torch.stft and librosa's Slaney mel filters, the checkpoint is
loaded and the piece split into chunks as beat_this does, and its own minimal
postprocessor turns frame logits into beat and downbeat times."""

from __future__ import annotations

__all__ = ["BEAT_THIS_FPS", "BEAT_THIS_RATE", "load_beat_this", "log_mel", "track_with_beat_this"]

import inspect
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.fitting.beats import BeatTrack

BEAT_THIS_RATE = 22050
BEAT_THIS_FPS = 50  # hop 441 at 22050 Hz
_N_FFT, _HOP, _MELS, _FMIN, _FMAX = 1024, 441, 128, 30.0, 11000.0
_CHUNK, _BORDER = 1500, 6
_LOADED: dict[tuple[str, str], Any] = {}


def log_mel(mono: np.ndarray, device: str = "cpu") -> Any:
    """(frames, 128) log-magnitude mel spectrogram of 22050 Hz audio, as beat_this was
    trained on (torchaudio's MelSpectrogram with normalized="frame_length"): 1024-point
    periodic Hann STFT (centred, reflect-padded) scaled by 1/sqrt(1024) (torch.stft's
    normalized=True, which "frame_length" selects; not the window's energy),
    magnitude (power 1), 128 Slaney mel bands 30-11000 Hz without filter normalisation,
    then log(1 + 1000 x)."""
    import librosa
    import torch

    signal = torch.as_tensor(np.ascontiguousarray(mono, dtype=np.float32), device=device)
    window = torch.hann_window(_N_FFT, periodic=True, device=device)
    spectrum = torch.stft(signal, _N_FFT, hop_length=_HOP, win_length=_N_FFT, window=window,
                          center=True, pad_mode="reflect", normalized=True,
                          return_complex=True).abs()
    filters = librosa.filters.mel(sr=BEAT_THIS_RATE, n_fft=_N_FFT, n_mels=_MELS, fmin=_FMIN,
                                  fmax=_FMAX, htk=False, norm=None)
    mel = torch.as_tensor(filters, dtype=torch.float32, device=device) @ spectrum
    return torch.log1p(1000 * mel.T)


def load_beat_this(checkpoint: Path, device: str = "cpu") -> Any:
    """The BeatThis network of a checkpoint file (hyper-parameters and a state dict whose
    keys carry the training module's 'model.' prefix), kept per file and device."""
    key = (str(checkpoint), device)
    if key in _LOADED:
        return _LOADED[key]
    import torch
    from beat_this.model.beat_tracker import BeatThis

    saved = torch.load(checkpoint, map_location=device, weights_only=True)
    accepted = set(inspect.signature(BeatThis).parameters)
    hparams = {k: v for k, v in saved.get("hyper_parameters", {}).items() if k in accepted}
    model = BeatThis(**hparams)
    state = {k.removeprefix("model."): v for k, v in saved["state_dict"].items()}
    model.load_state_dict(state)
    model = model.to(device).eval()
    _LOADED[key] = model
    return model


def _frame_logits(model: Any, spect: Any) -> tuple[Any, Any]:
    """Beat and downbeat logits per frame: chunks of 1500 frames overlapping by the
    6-frame borders the network was not trained on, earlier chunks kept on overlap."""
    import torch
    import torch.nn.functional as F

    length = spect.shape[0]
    step = _CHUNK - 2 * _BORDER
    starts = list(range(-_BORDER, max(1, length - _BORDER), step))
    if length > step and starts[-1] + _CHUNK > length + _BORDER:
        starts[-1] = length - (_CHUNK - _BORDER)
    beat = torch.full((length,), -1000.0, device=spect.device)
    down = torch.full((length,), -1000.0, device=spect.device)
    for start in reversed(starts):
        lo, hi = max(start, 0), min(start + _CHUNK, length)
        chunk = F.pad(spect[lo:hi], (0, 0, max(0, -start),
                                     max(0, min(_BORDER, start + _CHUNK - length))))
        out = model(chunk.unsqueeze(0))
        keep = slice(_BORDER, chunk.shape[0] - _BORDER)
        first = start + _BORDER
        count = min(out["beat"][0][keep].shape[0], length - first)
        beat[first:first + count] = out["beat"][0][keep][:count]
        down[first:first + count] = out["downbeat"][0][keep][:count]
    return beat, down


def track_with_beat_this(audio: np.ndarray, sample_rate: int, checkpoint: Path,
                         device: str = "cpu") -> BeatTrack:
    """Beats and downbeats of `audio` by beat_this; confidence = the mean beat
    probability at the beats times their regularity."""
    import soxr
    import torch
    from beat_this.model.postprocessor import Postprocessor

    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    if sample_rate != BEAT_THIS_RATE:
        mono = soxr.resample(np.ascontiguousarray(mono, np.float32), sample_rate,
                             BEAT_THIS_RATE)
    model = load_beat_this(checkpoint, device)
    with torch.inference_mode():
        beat_logits, down_logits = _frame_logits(model, log_mel(mono, device))
        beats, downbeats = Postprocessor(type="minimal", fps=BEAT_THIS_FPS)(
            beat_logits, down_logits)
    beats = np.asarray(beats, dtype=np.float64)
    downbeats = np.asarray(downbeats, dtype=np.float64)
    confidence = 0.0
    if len(beats) >= 4:
        probability = torch.sigmoid(beat_logits).cpu().numpy()
        at = np.clip(np.round(beats * BEAT_THIS_FPS).astype(int), 0, len(probability) - 1)
        intervals = np.diff(beats)
        regularity = max(0.0, 1.0 - 4.0 * float(np.std(intervals) / np.mean(intervals)))
        confidence = round(float(np.mean(probability[at])) * regularity, 3)
    detected = 60.0 / float(np.median(np.diff(beats))) if len(beats) >= 2 else 0.0
    return BeatTrack(beats, downbeats, confidence, "beat_this", round(detected, 3))
