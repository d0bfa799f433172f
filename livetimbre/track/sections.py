"""Sections as the renderers see them: a synthetic one-scene Session per section, whose
clips are planned by `planner.clip` (v4) and rendered by the backends, once each; a
clip's loop is then laid along its section on the track's bar grid (`tile`)."""

from __future__ import annotations

__all__ = ["bar_frame", "clip_plans", "part_from_json", "part_to_json", "section_session",
           "tile"]

from dataclasses import asdict
from fractions import Fraction
from typing import Any

import numpy as np

from livetimbre.genres import GenreRegistry
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.seeds import stable_seed
from livetimbre.music.tempo import bar_samples
from livetimbre.music.theory import parse_meter
from livetimbre.planner.clip import ClipPlan, build_clip_plan
from livetimbre.planner.clipdirection import ClipDirection, compact
from livetimbre.planner.trackplan import CompositionPlan, SectionLayer, SectionPlan
from livetimbre.session.model import ClipSlot, Layer, Scene, Session


def section_session(plan: CompositionPlan, section: SectionPlan) -> Session:
    """The section as a session of one scene: its layers, their prompts and backends."""
    layers = tuple(Layer(la.name, la.instrument, backend=la.backend) for la in section.layers)
    clips = {la.name: ClipSlot(la.prompt, bars=la.loop_bars) for la in section.layers}
    return Session(tempo=plan.tempo, key=plan.key, meter=plan.meter, genre=plan.genre,
                   seed=section.seed, bars=section.bars, layers=layers,
                   scenes=(Scene(section.name, clips, bars=section.bars),))


def clip_plans(plan: CompositionPlan, genres: GenreRegistry, sample_rate: int
               ) -> list[list[ClipPlan]]:
    """The v4 clip plan of every layer of every section. A layer's motif seed comes from
    the track's seed, so its motif carries across sections (the chorus restates it); its
    sound is the one the track's SongSpec chose (the clip's words are not read again)."""
    genre = genres.get(plan.genre)
    out = []
    for section in plan.sections:
        session = section_session(plan, section)
        plans = []
        for layer in section.layers:
            clip = build_clip_plan(session, layer.name, 0, genre, sample_rate,
                                   direction=_direction(plan, layer))
            plans.append(clip.model_copy(update={
                "motif_seed": stable_seed("motif", plan.seed, layer.name)}))
        out.append(plans)
    return out


def _direction(plan: CompositionPlan, layer: SectionLayer) -> ClipDirection | None:
    """The track's SongSpec, compact, with the sound it chose for `layer` (a program, a
    kit on drums, or a percussion key the drums play)."""
    if plan.spec is None:
        return None
    chosen = None
    if layer.program is not None or layer.percussion is not None:
        number = layer.percussion if layer.percussion is not None else layer.program
        kinds = ("percussion",) if layer.percussion is not None else (
            ("kit",) if layer.name == "drums" else ("program",))
        chosen = next((i for i in plan.spec.instruments if i.number == number
                       and i.kind in kinds and i.named), None)
    return compact(plan.spec, chosen)


def bar_frame(bar: float, rate: int, plan: CompositionPlan) -> int:
    """The frame where bar `bar` of the track starts, at `rate`."""
    exact = Fraction(bar).limit_denominator(1000) * bar_samples(rate, plan.tempo,
                                                                parse_meter(plan.meter))
    return round(exact)


def tile(loop: np.ndarray, loop_bars: int, anchor_bar: int, first: int, last: int,
         rate: int, plan: CompositionPlan) -> np.ndarray:
    """Track frames [first, last) of `loop` repeated from bar `anchor_bar` on (and, before
    it, as if it had been playing already): each pass starts on its own bar line."""
    out = np.zeros((max(0, last - first), loop.shape[1]), np.float32)
    if loop.shape[0] == 0 or last <= first:
        return out
    per_bar = float(bar_samples(rate, plan.tempo, parse_meter(plan.meter)))
    k = int(np.floor((first - bar_frame(anchor_bar, rate, plan)) / (loop_bars * per_bar))) - 1
    while True:
        start = bar_frame(anchor_bar + k * loop_bars, rate, plan)
        if start >= last:
            break
        end = bar_frame(anchor_bar + (k + 1) * loop_bars, rate, plan)
        length = min(end - start, loop.shape[0])
        a, b = max(first, start), min(last, start + length)
        if b > a:
            out[a - first:b - first] = loop[a - start:b - start]
        k += 1
    return out


def part_to_json(part: Part | None) -> dict[str, Any] | None:
    return None if part is None else asdict(part)


def part_from_json(data: dict[str, Any] | None) -> Part | None:
    if data is None:
        return None
    notes = tuple(NoteEvent(**n) for n in data["notes"])
    return Part(**{**data, "notes": notes})
