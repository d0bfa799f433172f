"""The long-form track plan (schema "v3") as pydantic models: sections, their layers and
orchestration. `planner.longform.plan_track` builds one; its JSON schema is
`CompositionPlan.model_json_schema()` (docs/schemas/composition_plan_v3.json)."""

from __future__ import annotations

__all__ = [
    "PARTS",
    "CompositionPlan",
    "OrchestraPart",
    "Orchestration",
    "SectionLayer",
    "SectionName",
    "SectionPlan",
]

from typing import Literal

from pydantic import BaseModel, ConfigDict

from livetimbre.director.spec import SongSpec
from livetimbre.errors import ValueProblem
from livetimbre.planner.theme import ThemeDescriptor

OrchestraPart = Literal["rhythm", "bass", "harmony", "lead", "textures", "vocals"]
PARTS: tuple[OrchestraPart, ...] = ("rhythm", "bass", "harmony", "lead", "textures", "vocals")
SectionName = Literal["intro", "motif", "chorus", "bridge", "outro", "resolve"]


class SectionLayer(BaseModel):
    """One layer of a section: what the renderers get (a v4 clip plan is built from it)."""

    model_config = ConfigDict(frozen=True)

    name: str  # the layer: drums, bass, chords, pad, lead, texture, choir
    part: OrchestraPart  # Timbre's orchestration group
    instrument: str  # words naming the sound (a GM instrument, a kit, a texture)
    prompt: str  # the clip prompt: the section's words + the prompt's mood words
    backend: str  # 'NAME[:MODEL]'
    loop_bars: int  # the clip rendered once and looped over the section
    # The sound the director chose from the prompt's words (None: the clip planner's from
    # `instrument` or the genre's): a GM program (a bank-128 kit on drums), and a GM
    # percussion key the drums play (a tabla's stand-in).
    program: int | None = None
    percussion: int | None = None


class Orchestration(BaseModel):
    """Timbre's per-section orchestration: the sounds of each part (empty: tacet)."""

    model_config = ConfigDict(frozen=True)

    rhythm: list[str] = []
    bass: list[str] = []
    harmony: list[str] = []
    lead: list[str] = []
    textures: list[str] = []
    vocals: list[str] = []


class SectionPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    name: SectionName
    start_bar: int
    bars: int
    start_seconds: float
    seconds: float
    energy: float
    seed: int  # base seed + the section's offset (motif = base, chorus = base + 1, ...)
    motif_seed: bool  # the first motif section: captured as the track's motif
    arrangement: str
    orchestration: Orchestration
    layers: list[SectionLayer]


class CompositionPlan(BaseModel):
    """A planned track (schema "v3")."""

    model_config = ConfigDict(frozen=True)

    version: Literal["v3"] = "v3"
    form: Literal["long", "short"]
    prompt: str
    requested_seconds: float
    seconds: float  # the planned length: whole bars, so within half a bar of the request
    genre: str
    tempo: float
    key: str
    meter: str
    bars: int
    bar_seconds: float
    seed: int
    theme: ThemeDescriptor
    sections: list[SectionPlan]
    notes: list[str] = []  # what the planner changed or chose, for the user
    spec: SongSpec | None = None  # the Creative Director's reading it was planned from

    def section(self, name: str) -> SectionPlan:
        for section in self.sections:
            if section.name == name:
                return section
        raise ValueProblem(f"No section '{name}' in this plan (sections: "
                           f"{', '.join(s.name for s in self.sections)}).")
