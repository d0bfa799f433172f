"""Engine events: what the engine did, at which sample and bar (its log, the sidecars'
event lists, and what the control side follows)."""

from __future__ import annotations

__all__ = ["EngineEvent", "EventKind"]

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from livetimbre.session.model import SlotKey


class EventKind(StrEnum):
    """What an engine event records."""

    LAUNCH = "launch"  # a clip started on a layer
    SWAP = "swap"  # a re-rendered clip took over from the one playing
    STOP = "stop"  # a layer stopped
    SCENE = "scene"  # a scene's clips started (one event besides their launches)
    TEMPO = "tempo"  # the tempo changed
    REALIGN = "realign"  # a bar was played short or long, to end on frame `end`
    FX = "fx"  # an effect parameter changed (layer "" for the master)


@dataclass(frozen=True)
class EngineEvent:
    """A log entry: what happened at which sample and bar."""

    frame: int
    bar: Fraction
    kind: EventKind
    layer: str = ""
    slot: SlotKey | None = None  # launch, swap: the slot of the clip that starts
    scene: str = ""  # scene: its name
    tempo: float | None = None  # tempo: the new BPM
    end: int | None = None  # realign: the frame on which the stretched bar ends
    param: str = ""  # fx: the effect parameter
    value: float | None = None  # fx: its new value

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly, for sidecars: frame, bar, kind, layer, and the fields present."""
        out: dict[str, object] = {"frame": self.frame, "bar": float(self.bar),
                                  "kind": self.kind.value, "layer": self.layer}
        if self.slot is not None:
            out["slot"] = str(self.slot)
        if self.scene:
            out["scene"] = self.scene
        if self.tempo is not None:
            out["tempo"] = self.tempo
        if self.end is not None:
            out["end"] = self.end
        if self.param:
            out["param"] = self.param
            out["value"] = self.value
        return out
