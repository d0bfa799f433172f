"""The worker API's pydantic models, shared by the server and its clients: the single
source of `docs/schemas/generation_*.json`.

A request is a clip (one bar-perfect loop, as a Session View slot renders it) or a track
(a compose run). Its job id is the SHA-256 of its canonical JSON (every default filled
in, keys sorted), so the same request is the same job. A client rendering a session's
clip sends the clip's own plan (`plan`), so the server renders exactly what a local
worker would.
"""

from __future__ import annotations

__all__ = ["JOB_ID", "ArtifactAudio", "ClipRequest", "GenerationArtifact", "GenerationRequest",
           "GenerationStatus", "JobState", "TrackRequest", "canonical_json", "job_id_of",
           "schemas"]

import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from livetimbre.music.values import MAX_LYRICS, MAX_PROMPT, MAX_SEED
from livetimbre.patch.schema import Backend, Bars, KeyName, MeterName, Name, Sampling, Tempo
from livetimbre.planner.clip import ClipPlan

JOB_ID = r"^[0-9a-f]{64}$"
JobState = Literal["queued", "running", "done", "failed"]
Prompt = Annotated[str, Field(min_length=1, max_length=MAX_PROMPT)]
GenreName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
ModelName = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: Prompt
    genre: GenreName | None = Field(None, description="default: the one the prompt names")
    backend: Backend = Field("procedural", description="render backend: procedural, musicgen")
    model: ModelName | None = Field(None, description="the backend's model, e.g. "
                                                      "facebook/musicgen-small")
    key: KeyName | None = None
    meter: MeterName | None = None
    seed: Seed | None = Field(None, description="default: derived from the prompt")

    @property
    def backend_spec(self) -> str:
        """'NAME[:MODEL]', as a patch names a backend."""
        return f"{self.backend}:{self.model}" if self.model else self.backend


class ClipRequest(_Request):
    """One loop for a layer, bar-perfect (a v4 clip plan); its audio is float32 WAV: the
    loop, then the tail that rings on when it stops (the sidecar gives both lengths)."""

    kind: Literal["clip"]
    layer: Name = Field("lead", description="the layer's name; with `instrument`, its role")
    instrument: Annotated[str, Field(max_length=60)] = ""
    tempo: Tempo | None = Field(None, description="BPM (quarter notes); default: the genre's")
    bars: Bars | None = Field(None, description="loop length (default 4, or from duration)")
    duration: float | None = Field(None, gt=0, le=600,
                                   description="seconds, rounded to whole bars (or bars)")
    sampling: Sampling = Field({}, description="model sampling: top_k, top_p, temperature, "
                                               "guidance_scale")
    plan: ClipPlan | None = Field(None, description="a v4 clip plan to render as it is (a "
                                                    "client's session clip); the values above "
                                                    "are then not used")

    @model_validator(mode="after")
    def _bars_or_duration(self) -> ClipRequest:
        if self.bars is not None and self.duration is not None:
            raise ValueError("give bars or duration, not both")
        return self


class TrackRequest(_Request):
    """A structured, mastered track (a v3 composition plan), as `livetimbre compose`."""

    kind: Literal["track"]
    duration: float = Field(120.0, gt=0, le=3600,
                            description="seconds: 90-180 long-form (clamped), 8-90 short")
    short: bool = Field(False, description="a short-form piece (intro, motif, resolve)")
    format: Literal["wav", "flac", "ogg", "mp3"] = "wav"
    lyrics: str | None = Field(None, max_length=MAX_LYRICS,
                               description="words for the vocals to sing, as a lyrics file "
                                           "holds them; default: written from the prompt")


class GenerationRequest(RootModel[Annotated[ClipRequest | TrackRequest,
                                            Field(discriminator="kind")]]):
    """`POST /generate`: a clip or a track request (`kind`)."""


class GenerationStatus(BaseModel):
    """`GET /status/{job_id}` and each server-sent event."""

    job_id: Annotated[str, Field(pattern=JOB_ID)]
    kind: Literal["clip", "track"] | None = None  # None: a job only the store knows
    state: JobState
    progress: Annotated[float, Field(ge=0, le=1)] = 0.0
    stage: str | None = Field(None, description="what the render is doing")
    eta_seconds: float | None = Field(None, description="guessed from its pace so far")
    queue_position: int | None = Field(None, description="1: next to start (queued only)")
    error: str | None = None
    artifact: str | None = Field(None, description="where the result is, once done")


class ArtifactAudio(BaseModel):
    """The audio file of a finished job."""

    url: str
    media_type: str
    sha256: str = Field(description="also the ETag of GET /artifact/{job_id}")
    bytes: int
    sample_rate: int
    seconds: float


class GenerationArtifact(BaseModel):
    """`GET /artifact/{job_id}/sidecar`: what was rendered; `sidecar.plan` is the plan
    (a v4 clip plan or a v3 composition plan, docs/schemas/composition_plan_v3.json)."""

    job_id: Annotated[str, Field(pattern=JOB_ID)]
    kind: Literal["clip", "track"]
    request: GenerationRequest
    audio: ArtifactAudio
    sidecar: dict[str, Any]


def canonical_json(request: ClipRequest | TrackRequest) -> str:
    """The request with every default filled in, keys sorted, no spaces."""
    return json.dumps(request.model_dump(mode="json"), sort_keys=True,
                      separators=(",", ":"), allow_nan=False)


def job_id_of(request: ClipRequest | TrackRequest) -> str:
    """The job id of a request: the SHA-256 of its canonical JSON."""
    return hashlib.sha256(canonical_json(request).encode()).hexdigest()


def schemas() -> dict[str, dict[str, Any]]:
    """The three documented schemas, by file name."""
    return {"generation_request.json": GenerationRequest.model_json_schema(),
            "generation_status.json": GenerationStatus.model_json_schema(),
            "generation_artifact.json": GenerationArtifact.model_json_schema()}
