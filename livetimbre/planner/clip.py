"""v4 clip plans: one bar-perfect loop for one layer × scene slot (Timbre §3)."""

from __future__ import annotations

__all__ = ["ClipPlan", "PatternPlan", "build_clip_plan"]

import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.instruments import VOICE_PROGRAM, Role, find_drum_kit, find_program
from livetimbre.music.seeds import derive_seed, stable_seed
from livetimbre.music.tempo import clip_frames
from livetimbre.music.theory import parse_key, parse_meter
from livetimbre.planner.clipdirection import ClipDirection, direct_clip
from livetimbre.planner.sources import KitPlan, SamplePlan, plan_kit, plan_sample
from livetimbre.planner.theme import ThemeDescriptor, describe_prompt
from livetimbre.session.model import Session


class PatternPlan(BaseModel):
    """A pattern clip's mini-notation: where the notes fall (see livetimbre.patterns)."""

    model_config = ConfigDict(frozen=True)

    text: str
    vel: str | None = None
    gate: str | None = None
    cycles: str = "1"  # bars per cycle: a number, or a pattern of numbers


class ClipPlan(BaseModel):
    """Everything needed to render one clip, and nothing else (so it hashes the recipe)."""

    model_config = ConfigDict(frozen=True)

    version: Literal["v4"] = "v4"
    layer: str
    scene: str
    role: Role
    prompt: str
    instrument: str
    program: int
    bank: int
    genre: str
    backend: str  # the render backend spec, 'NAME[:MODEL]'
    tempo: float
    key: str
    meter: str
    bars: int
    seed: int
    motif_seed: int  # shared by the layer's clips in every scene: their common motif
    harmony_seed: int
    sample_rate: int
    frames: int
    theme: ThemeDescriptor
    # Model backends only (empty / None for procedural plans): sampling parameters, and
    # the plan of the clip whose audio this one continues (`continue: LAYER@SCENE`).
    sampling: dict[str, float] = {}
    motif: ClipPlan | None = None
    # What the director read in the prompt (None: not read, e.g. an empty prompt), and a
    # GM percussion key the drums play (a named hand drum's stand-in).
    direction: ClipDirection | None = None
    percussion: int | None = None
    # A vocals clip's own words (/lyrics, a patch's `lyrics`); None: written for it.
    lyrics: str | None = None
    # The user's own sounds: a loop that the clip plays, fitted (backend 'sample'), or a
    # kit of one-shots that plays a drum clip's notes in place of the SoundFont's.
    sample: SamplePlan | None = None
    kit: KitPlan | None = None
    # A pattern clip: the pattern fixes the positions; prompt and genre the sound and feel.
    pattern: PatternPlan | None = None

    @property
    def beats(self) -> int:
        return self.bars * parse_meter(self.meter).beats

    def recipe_hash(self, backend: str, versions: dict[str, str]) -> str:
        """SHA-256 of the plan, backend and component versions: the render's identity."""
        payload = {"plan": self.model_dump(mode="json"), "backend": backend, "versions": versions}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _program(role: Role, prompt: str, instrument: str, genre: GenreProfile,
             direction: ClipDirection | None) -> tuple[int, int]:
    """(bank, program): the sound the director chose from the prompt, else the prompt's
    instrument words, else the layer's, else the genre's."""
    if role == "vocals":  # a sung line; its MIDI and the wordless fallback: voice oohs
        return 0, VOICE_PROGRAM
    chosen = direction.instrument if direction is not None else None
    if chosen is not None and chosen.kind != "percussion":
        return (128 if chosen.kind == "kit" else 0), chosen.number
    if role == "drums":
        for text in (prompt, instrument):
            kit = find_drum_kit(text)
            if kit is not None:
                return 128, kit
        return 128, genre.instrumentation.drum_kit
    for text in (prompt, instrument):
        program = find_program(text)
        if program is not None:
            return 0, program
    return 0, genre.instrumentation.program_for(role)


_MAX_CHAIN = 8  # continuations of continuations, at most


def _motif(session: Session, ref: str, genre: GenreProfile, sample_rate: int,
           chain: tuple[str, ...], genres: GenreRegistry | None) -> ClipPlan:
    """The plan of the clip `ref` ('LAYER@SCENE') that a clip continues."""
    layer, _, scene = ref.partition("@")
    if ref in chain or len(chain) >= _MAX_CHAIN:
        raise ValueProblem(f"Clip {chain[0]} continues itself through {' → '.join(chain)} "
                           f"→ {ref}: a continuation needs a clip that does not.")
    index = session.scene_index(scene)
    if layer not in session.scenes[index].clips:
        raise ValueProblem(f"Clip {chain[-1]} continues {ref}, which is empty.")
    return build_clip_plan(session, layer, index, genre, sample_rate, genres=genres,
                           _chain=chain)


def build_clip_plan(
    session: Session, layer_name: str, scene_index: int, genre: GenreProfile,
    sample_rate: int, *, genres: GenreRegistry | None = None,
    direction: ClipDirection | None = None, _chain: tuple[str, ...] = (),
) -> ClipPlan:
    """Plan the clip in `layer_name` × scene `scene_index` of `session`. With `genres`,
    the prompt goes through the session's director at clip level (`direct_clip`), unless
    `direction` is given (already read)."""
    layer = session.layer(layer_name)
    scene = session.scenes[scene_index]
    slot = scene.clips[layer_name]
    bars = slot.bars or scene.bars or session.bars
    key = str(parse_key(session.key))
    seed = derive_seed(slot.seed, "clip", session.seed, layer.name, slot.prompt,
                       *((slot.pattern.text,) if slot.pattern is not None else ()))
    motif_seed = stable_seed("motif", session.seed if slot.seed is None else slot.seed,
                             layer.name)
    # Every clip of a scene shares its chords, so layers launched together agree.
    harmony_seed = stable_seed("harmony", session.seed, genre.id, key, scene.name)
    theme = describe_prompt(slot.prompt, genre, bars)
    if direction is None and genres is not None and slot.prompt.strip():
        direction = direct_clip(slot.prompt, layer.role, genres, genre=genre.id, key=key,
                                meter=session.meter, director=session.director)
    bank, program = _program(layer.role, slot.prompt, layer.instrument, genre, direction)
    chosen = direction.instrument if direction is not None else None
    sample = plan_sample(slot.sample) if slot.sample is not None else None
    backend = ("sample" if sample is not None else "procedural" if slot.pattern is not None
               else session.backend_for(layer.name))
    kit = plan_kit(layer.kit) if layer.kit is not None and layer.role == "drums" and (
        backend == "procedural") else None
    model = not backend.startswith(("procedural", "sample"))
    chain = (*_chain, f"{layer.name}@{scene.name}")
    motif = (_motif(session, slot.continues, genre, sample_rate, chain, genres)
             if slot.continues and model else None)
    return ClipPlan(
        layer=layer.name,
        scene=scene.name,
        role=layer.role,
        prompt=slot.prompt,
        instrument=layer.instrument,
        program=program,
        bank=bank,
        genre=genre.id,
        backend=backend,
        tempo=session.tempo,
        key=key,
        meter=session.meter,
        bars=bars,
        seed=seed,
        motif_seed=motif_seed,
        harmony_seed=harmony_seed,
        sample_rate=sample_rate,
        frames=clip_frames(bars, sample_rate, session.tempo, parse_meter(session.meter)),
        theme=theme,
        sampling=session.sampling_for(layer.name) if model else {},
        motif=motif,
        direction=direction,
        percussion=chosen.number if chosen is not None and chosen.kind == "percussion"
        and layer.role == "drums" else None,
        lyrics=slot.lyrics if layer.role == "vocals" else None,
        sample=sample,
        kit=kit,
        pattern=None if slot.pattern is None else PatternPlan(
            text=slot.pattern.text, vel=slot.pattern.vel, gate=slot.pattern.gate,
            cycles=slot.pattern.cycles),
    )
