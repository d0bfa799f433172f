"""What the control process and the audio process say to each other (see `engine.server`).

Every message is a frozen, picklable dataclass sent over the pipe of a `ChildProcess`.
Clip audio is the one exception: `ClipComing` announces it and its raw float32 bytes
follow on the pipe's socket.
"""

from __future__ import annotations

__all__ = [
    "AddLayer",
    "AudioStarted",
    "ClipComing",
    "Events",
    "FromAudio",
    "Record",
    "RecordFailed",
    "RecordStarted",
    "Recorded",
    "RemoteCommand",
    "Shutdown",
    "Stopped",
    "Submit",
    "ToAudio",
]

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from livetimbre.engine.commands import (
    ChangeQuantize,
    ChangeTempo,
    ClipId,
    ForgetClip,
    Realign,
    RemoveChannel,
    SetChannel,
    SetEffect,
    SetRelease,
    StartClip,
    StartScene,
    StopChannel,
    SwapClip,
)
from livetimbre.engine.events import EngineEvent
from livetimbre.session.model import SlotKey

# The engine commands that travel as they are (StoreClip's audio goes as ClipComing,
# AddChannel's strip is built in the audio process: AddLayer).
RemoteCommand = (
    StartClip | StopChannel | StartScene | SetChannel | SetRelease | SetEffect | ChangeTempo
    | ChangeQuantize | Realign | SwapClip | RemoveChannel | ForgetClip
)


# --- control → audio ------------------------------------------------------------------
@dataclass(frozen=True)
class Submit:
    """Queue `command` in the engine."""

    command: RemoteCommand


@dataclass(frozen=True)
class ClipComing:
    """The raw bytes of a float32 clip of `shape` follow: store it as clip `id`."""

    id: ClipId
    shape: tuple[int, ...]
    bars: int
    slot: SlotKey | None
    samples_per_bar: Fraction | None


@dataclass(frozen=True)
class AddLayer:
    """Add a channel for layer `name`."""

    name: str


@dataclass(frozen=True)
class Record:
    """Start recording the output to `path` (at most `max_frames`, if given), or (None)
    stop and report `Recorded`."""

    path: Path | None
    max_frames: int | None = None


@dataclass(frozen=True)
class Shutdown:
    """Stop the output, report `Stopped` and end."""


ToAudio = Submit | ClipComing | AddLayer | Record | Shutdown


# --- audio → control ------------------------------------------------------------------
@dataclass(frozen=True)
class AudioStarted:
    """The `Ready` payload: the output's name, and why 'auto' fell back, if it did."""

    name: str
    note: str


@dataclass(frozen=True)
class Events:
    """Engine events new since the last `Events`, in order."""

    events: tuple[EngineEvent, ...]


@dataclass(frozen=True)
class Recorded:
    """A recording ended: frames written, the engine frame it started on, frames dropped."""

    frames: int
    start: int
    dropped: int


@dataclass(frozen=True)
class RecordStarted:
    """A recording started: its file is open."""


@dataclass(frozen=True)
class RecordFailed:
    """A recording could not start, and why."""

    message: str


@dataclass(frozen=True)
class Stopped:
    """The last message: a summary of the callback's timing (ms)."""

    stats: dict[str, float]


FromAudio = Events | RecordStarted | Recorded | RecordFailed | Stopped
