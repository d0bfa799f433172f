"""The engine's commands: frozen data queued by `Engine.submit` from any thread and
applied by the audio thread at their exact sample (see `engine.engine`)."""

from __future__ import annotations

__all__ = [
    "AddChannel",
    "ChangeQuantize",
    "ChangeTempo",
    "ClipId",
    "EngineCommand",
    "ForgetClip",
    "Realign",
    "RemoveChannel",
    "SetChannel",
    "SetEffect",
    "SetRelease",
    "StartClip",
    "StartScene",
    "StopChannel",
    "StoreClip",
    "SwapClip",
    "Timed",
]

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from livetimbre.engine.mixer import LayerChannel, LoopClip
from livetimbre.errors import ValueProblem
from livetimbre.music.effects import check_fx, fx_spec
from livetimbre.music.values import check_release_ms
from livetimbre.session.model import SlotKey

ClipId = int  # a clip in the engine's clip table (see StoreClip)


@dataclass(frozen=True)
class StoreClip:
    """Put `clip` in the engine's clip table under `id` (replacing any clip stored there)."""

    id: ClipId
    clip: LoopClip


@dataclass(frozen=True)
class ForgetClip:
    """Drop clip `id` from the table; a channel still playing it plays on."""

    id: ClipId


@dataclass(frozen=True)
class StartClip:
    """Start stored clip `clip` on `layer` at bar `at_bar`, or at the next `quantize`
    boundary."""

    layer: str
    clip: ClipId
    quantize: str | None = None
    at_bar: Fraction | int | None = None


@dataclass(frozen=True)
class StopChannel:
    """Stop `layer` at bar `at_bar` or the next boundary: it releases (see
    `LayerChannel.stop`); with `panic`, over the short crossfade only."""

    layer: str
    quantize: str | None = None
    at_bar: Fraction | int | None = None
    panic: bool = False


@dataclass(frozen=True)
class StartScene:
    """Start a scene's clips together: layers mapped to None stop, absent ones play on."""

    clips: Mapping[str, ClipId | None]
    scene: str = ""
    quantize: str | None = None
    at_bar: Fraction | int | None = None


@dataclass(frozen=True)
class SetChannel:
    """Change a layer's gain (dB), mute or solo, applied at the start of the next block."""

    layer: str
    gain_db: float | None = None
    muted: bool | None = None
    soloed: bool | None = None


@dataclass(frozen=True)
class SetEffect:
    """Set effect `param` of `layer` (None: a master effect) to `value`, at the start of
    the next block, or on frame `at_frame` (a replay of a performance's event log).
    Layer effects glide to their new value; a stutter engages on its next grid point."""

    layer: str | None
    param: str
    value: float
    at_frame: int | None = None

    def __post_init__(self) -> None:
        spec = fx_spec(self.param)
        check_fx(spec.name, self.value)
        if (spec.scope == "master") != (self.layer is None):
            raise ValueProblem(f"Effect {spec.name} is a {spec.scope} effect.")


@dataclass(frozen=True)
class SetRelease:
    """How long `layer` takes to fade out when it stops (ms), from the next block."""

    layer: str
    ms: float

    def __post_init__(self) -> None:
        check_release_ms(self.ms)


@dataclass(frozen=True)
class ChangeTempo:
    """Change the tempo at the next `quantize` boundary (default: the next bar)."""

    bpm: float
    quantize: str | None = "1M"
    at_bar: Fraction | int | None = None


@dataclass(frozen=True)
class ChangeQuantize:
    """The boundary that commands without a quantize of their own wait for, from now on."""

    quantize: str


@dataclass(frozen=True)
class Realign:
    """Play bar `bar` short or long so that it ends on frame `end` (for a clock follower:
    the next bar line moves onto Ableton Link's). Applied on bar `bar`'s own bar line,
    never mid-bar: dropped if that has passed when it arrives, or if the bar would last
    under half or over one and a half bars."""

    bar: int
    end: int


@dataclass(frozen=True)
class SwapClip:
    """Swap stored clip `clip` in for `layer`'s playing clip at the start of its next loop
    pass.

    For a re-rendered version of the playing clip; ignored if the layer has stopped or
    plays a clip of a slot other than `replaces` by then.
    """

    layer: str
    clip: ClipId
    replaces: SlotKey


@dataclass(frozen=True)
class AddChannel:
    """Add a layer strip (built on the control thread, so the callback allocates nothing)."""

    channel: LayerChannel


@dataclass(frozen=True)
class RemoveChannel:
    """Remove a layer strip (what it plays stops at once)."""

    layer: str


Timed = StartClip | StopChannel | StartScene | ChangeTempo
EngineCommand = (
    StoreClip | ForgetClip | StartClip | StopChannel | StartScene | SetChannel | SetRelease
    | SetEffect | ChangeTempo | ChangeQuantize | Realign | SwapClip | AddChannel | RemoveChannel
)
