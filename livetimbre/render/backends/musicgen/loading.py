"""Loading a MusicGen checkpoint (or a MusicGen-Melody one) with its processor, once per
model id and device in each render worker. A MusicGen-Melody checkpoint gets its
tokenizer and the settings of its chroma input (`melody`): transformers' processor for
it needs torchaudio."""

from __future__ import annotations

__all__ = ["LoadedModel", "import_torch", "load_model"]

import importlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livetimbre.render.backends.musicgen.device import choose_device
from livetimbre.render.backends.musicgen.errors import ModelUnavailable
from livetimbre.render.backends.musicgen.hub import resolve
from livetimbre.render.backends.musicgen.melody import ChromaSettings

_LOADED: dict[tuple[str, str], LoadedModel] = {}


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to generate: itself, its processor, and facts for the sidecar."""

    id: str
    model: Any
    processor: Any  # a MusicGen-Melody checkpoint's: its tokenizer
    device: str
    melody: bool
    sample_rate: int
    channels: int
    frame_rate: float
    load_seconds: float
    chroma: ChromaSettings | None = None  # a MusicGen-Melody checkpoint's melody input


def import_torch() -> Any:
    """torch, or ModelUnavailable saying how to install it."""
    try:
        import torch
    except ImportError:
        raise ModelUnavailable("torch is not installed: pip install 'livetimbre[musicgen]' "
                               "(MusicGen renders need torch and transformers).") from None
    return torch


def load_model(model_id: str) -> LoadedModel:
    """The model `model_id` on the chosen device, loaded on first use and then kept."""
    torch = import_torch()
    device = choose_device(torch)
    loaded = _LOADED.get((model_id, device))
    if loaded is not None:
        return loaded
    try:
        transformers: Any = importlib.import_module("transformers")
    except ImportError:
        raise ModelUnavailable("transformers is not installed: pip install "
                               "'livetimbre[musicgen]'.") from None
    transformers.logging.set_verbosity_error()
    started = time.perf_counter()
    folder = resolve(model_id)
    try:
        config = transformers.AutoConfig.from_pretrained(folder)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"{model_id[:80]} is not a model folder transformers can "
                               f"read ({str(exc)[:160]}).") from None
    melody = config.model_type == "musicgen_melody"
    if config.model_type not in ("musicgen", "musicgen_melody"):
        raise ModelUnavailable(f"{model_id[:80]} is a {config.model_type} model, not MusicGen.")
    cls = (transformers.MusicgenMelodyForConditionalGeneration if melody
           else transformers.MusicgenForConditionalGeneration)
    model = cls.from_pretrained(folder).to(device).eval()
    if melody:
        processor = transformers.AutoTokenizer.from_pretrained(folder)
        chroma: ChromaSettings | None = ChromaSettings.of(Path(folder))
    else:
        processor = transformers.AutoProcessor.from_pretrained(folder)
        chroma = None
    audio = model.config.audio_encoder
    hop = 1
    for ratio in audio.upsampling_ratios:
        hop *= int(ratio)
    loaded = LoadedModel(
        id=model_id, model=model, processor=processor, device=device, melody=melody,
        sample_rate=int(audio.sampling_rate), channels=int(model.config.decoder.audio_channels),
        frame_rate=audio.sampling_rate / hop, load_seconds=time.perf_counter() - started,
        chroma=chroma)
    _LOADED[(model_id, device)] = loaded
    return loaded
