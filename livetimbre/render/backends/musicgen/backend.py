"""The MusicGen backend: plan → prompt → generated audio (continuing a motif's tail when
the clip says `continue:`) → beats → a loop fitted to the grid → balanced like every
other clip of its role. When MusicGen cannot render (torch or transformers missing,
weights not downloaded, out of memory, a device error) the procedural backend renders
the clip instead, flagged as a fallback, unless LIVETIMBRE_MUSICGEN_FALLBACK=0."""

from __future__ import annotations

__all__ = ["MOTIF_TAIL_BARS", "MusicGenBackend", "fallback_allowed"]

import os
import time
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np

from livetimbre import __version__
from livetimbre.errors import RenderError
from livetimbre.music.theory import parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.backends.base import (
    Backend,
    BackendContext,
    Progress,
    RenderCancelled,
    RenderedClip,
)
from livetimbre.render.backends.musicgen.errors import ModelUnavailable
from livetimbre.render.backends.musicgen.hub import beat_this_checkpoint
from livetimbre.render.backends.musicgen.prompt import build_prompt
from livetimbre.render.backends.musicgen.timing import PAD_BARS, generated_seconds
from livetimbre.render.info import ClipInfo, Generation, Motif, Timing
from livetimbre.render.mixing import balance

MOTIF_TAIL_BARS = 2  # how much of a motif's end the model hears before it continues
_MAX_TAIL_S = 10.0
_FIT_VERSION = "1"


def fallback_allowed() -> bool:
    """False when LIVETIMBRE_MUSICGEN_FALLBACK is 0/off/no/false."""
    value = os.environ.get("LIVETIMBRE_MUSICGEN_FALLBACK", "1").strip().lower()
    return value not in ("0", "off", "no", "false")


def _dist_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "missing"


def _device_failure(exc: BaseException) -> str | None:
    """A reason when `exc` is an out-of-memory or accelerator error, else None."""
    name = type(exc).__name__
    text = str(exc)
    if "OutOfMemory" in name or "out of memory" in text.lower():
        return f"out of memory on the model's device ({text[:160]})"
    if isinstance(exc, RuntimeError) and any(w in text for w in ("CUDA", "MPS", "cuDNN",
                                                                   "device-side", "HIP")):
        return f"device error ({text[:160]})"
    return None


class MusicGenBackend:
    """Renders clip plans with a MusicGen checkpoint (see the module's description)."""

    name = "musicgen"

    def __init__(self, model_id: str, context: BackendContext) -> None:
        self.model_id = model_id
        self.context = context
        self.note = ""
        self._procedural: Backend | None = None
        self._tails: dict[str, np.ndarray] = {}  # rendered loops by plan hash (motifs)

    def versions(self) -> dict[str, str]:
        return {"livetimbre": __version__, "model": self.model_id,
                "transformers": _dist_version("transformers"), "torch": _dist_version("torch"),
                "beat_this": _dist_version("beat-this"), "fit": _FIT_VERSION}

    # --- rendering --------------------------------------------------------------------
    def render(self, plan: ClipPlan, progress: Progress | None = None) -> RenderedClip:
        report = progress or (lambda _fraction: None)
        try:
            return self._render(plan, report)
        except RenderCancelled:
            raise
        except ModelUnavailable as exc:
            return self._fallback(plan, report, str(exc))
        except Exception as exc:
            reason = _device_failure(exc)
            if reason is None:
                raise
            return self._fallback(plan, report, reason)

    def _fallback(self, plan: ClipPlan, report: Progress, reason: str) -> RenderedClip:
        if not fallback_allowed():
            raise RenderError(f"musicgen:{self.model_id} cannot render {plan.layer}@"
                              f"{plan.scene}: {reason} (fallback is off: "
                              "LIVETIMBRE_MUSICGEN_FALLBACK=0).")
        if self._procedural is None:
            from livetimbre.render.backends.procedural import ProceduralBackend

            self._procedural = ProceduralBackend.from_context(self.context)
        self.note = f"musicgen:{self.model_id} falls back to procedural: {reason}"
        clip = self._procedural.render(plan, report)
        info = clip.info.join(ClipInfo(backend="procedural", fallback=True,
                                       fallback_reason=reason, requested_backend=plan.backend,
                                       model=self.model_id))
        return RenderedClip(clip.plan, clip.audio, clip.part, clip.recipe_hash, info)

    def _genre_prompt(self, plan: ClipPlan) -> str:
        return build_prompt(plan, self.context.genres.get(plan.genre))

    def _motif_audio(self, motif: ClipPlan) -> np.ndarray:
        """The loop of the clip being continued: kept from its render in this worker,
        else rendered now (seeded, so the same clip)."""
        key = motif.recipe_hash(motif.backend, {})
        if key not in self._tails:
            if motif.backend.partition(":")[0] == "musicgen":
                model = motif.backend.partition(":")[2] or self.model_id
                backend = self if model == self.model_id else MusicGenBackend(model, self.context)
                clip = backend.render(motif)
            else:
                from livetimbre.render.backends.procedural import ProceduralBackend

                if self._procedural is None:
                    self._procedural = ProceduralBackend.from_context(self.context)
                clip = self._procedural.render(motif)
            self._tails[key] = clip.audio
        return self._tails[key]

    def _render(self, plan: ClipPlan, report: Progress) -> RenderedClip:
        from livetimbre.render.backends.musicgen.generate import generate
        from livetimbre.render.backends.musicgen.loading import load_model

        started = time.perf_counter()
        meter = parse_meter(plan.meter)
        loaded = load_model(self.model_id)
        report(0.02)
        prompt = self._genre_prompt(plan)
        motif: Motif | None = None
        tail = None
        if plan.motif is not None:
            tail = self._tail(self._motif_audio(plan.motif), plan, loaded.sample_rate,
                              loaded.channels)
            motif = Motif(continues=f"{plan.motif.layer}@{plan.motif.scene}",
                          motif_backend=plan.motif.backend,
                          prompt_seconds=round(tail.shape[0] / loaded.sample_rate, 3),
                          conditioning="melody" if loaded.melody else "audio continuation")
        seconds = generated_seconds(plan.bars, plan.tempo, meter.beats)
        generation = generate(loaded, prompt, seconds, plan.sampling, plan.seed,
                              lambda f: report(0.05 + 0.8 * f), tail)
        report(0.86)
        fit_started = time.perf_counter()
        neural, beat_note = self._neural_track(generation.audio, generation.sample_rate,
                                               loaded.device)
        from livetimbre.fitting import fit_to_grid

        fitted = fit_to_grid(generation.audio, generation.sample_rate, tempo=plan.tempo,
                             meter=meter, bars=plan.bars, engine_rate=plan.sample_rate,
                             neural=neural, start_s=0.25 * PAD_BARS * meter.beats * 60
                             / plan.tempo)
        stereo = fitted.audio if fitted.audio.shape[1] == 2 else np.repeat(
            fitted.audio[:, :1], 2, axis=1)
        loop, measured, gain_db = balance(np.ascontiguousarray(stereo, np.float32),
                                          plan.role, plan.sample_rate, plan.theme.dynamics_db)
        fit_seconds = time.perf_counter() - fit_started
        report(1.0)
        self._tails[plan.recipe_hash(plan.backend, {})] = loop
        info = ClipInfo(
            backend="musicgen", model=self.model_id, device=loaded.device,
            prompt=prompt, sampling=generation.sampling, seed=plan.seed,
            fallback=False,
            generation=Generation(
                steps=generation.steps, seconds=round(generation.seconds, 3),
                steps_per_second=round(generation.steps_per_second, 2),
                realtime_factor=round(generation.realtime_factor, 3),
                audio_seconds=round(generation.audio.shape[0] / generation.sample_rate, 3),
                model_sample_rate=generation.sample_rate,
                load_seconds=round(loaded.load_seconds, 3),
            ),
            fit=fitted.info.timed(beat_note, round(fit_seconds, 3)),
            timing=Timing(render_seconds=round(time.perf_counter() - started, 3),
                          steps_per_second=round(generation.steps_per_second, 2),
                          fit_seconds=round(fit_seconds, 3), frame_rate=loaded.frame_rate),
            raw_lufs=round(measured, 2), balance_gain_db=round(gain_db, 2),
        )
        if motif is not None:
            info = info.join(ClipInfo(motif=motif))
        return RenderedClip(plan, loop, None, plan.recipe_hash(plan.backend, self.versions()),
                            info)

    def _tail(self, loop: np.ndarray, plan: ClipPlan, rate: int, channels: int
              ) -> np.ndarray:
        """The motif's last bars at the model's rate and channel count."""
        import soxr

        assert plan.motif is not None
        bars = min(MOTIF_TAIL_BARS, plan.motif.bars)
        frames = min(loop.shape[0], round(bars * loop.shape[0] / plan.motif.bars),
                     round(_MAX_TAIL_S * plan.motif.sample_rate))
        tail = loop[loop.shape[0] - frames:]
        tail = np.asarray(soxr.resample(tail, plan.motif.sample_rate, rate), np.float32)
        if channels == 1:
            return np.asarray(tail.mean(axis=1, keepdims=True), np.float32)
        return tail

    def _neural_track(self, audio: np.ndarray, rate: int, device: str) -> tuple[Any, str]:
        """beat_this's track when its weights are on disk, and a note for the sidecar."""
        checkpoint = beat_this_checkpoint(self.context.home)
        if checkpoint is None:
            return None, "no weights (livetimbre models pull beat_this): librosa tracks"
        try:
            from livetimbre.render.backends.musicgen.beatnet import track_with_beat_this

            return track_with_beat_this(audio, rate, checkpoint, device), str(checkpoint.name)
        except ImportError as exc:
            return None, f"not installed ({exc.name}): librosa tracks"
        except (OSError, RuntimeError, KeyError, ValueError) as exc:
            return None, f"unusable weights ({type(exc).__name__}): librosa tracks"
