"""Commands: the one language every control surface speaks (frozen data).

The REPL, patch files, OSC and MIDI all produce these; `session.state.apply` changes
the session with them, and the engine performs the transport ones (launch, stop).
"""

from __future__ import annotations

__all__ = [
    "AddLayer",
    "AddScene",
    "Command",
    "LaunchClip",
    "LaunchScene",
    "RenameScene",
    "SetClipPrompt",
    "SetGain",
    "SetGenre",
    "SetKey",
    "SetMute",
    "SetQuantize",
    "SetSeed",
    "SetSolo",
    "SetTempo",
    "StopAll",
    "StopLayer",
]

from dataclasses import dataclass


@dataclass(frozen=True)
class SetTempo:
    bpm: float


@dataclass(frozen=True)
class SetKey:
    key: str


@dataclass(frozen=True)
class SetGenre:
    genre: str


@dataclass(frozen=True)
class SetSeed:
    seed: int | None


@dataclass(frozen=True)
class SetQuantize:
    quantize: str


@dataclass(frozen=True)
class SetClipPrompt:
    layer: str
    scene: str | int
    prompt: str | None


@dataclass(frozen=True)
class LaunchClip:
    layer: str
    scene: str | int


@dataclass(frozen=True)
class LaunchScene:
    scene: str | int


@dataclass(frozen=True)
class StopLayer:
    layer: str


@dataclass(frozen=True)
class StopAll:
    pass


@dataclass(frozen=True)
class SetGain:
    layer: str
    db: float


@dataclass(frozen=True)
class SetMute:
    layer: str
    muted: bool


@dataclass(frozen=True)
class SetSolo:
    layer: str
    soloed: bool


@dataclass(frozen=True)
class AddLayer:
    name: str
    instrument: str = ""


@dataclass(frozen=True)
class AddScene:
    name: str


@dataclass(frozen=True)
class RenameScene:
    scene: str | int
    name: str


Command = (
    SetTempo | SetKey | SetGenre | SetSeed | SetQuantize | SetClipPrompt | LaunchClip
    | LaunchScene | StopLayer | StopAll | SetGain | SetMute | SetSolo | AddLayer | AddScene
    | RenameScene
)
