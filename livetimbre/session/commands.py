"""Commands: the one language every control surface speaks (frozen data).

The REPL, OSC, MIDI controllers, clock followers and the patch watcher all build these,
and `live.performer` performs them. Each value is checked once, here, when the command
is built (a bad tempo never becomes a command); what depends on the session (does the
layer exist?) is checked when the command is applied.

The session changes live in `session.changes` and are importable here too. A new
command is a class in one of the two unions (`SessionChange`, `Action`) and a handler:
mypy fails where a match over them does not handle it (`typing.assert_never`).
"""

from __future__ import annotations

__all__ = [
    "Action",
    "AddLayer",
    "AddScene",
    "Command",
    "Compose",
    "Help",
    "LaunchClip",
    "LaunchScene",
    "Learn",
    "Load",
    "MapControl",
    "Panic",
    "PlanPrompt",
    "Quit",
    "RenameScene",
    "Save",
    "SceneRef",
    "SessionChange",
    "SetClipPattern",
    "SetClipPrompt",
    "SetClipSample",
    "SetDuration",
    "SetFx",
    "SetGain",
    "SetGenre",
    "SetKey",
    "SetKit",
    "SetLyrics",
    "SetModel",
    "SetMute",
    "SetQuantize",
    "SetRelease",
    "SetSampling",
    "SetSeed",
    "SetSolo",
    "SetTempo",
    "ShowDevices",
    "ShowFx",
    "ShowGrid",
    "ShowMap",
    "ShowStatus",
    "StartRecording",
    "StopAll",
    "StopCompose",
    "StopLayer",
    "StopLearning",
    "StopRecording",
    "Undo",
    "Unmap",
]

from dataclasses import dataclass
from pathlib import Path

from livetimbre.errors import ValueProblem
from livetimbre.music.values import check_compose_seconds, check_prompt, check_seed
from livetimbre.session.changes import (
    AddLayer,
    AddScene,
    MapControl,
    RenameScene,
    SceneRef,
    SessionChange,
    SetClipPattern,
    SetClipPrompt,
    SetClipSample,
    SetDuration,
    SetFx,
    SetGain,
    SetGenre,
    SetKey,
    SetKit,
    SetLyrics,
    SetModel,
    SetMute,
    SetQuantize,
    SetRelease,
    SetSampling,
    SetSeed,
    SetSolo,
    SetTempo,
    Unmap,
    check_scene_ref,
)
from livetimbre.session.mapping import check_encoding


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's own field


# --- launching and stopping (quantized; not in the undo history) ----------------------
@dataclass(frozen=True)
class LaunchClip:
    layer: str
    scene: SceneRef

    def __post_init__(self) -> None:
        check_scene_ref(self.scene)


@dataclass(frozen=True)
class LaunchScene:
    scene: SceneRef

    def __post_init__(self) -> None:
        check_scene_ref(self.scene)


@dataclass(frozen=True)
class StopLayer:
    layer: str


@dataclass(frozen=True)
class StopAll:
    pass


@dataclass(frozen=True)
class Panic:
    """Stop every layer now, without waiting for a boundary or a release (a 3 ms fade
    only); silence MIDI outputs."""


# --- history, files, recording --------------------------------------------------------
@dataclass(frozen=True)
class Undo:
    pass


@dataclass(frozen=True)
class Save:
    path: Path | None = None  # None: the patch the session came from


@dataclass(frozen=True)
class Load:
    path: Path


@dataclass(frozen=True)
class StartRecording:
    path: Path


@dataclass(frozen=True)
class StopRecording:
    pass


# --- composing a track in the background (not in the undo history) -------------------
@dataclass(frozen=True)
class Compose:
    """Compose a whole track from `prompt` in the background, as `livetimbre compose`
    does: `output` (None: a new file under the home's tracks folder), `seconds` for this
    run (None: the session's /duration), `short` for a short-form piece under 90 s."""

    prompt: str
    output: Path | None = None
    seconds: float | None = None
    short: bool = False
    genre: str | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        if not self.prompt.strip():
            raise ValueProblem('Say what the track is: /compose "PROMPT".')
        check_prompt(self.prompt)
        if self.seconds is not None:
            _set(self, "seconds", check_compose_seconds(self.seconds))
        if self.seed is not None:
            check_seed(self.seed)


@dataclass(frozen=True)
class StopCompose:
    """Cancel the compose running in the background."""


@dataclass(frozen=True)
class PlanPrompt:
    """Show what the Creative Director reads in `prompt` and the track plan it leads to
    (as `livetimbre plan`), rendering nothing."""

    prompt: str

    def __post_init__(self) -> None:
        if not self.prompt.strip():
            raise ValueProblem('Say what the track is: /plan "PROMPT".')
        check_prompt(self.prompt)


# --- learning controls (the map itself changes through MapControl / Unmap) ------------
@dataclass(frozen=True)
class Learn:
    """Arm learning: the next knob, fader, pad or OSC control moved is bound to `target`
    (its words, e.g. 'drums cutoff'), read with `encoding`, with soft takeover unless
    `takeover` is False."""

    target: str
    encoding: str = "absolute"
    takeover: bool = True

    def __post_init__(self) -> None:
        _set(self, "target", " ".join(self.target.split()))
        if not self.target:
            raise ValueProblem("Say what to learn: /learn LAYER PARAM (e.g. /learn drums "
                               "cutoff).")
        _set(self, "encoding", check_encoding(self.encoding))


@dataclass(frozen=True)
class StopLearning:
    """Disarm learning (`/learn off`)."""


@dataclass(frozen=True)
class ShowMap:
    """List the mapped controls and what is being learned."""


# --- looking around, leaving ------------------------------------------------------------
@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class ShowGrid:
    pass


@dataclass(frozen=True)
class ShowFx:
    """Show `layer`'s effect settings (None: the master's and every layer's)."""

    layer: str | None = None


@dataclass(frozen=True)
class ShowDevices:
    pass


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Quit:
    """Leave the REPL (a headless run stops on SIGINT/SIGTERM instead)."""


Action = (
    LaunchClip | LaunchScene | StopLayer | StopAll | Panic | Undo | Save | Load
    | StartRecording | StopRecording | Compose | StopCompose | PlanPrompt | ShowStatus
    | ShowGrid | ShowFx | Learn | StopLearning | ShowMap
    | ShowDevices | Help | Quit
)
"""The commands that are not session changes: `live.performer` handles each one."""

Command = SessionChange | Action
"""Every command: a new one belongs to `SessionChange` (session.changes) or `Action`."""
