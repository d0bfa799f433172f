"""Mixing (Timbre's preparation and mix assembly, AETHER's mixing engine).

Each clip's loop goes through its layer's EQ and compressor once (cyclically, so it
still loops), is laid along its section, and is shaped at the section's edges: a butt
join with micro fades where both sections sit on the shared bar grid, an equal-power
crossfade across the boundary otherwise (a section that fell back to another backend, or
a clip that is not bar-exact) — for that, both sides play on past the boundary, the loop
continuing as if it went on. Every layer feeds the reverb send; the sum is brought to
the target RMS before mastering. Every transition is recorded.
"""

from __future__ import annotations

__all__ = ["CROSSFADE_BEATS", "MICRO_FADE_S", "default_layer_mix", "mix_track"]

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from livetimbre.genres.profile import GenreProfile
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.trackplan import CompositionPlan
from livetimbre.track.dsp import (
    Band,
    Compressor,
    Reverb,
    apply_eq,
    compress,
    convolve,
    cyclic,
    eq_sos,
    equal_power,
    reverb_ir,
)
from livetimbre.track.sections import bar_frame, tile
from livetimbre.track.specs import LayerMix, MixSpec, SoundDesignSpec, Transition

MICRO_FADE_S = 0.005
CROSSFADE_BEATS = 1.0
TARGET_RMS = 0.2  # Timbre's mix bus level before mastering
_ENDING_BARS = 1.0

_LAYER_DEFAULTS: dict[str, tuple[list[Band], Compressor, float]] = {
    "drums": ([Band(kind="highpass", hz=30)],
              Compressor(threshold_db=-22, ratio=3, attack_ms=5, release_ms=80), -20.0),
    "bass": ([Band(kind="highpass", hz=35), Band(kind="peak", hz=250, gain_db=-2, q=1.0)],
             Compressor(threshold_db=-24, ratio=4, attack_ms=15, release_ms=150), -32.0),
    "chords": ([Band(kind="highpass", hz=120), Band(kind="peak", hz=400, gain_db=-1.5)],
               Compressor(threshold_db=-26, ratio=2), -13.0),
    "pad": ([Band(kind="highpass", hz=150), Band(kind="highshelf", hz=8000, gain_db=-2)],
            Compressor(threshold_db=-28, ratio=1.5, release_ms=250), -11.0),
    "lead": ([Band(kind="highpass", hz=180), Band(kind="peak", hz=3000, gain_db=1.5)],
             Compressor(threshold_db=-24, ratio=2.5), -15.0),
    "texture": ([Band(kind="highpass", hz=200)],
                Compressor(threshold_db=-32, ratio=1.5, release_ms=300), -13.0),
    "choir": ([Band(kind="highpass", hz=180), Band(kind="highshelf", hz=10000, gain_db=-2)],
              Compressor(threshold_db=-28, ratio=2, release_ms=250), -9.0),
    # the sung stem comes with its own vocal chain (high-pass, de-esser, compression and
    # a reverb send): here only a low cut, a gentle glue and a little of the track's room
    "vocals": ([Band(kind="highpass", hz=90)],
               Compressor(threshold_db=-24, ratio=1.5, attack_ms=10, release_ms=120), -20.0),
}


def default_layer_mix(layer: str, genre: GenreProfile) -> LayerMix:
    """The layer's channel strip; the genre's reverb amount moves every send."""
    bands, compressor, send = _LAYER_DEFAULTS.get(layer, _LAYER_DEFAULTS["chords"])
    offset = 12 * (genre.production.reverb - 0.3)
    return LayerMix(eq=bands, compressor=compressor, reverb_send_db=round(send + offset, 2))


def genre_reverb(genre: GenreProfile, seed: int) -> Reverb:
    return Reverb(seconds=round(1.2 + 2.0 * genre.production.reverb, 2), seed=seed)


@dataclass
class MixResult:
    spec: MixSpec
    mix: np.ndarray
    stems: dict[str, np.ndarray]


def _transitions(plan: CompositionPlan, sound: SoundDesignSpec, rate: int
                 ) -> list[Transition]:
    out = []
    beat = plan.bar_seconds / max(1, _beats(plan))
    for before, after in zip(plan.sections, plan.sections[1:], strict=False):
        reasons = []
        for section in (before, after):
            clips = sound.sections[section.index].clips
            if any(c.fallback for c in clips):
                reasons.append(f"{section.name} fell back to {_fallen(clips)}")
            if not all(c.exact for c in clips):
                reasons.append(f"{section.name} is not bar-exact")
        at = bar_frame(after.start_bar, rate, plan)
        if reasons:
            seconds = min(1.0, max(0.25, CROSSFADE_BEATS * beat))
            out.append(Transition(after=before.name, before=after.name, at_frame=at,
                                  at_seconds=round(at / rate, 6), mode="crossfade",
                                  seconds=round(seconds, 4), reason="; ".join(reasons)))
        else:
            out.append(Transition(after=before.name, before=after.name, at_frame=at,
                                  at_seconds=round(at / rate, 6), mode="butt",
                                  seconds=MICRO_FADE_S,
                                  reason="both sections on the shared bar grid"))
    return out


def _beats(plan: CompositionPlan) -> int:
    return int(plan.meter.split("/")[0])


def _fallen(clips: list) -> str:  # type: ignore[type-arg]
    return ", ".join(sorted({c.backend for c in clips if c.fallback}))


def _ramp(frames: int) -> np.ndarray:
    """0 → 1 over `frames` (sample centres, so neither end is exactly 0 or 1)."""
    return ((np.arange(frames) + 0.5) / frames).astype(np.float32)


def _envelope(frames: int, fade_in: int, fade_out: int, crossfade_in: bool,
              crossfade_out: bool) -> np.ndarray:
    """Gain over a section's audio (with its crossfade overhangs): micro (linear) or
    equal-power fades at each edge."""
    gain = np.ones(frames, np.float32)
    if fade_in:
        gain[:fade_in] = equal_power(fade_in)[1] if crossfade_in else _ramp(fade_in)
    if fade_out:
        gain[frames - fade_out:] *= (equal_power(fade_out)[0] if crossfade_out
                                     else _ramp(fade_out)[::-1])
    return gain


def mix_track(plan: CompositionPlan, genre: GenreProfile, clips: list[list[ClipPlan]],
              sound: SoundDesignSpec, load_loop: Callable[[int, str], np.ndarray],
              rate: int, keep_stems: bool = False) -> MixResult:
    """Assemble and mix the track at `rate` (see the module's description)."""
    total = bar_frame(plan.bars, rate, plan)
    transitions = _transitions(plan, sound, rate)
    layer_names = list(dict.fromkeys(la.name for s in plan.sections for la in s.layers))
    strips = {name: default_layer_mix(name, genre) for name in layer_names}
    reductions = dict.fromkeys(layer_names, 0.0)
    micro = max(1, round(MICRO_FADE_S * rate))
    ending = min(round(_ENDING_BARS * plan.bar_seconds * rate), total // 4)
    reverb = genre_reverb(genre, plan.seed)
    ir = reverb_ir(rate, reverb)
    mix = np.zeros((total, 2), np.float32)
    send = np.zeros((total, 2), np.float32)
    stems = {name: np.zeros((total, 2), np.float32) for name in layer_names} if (
        keep_stems) else {}
    section_frames = []
    for section, plans in zip(plan.sections, clips, strict=True):
        start = bar_frame(section.start_bar, rate, plan)
        end = bar_frame(section.start_bar + section.bars, rate, plan)
        section_frames.append((start, end))
        left = transitions[section.index - 1] if section.index > 0 else None
        right = transitions[section.index] if section.index < len(transitions) else None
        pre = round(left.seconds * rate / 2) if left and left.mode == "crossfade" else 0
        post = round(right.seconds * rate / 2) if right and right.mode == "crossfade" else 0
        first, last = max(0, start - pre), min(total, end + post)
        fade_in = 2 * pre if pre else micro
        fade_out = 2 * post if post else (ending if right is None else micro)
        gain = _envelope(last - first, min(fade_in, last - first), min(fade_out,
                         last - first), bool(pre), bool(post))
        for clip in plans:
            strip = strips[clip.layer]
            loop = load_loop(section.index, clip.layer)
            sos = eq_sos(strip.eq, rate)

            def equalise(x: np.ndarray, sos: np.ndarray | None = sos) -> np.ndarray:
                return apply_eq(x, sos)

            loop = cyclic(equalise, loop, rate // 2)
            loop, reduction = compress(loop, rate, strip.compressor)
            reductions[clip.layer] = max(reductions[clip.layer], reduction)
            audio = tile(loop, clip.bars, section.start_bar, first, last, rate, plan)
            audio *= gain[:, None]
            mix[first:last] += audio
            send[first:last] += audio * np.float32(10 ** (strip.reverb_send_db / 20))
            if keep_stems:
                stems[clip.layer][first:last] += audio
    wet = convolve(send, ir)[:total]
    return_db = -6.0
    mix += wet * np.float32(10 ** (return_db / 20))
    rms = float(np.sqrt(np.mean(np.square(mix, dtype=np.float64))))
    gain_db = 20 * math.log10(TARGET_RMS / rms) if rms > 0 else 0.0
    scale = np.float32(10 ** (gain_db / 20))
    mix *= scale
    for stem in stems.values():
        stem *= scale
    section_rms = {}
    for section, (start, end) in zip(plan.sections, section_frames, strict=True):
        part = mix[start:end]
        value = float(np.sqrt(np.mean(np.square(part, dtype=np.float64)))) if part.size else 0
        section_rms[section.name] = round(20 * math.log10(value), 2) if value > 0 else -200.0
    layers = {name: strips[name].model_copy(update={
        "max_reduction_db": round(reductions[name], 2)}) for name in layer_names}
    spec = MixSpec(sample_rate=rate, frames=total, layers=layers, reverb=reverb,
                   reverb_return_db=return_db, target_rms=TARGET_RMS,
                   gain_db=round(gain_db, 4), section_rms=section_rms,
                   section_frames=section_frames, crossfades=transitions,
                   ending_fade_seconds=round(ending / rate, 4))
    return MixResult(spec, mix, stems)
