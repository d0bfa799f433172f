"""Texture layers that name a sound: rendered by the noise synthesizer, or as a General
MIDI sound effect played on purpose, instead of by the composer (music.textures has the
word table)."""

from __future__ import annotations

__all__ = ["TextureClip", "render_texture", "requested_texture"]

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from livetimbre.music.notes import Part
from livetimbre.music.textures import GM_EFFECTS, texture_intensity, texture_kind
from livetimbre.music.theory import parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.render.info import ClipInfo
from livetimbre.synth.base import Synth, fold_loop
from livetimbre.synth.effects import effect_part
from livetimbre.synth.noise import NoiseSpec, render_noise


@dataclass(frozen=True)
class TextureClip:
    """A texture loop before mixing: its audio, its notes (effects only) and what it is."""

    audio: np.ndarray
    part: Part | None
    info: ClipInfo


def requested_texture(plan: ClipPlan) -> str | None:
    """The texture kind a texture layer's prompt names, else its instrument's, else None
    (other roles, and textures naming no kind, are the composer's)."""
    if plan.role != "texture":
        return None
    return texture_kind(plan.prompt) or texture_kind(plan.instrument)


def render_texture(plan: ClipPlan, kind: str, synth: Synth, samples_per_beat: Fraction,
                   reverb: float) -> TextureClip:
    """Render `kind` for `plan`: a noise loop, or an effect part played by `synth`."""
    text = f"{plan.prompt} {plan.instrument}"
    intensity = texture_intensity(text, plan.theme.density, plan.theme.energy)
    if kind in GM_EFFECTS:
        beats_per_bar = parse_meter(plan.meter).beats
        part = effect_part(kind, plan.beats, beats_per_bar, intensity, plan.seed, reverb)
        raw = synth.render(part, samples_per_beat, plan.frames)
        return TextureClip(fold_loop(raw, plan.frames), part, ClipInfo(
            texture=kind, texture_intensity=intensity,
            texture_source=f"gm program {part.program}", notes=len(part.notes)))
    spec = NoiseSpec(kind, intensity, plan.theme.brightness, plan.theme.words)
    audio = render_noise(spec, plan.frames, plan.sample_rate, plan.seed)
    return TextureClip(audio, None, ClipInfo(texture=kind, texture_intensity=intensity,
                                             texture_source="noise synth", notes=0))
