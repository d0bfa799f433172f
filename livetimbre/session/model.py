"""Session, Layer, Scene and ClipSlot: immutable snapshots of the performance state."""

from __future__ import annotations

__all__ = ["ClipSlot", "Layer", "PatternRef", "SampleRef", "Scene", "Session", "SlotKey",
           "SlotState"]

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from livetimbre.errors import ValueProblem
from livetimbre.music.instruments import Role, role_for_layer
from livetimbre.music.values import DEFAULT_COMPOSE_SECONDS, DEFAULT_RELEASE_MS
from livetimbre.session.mapping import Binding


class SlotState(StrEnum):
    """Life cycle of a clip slot, as the Session View shows it."""

    EMPTY = "empty"
    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    PLAYING = "playing"
    FAILED = "failed"


@dataclass(frozen=True, order=True)
class SlotKey:
    """A clip slot: layer × scene (by name); shown as "layer@scene"."""

    layer: str
    scene: str

    def __str__(self) -> str:
        return f"{self.layer}@{self.scene}"


@dataclass(frozen=True)
class Layer:
    """A track of the Session View: one instrument, one player in the mixer."""

    name: str
    instrument: str = ""
    gain_db: float = 0.0
    muted: bool = False
    soloed: bool = False
    backend: str | None = None  # 'NAME[:MODEL]'; None: the session's default
    release_ms: float = DEFAULT_RELEASE_MS  # how long it fades out when stopped
    sampling: Mapping[str, float] = field(default_factory=dict)  # over the session's
    kit: str | None = None  # a folder of one-shots the drum patterns play (absolute path)
    fx: Mapping[str, float] = field(default_factory=dict)  # effect values off their default

    @property
    def role(self) -> Role:
        return role_for_layer(self.name, self.instrument)


@dataclass(frozen=True)
class SampleRef:
    """A user's audio loop in a slot: the file (absolute path), its tempo when known
    (None: found by beat tracking) and `key`: None (no pitch shift), 'auto' (shift the
    estimated key to the session's) or the loop's key, given (shift from it)."""

    path: str
    bpm: float | None = None
    key: str | None = None


@dataclass(frozen=True)
class PatternRef:
    """A clip's mini-notation pattern (where its notes fall); `vel` and `gate` patterns
    of their own (0-1, and a share of each event's length); `cycles`: bars per cycle, a
    pattern too (`"<1 2>"`: as Tidal's `slow "<1 2>"`)."""

    text: str
    vel: str | None = None
    gate: str | None = None
    cycles: str = "1"


@dataclass(frozen=True)
class ClipSlot:
    """A prompt (or a user's loop, `sample`) waiting in a layer × scene cell;
    `bars`/`seed` override the session's."""

    prompt: str
    bars: int | None = None
    seed: int | None = None
    continues: str | None = None  # 'LAYER@SCENE': a model continues that clip's audio
    lyrics: str | None = None  # a vocals clip's own words (/lyrics); None: written for it
    sample: SampleRef | None = None  # the slot plays this file, fitted, not a render
    pattern: PatternRef | None = None  # the notes fall where this pattern says


@dataclass(frozen=True)
class Scene:
    """A row of the Session View: the clips launched together."""

    name: str
    clips: Mapping[str, ClipSlot] = field(default_factory=dict)
    bars: int | None = None


@dataclass(frozen=True)
class Session:
    """Everything the performance is: musical context, layers and scenes."""

    tempo: float
    key: str
    meter: str
    genre: str
    seed: int | None = None
    quantize: str = "1M"
    bars: int = 4
    layers: tuple[Layer, ...] = ()
    scenes: tuple[Scene, ...] = ()
    controller: str | None = None  # the grid controller profile the patch asks for
    backend: str = "procedural"  # the render backend of layers that name none (/model)
    sampling: Mapping[str, float] = field(default_factory=dict)  # model sampling (/cfg)
    duration: float = DEFAULT_COMPOSE_SECONDS  # what /compose plans (s; /duration)
    director: str | None = None  # who reads prompts (lexicon|embedding|llm[:MODEL]); None: default
    render_server: str | None = None  # the render server the patch asks for (a checked URL)
    midi_map: tuple[Binding, ...] = ()  # learned and mapped controls (MIDI and OSC)
    fx: Mapping[str, float] = field(default_factory=dict)  # master effects off their default

    def layer(self, name: str) -> Layer:
        """The layer called `name`; unknown names raise ValueProblem listing the known."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        known = ", ".join(layer.name for layer in self.layers) or "none"
        raise ValueProblem(f"Unknown layer '{name}' (layers: {known}).")

    def scene_index(self, ref: str | int) -> int:
        """0-based index of a scene given by 1-based number or by name."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            number = int(ref)
            if 1 <= number <= len(self.scenes):
                return number - 1
            raise ValueProblem(
                f"Scene {number} does not exist (scenes are numbered 1 to {len(self.scenes)})."
            )
        for index, scene in enumerate(self.scenes):
            if scene.name == ref:
                return index
        known = ", ".join(s.name for s in self.scenes) or "none"
        raise ValueProblem(f"Unknown scene '{ref}' (scenes: {known}).")

    def backend_for(self, layer: str) -> str:
        """The backend spec that renders `layer`'s clips."""
        return self.layer(layer).backend or self.backend

    def sampling_for(self, layer: str) -> dict[str, float]:
        """The sampling parameters of `layer`'s model renders (the layer's over the
        session's)."""
        return {**self.sampling, **self.layer(layer).sampling}

    def scene_bars(self, index: int) -> int:
        """How many bars scene `index` lasts in an offline render."""
        return self.scenes[index].bars or self.bars
