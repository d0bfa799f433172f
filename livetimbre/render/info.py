"""What a render did: the typed figures a rendered clip carries from its backend (in a
render worker) to the sidecars, the store's render cache and the REPL's notes.

A field is written to a sidecar only when the backend set it (`ClipInfo.sidecar`), so
each backend's sidecar keeps its own keys: the procedural composer's chords and feel, a
texture's source, a model's generation, fit and timing figures, a fallback's reason.
A backend of a plugin puts figures of its own in `figures` (JSON values).
"""

from __future__ import annotations

__all__ = ["ClipInfo", "Generation", "Motif", "SampleInfo", "Timing"]

from pydantic import BaseModel, ConfigDict, JsonValue

from livetimbre.compose.info import Feel
from livetimbre.fitting.info import FitInfo
from livetimbre.voice.info import VocalInfo


class Generation(BaseModel):
    """A model's generation: steps, speed and the audio it made."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    steps: int
    seconds: float
    steps_per_second: float
    realtime_factor: float
    audio_seconds: float
    model_sample_rate: int
    load_seconds: float


class Timing(BaseModel):
    """How long a model render took, for guessing how far ahead to ask for a clip."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    render_seconds: float
    steps_per_second: float
    fit_seconds: float
    frame_rate: float  # the model's audio frames (steps) per second


class Motif(BaseModel):
    """The clip a model render continues (its motif) and how it was conditioned."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    continues: str  # LAYER@SCENE
    motif_backend: str
    prompt_seconds: float
    conditioning: str  # 'melody' or 'audio continuation'


class SampleInfo(BaseModel):
    """A user's loop: what the file was, and the key it was read in and shifted from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str  # the file's name (not its folder)
    sample_rate: int
    channels: int
    seconds: float
    repeats: int  # how many times the file was played end to end to fill the clip
    bpm: float | None = None  # the tempo given for it
    key_estimated: str | None = None  # None: no pitch content to read a key from
    key_confidence: float | None = None
    key_from: str | None = None  # the key it was shifted from (estimated or given)
    shift_semitones: int = 0
    shifter: str = "none"


class ClipInfo(BaseModel):
    """The figures of one rendered clip; every field optional (see the module)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: str | None = None  # who rendered it, when not the plan's backend name
    fallback: bool | None = None  # a model's render fell back to procedural
    fallback_reason: str | None = None
    requested_backend: str | None = None
    model: str | None = None
    notes: int | None = None  # how many notes the part has
    raw_lufs: float | None = None  # loudness before balancing
    balance_gain_db: float | None = None
    tail_s: float | None = None  # how long the release rings on after the loop
    chords: list[str] | None = None  # the composer's (compose.info.CompositionInfo)
    form: str | None = None
    feel: Feel | None = None
    ignored_words: list[str] | None = None
    style: str | None = None
    texture: str | None = None  # a texture layer's sound
    texture_intensity: float | None = None
    texture_source: str | None = None
    device: str | None = None  # a model render's
    prompt: str | None = None
    sampling: dict[str, float] | None = None
    seed: int | None = None
    generation: Generation | None = None
    fit: FitInfo | None = None
    timing: Timing | None = None
    motif: Motif | None = None
    loop: SampleInfo | None = None  # a user's loop (the 'sample' backend)
    figures: dict[str, JsonValue] | None = None  # a plugin backend's own
    server: str | None = None  # the render server that rendered it (its URL)
    server_fallback: str | None = None  # why it was rendered here, not on the render server
    vocal: VocalInfo | None = None  # a vocals clip's voice, singer and lyric lines

    def join(self, *parts: BaseModel) -> ClipInfo:
        """This info with the fields set in `parts` (a `CompositionInfo`, a `ClipInfo`)
        added; a later part's field wins."""
        fields = {name: getattr(part, name) for part in (self, *parts)
                  for name in part.model_fields_set}
        return ClipInfo.model_validate(fields)

    def sidecar(self) -> dict[str, JsonValue]:
        """The fields set, as JSON-ready data (the sidecar's and the store's shape)."""
        return self.model_dump(mode="json", exclude_unset=True)
