"""Session changes: the commands that change the session (undoable; see
`session.state.apply`). Each is frozen data checked when it is built, and says how it
is typed (`slash`, what /undo names) and what it changed (`answer`, the reply).

A new session change is a class here, a member of `SessionChange`, and its case in
`session.state.apply`; mypy fails where one of these is missing.
"""

from __future__ import annotations

__all__ = [
    "AddLayer",
    "AddScene",
    "MapControl",
    "RenameScene",
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
    "Unmap",
    "check_scene_ref",
]

from dataclasses import dataclass

from livetimbre.errors import ValueProblem
from livetimbre.music.effects import check_fx, fx_spec, show_fx
from livetimbre.music.theory import parse_key
from livetimbre.music.values import (
    check_backend,
    check_compose_seconds,
    check_gain_db,
    check_lyrics,
    check_name,
    check_prompt,
    check_quantize,
    check_release_ms,
    check_sampling,
    check_seed,
    check_tempo,
    sampling_name,
)
from livetimbre.session.mapchanges import MapControl, Unmap
from livetimbre.session.model import Session
from livetimbre.session.patternchange import SetClipPattern
from livetimbre.session.sources import SetClipSample, SetKit

SceneRef = str | int  # a scene by 1-based number or by name


def _on(value: bool) -> str:
    return "on" if value else "off"


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's own field


def check_scene_ref(ref: SceneRef) -> SceneRef:
    """`ref` if it can name a scene (a number from 1, or a name)."""
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

    def slash(self) -> str:
        return f"/tempo {self.bpm:g}"

    def answer(self, new: Session) -> str:
        return f"tempo {new.tempo:g} BPM from the next bar"


@dataclass(frozen=True)
class SetKey:
    key: str

    def __post_init__(self) -> None:
        _set(self, "key", str(parse_key(self.key)))

    def slash(self) -> str:
        return f"/key {self.key}"

    def answer(self, new: Session) -> str:
        return f"key {new.key}: re-rendering"


@dataclass(frozen=True)
class SetGenre:
    genre: str

    def slash(self) -> str:
        return f"/genre {self.genre}"

    def answer(self, new: Session) -> str:
        return f"genre {new.genre}: re-rendering"


@dataclass(frozen=True)
class SetSeed:
    seed: int | None

    def __post_init__(self) -> None:
        if self.seed is not None:
            check_seed(self.seed)

    def slash(self) -> str:
        return f"/seed {self.seed}"

    def answer(self, new: Session) -> str:
        seed = "from the prompts" if new.seed is None else str(new.seed)
        return f"seed {seed}: re-rendering"


@dataclass(frozen=True)
class SetQuantize:
    quantize: str

    def __post_init__(self) -> None:
        _set(self, "quantize", check_quantize(self.quantize))

    def slash(self) -> str:
        return f"/quantize {self.quantize}"

    def answer(self, new: Session) -> str:
        return f"launches now wait for the next {self.quantize}"


@dataclass(frozen=True)
class SetModel:
    """The default render backend for layers that name none: 'NAME' or 'NAME:MODEL'."""

    backend: str

    def __post_init__(self) -> None:
        check_backend(self.backend)

    def slash(self) -> str:
        return f"/model {self.backend}"

    def answer(self, new: Session) -> str:
        return f"layers without a backend of their own now render with {self.backend}"


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

    def slash(self) -> str:
        words = " ".join(f"{n}={'default' if v is None else f'{v:g}'}" for n, v in self.params)
        return f"/sampling {self.layer + ' ' if self.layer else ''}{words}"

    def answer(self, new: Session) -> str:
        layer = self.layer
        values = ", ".join(f"{k}={v:g}" for k, v in sorted(
            (new.layer(layer).sampling if layer else new.sampling).items())) or "defaults"
        return f"{'layer ' + layer if layer else 'session'} sampling: {values} (model renders)"


@dataclass(frozen=True)
class SetDuration:
    """What `/compose` plans, in seconds: the value asked for; the session keeps it
    clamped into long-form's 90–180 s."""

    seconds: float

    def __post_init__(self) -> None:
        _set(self, "seconds", check_compose_seconds(self.seconds))

    def slash(self) -> str:
        return f"/duration {self.seconds:g}"

    def answer(self, new: Session) -> str:
        return f"/compose makes {new.duration:g} s tracks"


@dataclass(frozen=True)
class SetClipPrompt:
    layer: str
    scene: SceneRef
    prompt: str | None  # None or empty: clear the slot

    def __post_init__(self) -> None:
        check_scene_ref(self.scene)
        if self.prompt:
            check_prompt(self.prompt)

    def slash(self) -> str:
        prompt = self.prompt
        shown = prompt if prompt is None or len(prompt) <= 40 else prompt[:37] + "..."
        return f"/clip {self.layer} {self.scene}" + (f' "{shown}"' if shown else "")

    def answer(self, new: Session) -> str:
        name = new.scenes[new.scene_index(self.scene)].name
        prompt = self.prompt
        shown = prompt if prompt is None or len(prompt) <= 60 else prompt[:57] + "..."
        if prompt:
            return f"{self.layer}@{name}: rendering '{shown}'"
        return f"{self.layer}@{name} cleared"


@dataclass(frozen=True)
class SetLyrics:
    """The words a vocals clip sings (None or empty: words written for its prompt)."""

    layer: str
    scene: SceneRef
    words: str | None

    def __post_init__(self) -> None:
        check_scene_ref(self.scene)
        if self.words is not None:
            words = check_lyrics(self.words, "/lyrics").strip()
            _set(self, "words", words or None)

    def slash(self) -> str:
        words = None if self.words is None else self.words.replace("\n", " / ")
        shown = words if words is None or len(words) <= 40 else words[:37] + "..."
        return f"/lyrics {self.layer} {self.scene}" + (f' "{shown}"' if shown else "")

    def answer(self, new: Session) -> str:
        name = new.scenes[new.scene_index(self.scene)].name
        if self.words:
            return f"{self.layer}@{name}: new words, re-rendering"
        return f"{self.layer}@{name}: words written for its prompt, re-rendering"


@dataclass(frozen=True)
class SetGain:
    layer: str
    db: float

    def __post_init__(self) -> None:
        _set(self, "db", check_gain_db(self.db))

    def slash(self) -> str:
        return f"/gain {self.layer} {self.db:g}"

    def answer(self, new: Session) -> str:
        return f"{self.layer} at {self.db:g} dB"


@dataclass(frozen=True)
class SetRelease:
    """How long `layer` fades out when it stops (ms)."""

    layer: str
    ms: float

    def __post_init__(self) -> None:
        _set(self, "ms", check_release_ms(self.ms))

    def slash(self) -> str:
        return f"/release {self.layer} {self.ms:g}"

    def answer(self, new: Session) -> str:
        return f"{self.layer} fades out over {self.ms:g} ms when it stops"


@dataclass(frozen=True)
class SetFx:
    """Set effect `param` of `layer` (None: a master effect) to `value` (see
    `music.effects`: choices and switches are numbers too)."""

    layer: str | None
    param: str
    value: float

    def __post_init__(self) -> None:
        spec = fx_spec(self.param)
        _set(self, "param", spec.name)
        _set(self, "value", check_fx(spec.name, self.value))
        if (spec.scope == "master") != (self.layer is None):
            where = "the master" if spec.scope == "master" else "a layer"
            raise ValueProblem(f"Effect {spec.name} belongs to {where}: /fx "
                               f"{'master' if spec.scope == 'master' else 'LAYER'} "
                               f"{spec.name} VALUE.")

    def slash(self) -> str:
        return f"/fx {self.layer or 'master'} {self.param} {show_fx(self.param, self.value)}"

    def answer(self, new: Session) -> str:
        shown = show_fx(self.param, self.value)
        unit = fx_spec(self.param).unit
        return f"{self.layer or 'master'} {self.param} {shown}{' ' + unit if unit else ''}"


@dataclass(frozen=True)
class SetMute:
    layer: str
    muted: bool

    def slash(self) -> str:
        return f"/mute {self.layer} {_on(self.muted)}"

    def answer(self, new: Session) -> str:
        return f"{self.layer} {'muted' if self.muted else 'unmuted'}"


@dataclass(frozen=True)
class SetSolo:
    layer: str
    soloed: bool

    def slash(self) -> str:
        return f"/solo {self.layer} {_on(self.soloed)}"

    def answer(self, new: Session) -> str:
        return f"{self.layer} {'soloed' if self.soloed else 'unsoloed'}"


@dataclass(frozen=True)
class AddLayer:
    name: str
    instrument: str = ""

    def __post_init__(self) -> None:
        check_name(self.name, "Layer")

    def slash(self) -> str:
        return f"/layer add {self.name} {self.instrument}".rstrip()

    def answer(self, new: Session) -> str:
        return f"layer {self.name} added" + (f" ({self.instrument})" if self.instrument else "")


@dataclass(frozen=True)
class AddScene:
    name: str

    def __post_init__(self) -> None:
        check_name(self.name, "Scene")

    def slash(self) -> str:
        return f"/scene add {self.name}"

    def answer(self, new: Session) -> str:
        return f"scene {self.name} added (scene {len(new.scenes)})"


@dataclass(frozen=True)
class RenameScene:
    scene: SceneRef
    name: str

    def __post_init__(self) -> None:
        check_scene_ref(self.scene)
        check_name(self.name, "Scene")

    def slash(self) -> str:
        return f"/scene rename {self.scene} {self.name}"

    def answer(self, new: Session) -> str:
        return f"scene {new.scene_index(self.name) + 1} is now {self.name}"


SessionChange = (
    SetTempo | SetKey | SetGenre | SetSeed | SetQuantize | SetModel | SetSampling | SetDuration
    | SetClipPrompt | SetLyrics | SetGain | SetRelease | SetFx | SetMute | SetSolo | AddLayer
    | AddScene | RenameScene | MapControl | Unmap | SetClipSample | SetKit | SetClipPattern
)
