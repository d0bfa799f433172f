"""What a compose run was asked for: everything needed to run, resume or repeat it."""

from __future__ import annotations

__all__ = ["ComposeRequest"]

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ComposeRequest(BaseModel):
    """The command line of a compose run, resolved (paths absolute, format chosen)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: str
    duration: float = 120.0
    short: bool = False
    genre: str | None = None
    key: str | None = None
    meter: str | None = None
    seed: int | None = None
    backend: str = "procedural"
    backend_for: dict[str, str] = {}
    output: str  # the audio file
    format: Literal["wav", "flac", "ogg", "mp3"] = "wav"
    stems: str | None = None  # folder: one WAV per layer
    midi: str | None = None
    png: str | None = None
    sample_rate: int = Field(48000, ge=8000, le=192000)  # the engine (render) rate
    export_sample_rate: int | None = None
    bit_depth: int = 24
    synth: Literal["auto", "fluidsynth", "basic"] = "auto"
    soundfont: str | None = None
    qa: Literal["fail", "warn"] = "fail"  # what a failed QA check does to the run
    director: str | None = None  # who reads the prompt (lexicon|embedding|llm[:MODEL])
    lyrics: str | None = None  # the user's words to sing (--lyrics FILE), else written
