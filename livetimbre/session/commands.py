"""Commands: the one language every control surface speaks (frozen data).

The REPL, OSC, MIDI controllers, clock followers and the patch watcher all build these,
and `live.performer` performs them. Each value is checked once, here, when the command
is built (a bad tempo never becomes a command); what depends on the session (does the
layer exist?) is checked when the command is applied.
"""

from __future__ import annotations

__all__ = [
    "AddLayer",
    "AddScene",
    "Command",
    "Compose",
    "Help",
    "LaunchClip",
    "LaunchScene",
    "Load",
    "Panic",
    "Quit",
    "RenameScene",
    "Save",
    "SceneRef",
    "SessionChange",
    "SetClipPrompt",
    "SetDuration",
    "SetGain",
    "SetGenre",
    "SetKey",
    "SetModel",
    "SetMute",
    "SetQuantize",
    "SetRelease",
    "SetSampling",
    "SetSeed",
    "SetSolo",
    "SetTempo",
    "ShowDevices",
    "ShowGrid",
    "ShowStatus",
    "StartRecording",
    "StopAll",
    "StopCompose",
    "StopLayer",
    "StopRecording",
    "Undo",
]

from dataclasses import dataclass
from pathlib import Path

from livetimbre.errors import ValueProblem
from livetimbre.music.theory import parse_key
from livetimbre.music.values import (
    check_backend,
    check_compose_seconds,
    check_gain_db,
    check_name,
    check_prompt,
    check_quantize,
    check_release_ms,
    check_sampling,
    check_seed,
    check_tempo,
    sampling_name,
)

SceneRef = str | int  # a scene by 1-based number or by name


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's own field


def _check_scene_ref(ref: SceneRef) -> SceneRef:
    if isinstance(ref, int) and ref < 1:
        raise ValueProblem(f"Scene number {ref} must be 1 or more (scenes count from 1).")
    if isinstance(ref, str) and not ref:
        raise ValueProblem("A scene needs a number or a name.")
    return ref


# --- session changes (undoable) -----------------------------------------------------
@dataclass(frozen=True)
class SetTempo:
    bpm: float

    def __post_init__(self) -> None:
        _set(self, "bpm", check_tempo(self.bpm))


@dataclass(frozen=True)
class SetKey:
    key: str

    def __post_init__(self) -> None:
        _set(self, "key", str(parse_key(self.key)))


@dataclass(frozen=True)
class SetGenre:
    genre: str


@dataclass(frozen=True)
class SetSeed:
    seed: int | None

    def __post_init__(self) -> None:
        if self.seed is not None:
            check_seed(self.seed)


@dataclass(frozen=True)
class SetQuantize:
    quantize: str

    def __post_init__(self) -> None:
        _set(self, "quantize", check_quantize(self.quantize))


@dataclass(frozen=True)
class SetModel:
    """The default render backend for layers that name none: 'NAME' or 'NAME:MODEL'."""

    backend: str

    def __post_init__(self) -> None:
        check_backend(self.backend)


@dataclass(frozen=True)
class SetSampling:
    """Model sampling parameters (top_k, top_p, temperature, guidance_scale) for the
    session, or for one layer; a value of None removes the parameter."""

    params: tuple[tuple[str, float | None], ...]
    layer: str | None = None

    def __post_init__(self) -> None:
        if not self.params:
            raise ValueProblem("Give at least one parameter, e.g. temperature=1.1.")
        _set(self, "params", tuple(
            (sampling_name(name), None) if value is None else check_sampling(name, value)
            for name, value in self.params))


@dataclass(frozen=True)
class SetDuration:
    """What `/compose` plans, in seconds: the value asked for; the session keeps it
    clamped into long-form's 90–180 s."""

    seconds: float

    def __post_init__(self) -> None:
        _set(self, "seconds", check_compose_seconds(self.seconds))


@dataclass(frozen=True)
class SetClipPrompt:
    layer: str
    scene: SceneRef
    prompt: str | None  # None or empty: clear the slot

    def __post_init__(self) -> None:
        _check_scene_ref(self.scene)
        if self.prompt:
            check_prompt(self.prompt)


@dataclass(frozen=True)
class SetGain:
    layer: str
    db: float

    def __post_init__(self) -> None:
        _set(self, "db", check_gain_db(self.db))


@dataclass(frozen=True)
class SetRelease:
    """How long `layer` fades out when it stops (ms)."""

    layer: str
    ms: float

    def __post_init__(self) -> None:
        _set(self, "ms", check_release_ms(self.ms))


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

    def __post_init__(self) -> None:
        check_name(self.name, "Layer")


@dataclass(frozen=True)
class AddScene:
    name: str

    def __post_init__(self) -> None:
        check_name(self.name, "Scene")


@dataclass(frozen=True)
class RenameScene:
    scene: SceneRef
    name: str

    def __post_init__(self) -> None:
        _check_scene_ref(self.scene)
        check_name(self.name, "Scene")


SessionChange = (
    SetTempo | SetKey | SetGenre | SetSeed | SetQuantize | SetModel | SetSampling | SetDuration
    | SetClipPrompt | SetGain | SetRelease | SetMute | SetSolo | AddLayer | AddScene
    | RenameScene
)


# --- launching and stopping (quantized; not in the undo history) ----------------------
@dataclass(frozen=True)
class LaunchClip:
    layer: str
    scene: SceneRef

    def __post_init__(self) -> None:
        _check_scene_ref(self.scene)


@dataclass(frozen=True)
class LaunchScene:
    scene: SceneRef

    def __post_init__(self) -> None:
        _check_scene_ref(self.scene)


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


# --- looking around, leaving ------------------------------------------------------------
@dataclass(frozen=True)
class ShowStatus:
    pass


@dataclass(frozen=True)
class ShowGrid:
    pass


@dataclass(frozen=True)
class ShowDevices:
    pass


@dataclass(frozen=True)
class Help:
    topic: str | None = None


@dataclass(frozen=True)
class Quit:
    """Leave the REPL (a headless run stops on SIGINT/SIGTERM instead)."""


Command = (
    SessionChange | LaunchClip | LaunchScene | StopLayer | StopAll | Panic | Undo | Save | Load
    | StartRecording | StopRecording | Compose | StopCompose | ShowStatus | ShowGrid
    | ShowDevices | Help | Quit
)
