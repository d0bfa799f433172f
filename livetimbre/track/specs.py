"""Each stage's output, as saved in the job folder (pydantic specs, AETHER's data flow)."""

from __future__ import annotations

__all__ = ["ArrangementSpec", "ClipRecord", "DirectionSpec", "LayerMix", "MasterSpec",
           "MixSpec", "QACheck", "QAReport", "ReleaseSpec", "ReleasedFile", "SectionRender",
           "SoundDesignSpec", "Transition"]

from typing import Any, Literal

from pydantic import BaseModel

from livetimbre.director.spec import SongSpec
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.theme import ThemeDescriptor
from livetimbre.track.dsp import Band, Compressor, Reverb
from livetimbre.voice.lyrics import LyricSpec


class DirectionSpec(BaseModel):
    """Creative direction (AETHER's SongSpec): what the track is, decided once."""

    prompt: str
    title: str
    form: Literal["long", "short"]
    genre: str
    tempo: float
    key: str
    meter: str
    seed: int
    requested_seconds: float
    seconds: float
    mood: list[str]
    theme: ThemeDescriptor
    notes: list[str]
    spec: SongSpec | None = None  # the Creative Director's reading of the prompt


class ArrangementSpec(BaseModel):
    """Every clip of every section as a v4 clip plan (what the renderers get)."""

    sample_rate: int
    clips: list[list[ClipPlan]]  # by section, in layer order
    lyrics: LyricSpec | None = None  # what the vocals sing (None: no vocals part sings)


class ClipRecord(BaseModel):
    layer: str
    recipe_hash: str
    backend: str  # what rendered it (a fallback says procedural)
    fallback: bool
    exact: bool  # exactly the plan's frames, on the bar grid
    frames: int
    info: dict[str, Any]
    part: dict[str, Any] | None  # the notes, when the backend wrote notes


class SectionRender(BaseModel):
    index: int
    name: str
    clips: list[ClipRecord]
    seconds: float  # time taken


class SoundDesignSpec(BaseModel):
    """The rendered sections (their loops are in the job's audio folder)."""

    warm_up: dict[str, float]  # backend → seconds
    backends: dict[str, dict[str, str]]  # backend → component versions
    notes: list[str]
    sections: list[SectionRender]


class Transition(BaseModel):
    after: str
    before: str
    at_frame: int
    at_seconds: float
    mode: Literal["butt", "crossfade"]
    seconds: float
    reason: str


class LayerMix(BaseModel):
    eq: list[Band]
    compressor: Compressor
    reverb_send_db: float
    max_reduction_db: float = 0.0


class MixSpec(BaseModel):
    """AETHER's MixSpec: per-layer EQ, compression and reverb send; Timbre's mix extras."""

    sample_rate: int
    frames: int
    layers: dict[str, LayerMix]
    reverb: Reverb
    reverb_return_db: float
    target_rms: float
    gain_db: float  # applied to reach target_rms
    section_rms: dict[str, float]  # dBFS, before mastering
    section_frames: list[tuple[int, int]]  # where each section sits (start, end)
    crossfades: list[Transition]
    ending_fade_seconds: float


class MasterSpec(BaseModel):
    target_lufs: float
    ceiling_dbtp: float
    tilt_db: float
    tilt_hz: float
    sample_rate: int  # after resampling to the export rate
    bit_depth: int
    format: str
    input_lufs: float
    gain_db: float
    lufs: float
    true_peak_dbtp: float
    max_limiter_reduction_db: float


class QACheck(BaseModel):
    name: str
    ok: bool
    severity: Literal["fail", "warn"]
    value: Any
    expected: str
    detail: str = ""


class QAReport(BaseModel):
    passed: bool
    failures: list[str]
    warnings: list[str]
    checks: list[QACheck]
    figures: dict[str, Any]


class ReleasedFile(BaseModel):
    kind: str
    path: str
    bytes: int
    sha256: str


class ReleaseSpec(BaseModel):
    released: bool  # False: QA failed and only the report was written
    files: list[ReleasedFile]
