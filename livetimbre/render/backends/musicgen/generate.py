"""Sampling audio from a loaded MusicGen: progress per decoding step (a logits
processor), prompt cancellation (a stopping criterion), an optional audio prompt to
continue (or, for MusicGen-Melody, a melody to follow)."""

from __future__ import annotations

__all__ = ["DEFAULT_SAMPLING", "Generation", "generate"]

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from livetimbre.render.backends.base import RenderCancelled
from livetimbre.render.backends.musicgen.loading import LoadedModel

# MusicGen's own defaults (audiocraft): top-k 250, no top-p, temperature 1, CFG 3.
DEFAULT_SAMPLING: dict[str, float] = {"top_k": 250, "top_p": 0.0, "temperature": 1.0,
                                      "guidance_scale": 3.0}


@dataclass(frozen=True)
class Generation:
    """Generated audio (frames, channels) at the model's rate, without the prompt audio."""

    audio: np.ndarray
    sample_rate: int
    steps: int
    seconds: float
    sampling: dict[str, float]

    @property
    def steps_per_second(self) -> float:
        return self.steps / self.seconds if self.seconds > 0 else math.inf

    @property
    def realtime_factor(self) -> float:
        """Seconds of audio per second of generation."""
        audio_s = self.audio.shape[0] / self.sample_rate
        return audio_s / self.seconds if self.seconds > 0 else math.inf


def _hooks(total: int, report: Callable[[float], None]) -> tuple[Any, Any, dict[str, Any]]:
    from transformers import LogitsProcessor, StoppingCriteria

    state: dict[str, Any] = {"steps": 0, "cancelled": False}

    class StepCounter(LogitsProcessor):
        """Counts decoding steps and reports them; a cancel raised by `report` is noted
        for the stopping criterion."""

        def __call__(self, input_ids: Any, scores: Any) -> Any:
            state["steps"] += 1
            try:
                report(min(1.0, state["steps"] / total))
            except RenderCancelled:
                state["cancelled"] = True
            return scores

    class StopWhenCancelled(StoppingCriteria):
        def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
            import torch

            return torch.full((input_ids.shape[0],), state["cancelled"], dtype=torch.bool,
                              device=input_ids.device)

    return StepCounter(), StopWhenCancelled(), state


def generate(loaded: LoadedModel, prompt: str, seconds: float, sampling: dict[str, float],
             seed: int, report: Callable[[float], None],
             audio_prompt: np.ndarray | None = None) -> Generation:
    """`seconds` of new audio for `prompt`; with `audio_prompt` ((frames, channels) at the
    model's rate) the model continues it (a melody model follows it instead). Raises
    RenderCancelled when `report` does (a newer request, /stop)."""
    import torch
    from transformers import LogitsProcessorList, StoppingCriteriaList

    params = {**DEFAULT_SAMPLING, **sampling}
    steps = max(1, math.ceil(seconds * loaded.frame_rate))
    counter, stopper, state = _hooks(steps, report)
    prompt_frames = 0
    if loaded.melody:  # the tokenizer, and the melody's chroma computed here
        assert loaded.chroma is not None
        inputs = loaded.processor([prompt], padding=True, return_tensors="pt").to(loaded.device)
        if audio_prompt is not None:
            from livetimbre.render.backends.musicgen.melody import melody_chroma

            inputs["input_features"] = melody_chroma(audio_prompt, loaded.sample_rate,
                                                     loaded.chroma, loaded.device)
    else:
        kwargs: dict[str, Any] = {"text": [prompt], "padding": True, "return_tensors": "pt"}
        if audio_prompt is not None:
            channels_first = np.ascontiguousarray(audio_prompt.T, dtype=np.float32)
            wave = channels_first[0] if loaded.channels == 1 else channels_first
            kwargs.update(audio=[wave], sampling_rate=loaded.sample_rate)
            prompt_frames = audio_prompt.shape[0]
        inputs = loaded.processor(**kwargs).to(loaded.device)
    torch.manual_seed(seed)
    started = time.perf_counter()
    with torch.inference_mode():
        out = loaded.model.generate(
            **inputs, do_sample=True, max_new_tokens=steps,
            top_k=int(params["top_k"]), top_p=float(params["top_p"]) or None,
            temperature=float(params["temperature"]),
            guidance_scale=float(params["guidance_scale"]) or None,
            logits_processor=LogitsProcessorList([counter]),
            stopping_criteria=StoppingCriteriaList([stopper]))
    elapsed = time.perf_counter() - started
    if state["cancelled"]:
        raise RenderCancelled("generation cancelled")
    values = out.audio_values if hasattr(out, "audio_values") else out
    audio = values[0].detach().to("cpu", torch.float32).numpy().T  # (frames, channels)
    audio = audio[prompt_frames:]
    return Generation(np.ascontiguousarray(audio), loaded.sample_rate, state["steps"],
                      elapsed, params)
