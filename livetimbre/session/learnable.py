"""Learnable targets: what a mapped knob, fader, pad or OSC control can move.

A target is named by words, as `/learn` takes them: `drums gain`, `drums mute`,
`drums solo`, `drums stop`, `drums clip 2`, `scene 2`, `tempo`, `tempo nudge`,
`tempo up`, `tempo down`, and the effect parameters (`drums cutoff`, `master stutter`,
...). `resolve` turns the words into a `Continuous` (a value over a range), a `Toggle`
(on/off) or a `Trigger` (a press), each of which builds the command that sets it, so a
mapped control speaks the same commands as every other surface.
"""

from __future__ import annotations

__all__ = ["Continuous", "Target", "Toggle", "Trigger", "learnable_words", "resolve"]

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from livetimbre.errors import ValueProblem
from livetimbre.music.values import MAX_TEMPO, MIN_TEMPO
from livetimbre.session import commands as c
from livetimbre.session.model import Session

Curve = Literal["linear", "log", "fader"]
STEPS = 127  # an absolute MIDI control's positions past 0
FADER_FLOOR_DB = -96.0


@dataclass(frozen=True)
class Continuous:
    """A value from `low` to `high` along `curve`; a relative tick moves it `tick` (in
    the value's own units). A `delta` target (a nudge) moves by how far any control
    moved, absolute or relative."""

    label: str
    low: float
    high: float
    unit: str
    read: Callable[[Session], float]
    make: Callable[[float], c.Command]
    curve: Curve = "linear"
    tick: float = 0.0  # 0: one of STEPS positions
    digits: int = 2  # the value is rounded to this many decimals
    delta: bool = False

    def value_at(self, position: float) -> float:
        """The value at control position 0..1."""
        p = min(1.0, max(0.0, position))
        if self.curve == "fader":  # as a mixer's fader: 90/127 is 0 dB, 127 is +6 dB
            value = FADER_FLOOR_DB if p <= 0 else max(FADER_FLOOR_DB, 6.0 + 40 * math.log10(p))
        elif self.curve == "log":
            value = self.low * (self.high / self.low) ** p
        else:
            value = self.low + (self.high - self.low) * p
        return self.clamp(value)

    def position_of(self, value: float) -> float:
        """The control position 0..1 at which the value is `value`."""
        v = self.clamp(value)
        if self.curve == "fader":
            return 0.0 if v <= FADER_FLOOR_DB else min(1.0, 10 ** ((v - 6.0) / 40))
        if self.curve == "log":
            return math.log(v / self.low) / math.log(self.high / self.low)
        return (v - self.low) / (self.high - self.low)

    def stepped(self, value: float, ticks: float) -> float:
        """`value` moved by `ticks` relative ticks."""
        if self.tick:
            return self.clamp(value + ticks * self.tick)
        return self.value_at(self.position_of(value) + ticks / STEPS)

    def clamp(self, value: float) -> float:
        low = FADER_FLOOR_DB if self.curve == "fader" else self.low
        return round(min(self.high, max(low, value)), self.digits)


@dataclass(frozen=True)
class Toggle:
    """On or off: a note flips it, a CC or OSC value sets it (on from half way)."""

    label: str
    read: Callable[[Session], bool]
    make: Callable[[bool], c.Command]


@dataclass(frozen=True)
class Trigger:
    """A press: a note on, or a CC or OSC value rising past half way."""

    label: str
    make: Callable[[Session], c.Command]


Target = Continuous | Toggle | Trigger

_LAYER_WORDS = ("gain", "mute", "solo", "stop", "clip N")
_OTHER_WORDS = ("scene N", "tempo", "tempo nudge", "tempo up", "tempo down")


def learnable_words() -> list[str]:
    """What `/learn` takes, for help and error messages."""
    return [*(f"LAYER {w}" for w in _LAYER_WORDS), *_OTHER_WORDS]


def _scene_ref(word: str) -> c.SceneRef:
    return int(word) if word.isdigit() else word


def _gain(layer: str) -> Continuous:
    return Continuous(f"{layer} gain", FADER_FLOOR_DB, 6.0, "dB",
                      lambda s: s.layer(layer).gain_db, lambda v: c.SetGain(layer, v),
                      curve="fader", digits=1)


def _tempo(label: str, nudge: bool) -> Continuous:
    def make(bpm: float) -> c.Command:
        return c.SetTempo(bpm)

    def read(session: Session) -> float:
        return session.tempo

    if nudge:
        return Continuous(label, MIN_TEMPO, MAX_TEMPO, "BPM", read, make, tick=0.1, delta=True)
    return Continuous(label, 60.0, 200.0, "BPM", read, make, tick=0.5, digits=1)


def _tempo_step(label: str, bpm: float) -> Trigger:
    def make(session: Session) -> c.Command:
        return c.SetTempo(round(min(MAX_TEMPO, max(MIN_TEMPO, session.tempo + bpm)), 2))

    return Trigger(label, make)


def _layer_target(session: Session, layer: str, words: list[str]) -> Target:
    session.layer(layer)  # an unknown layer is named, with the known ones
    param, rest = words[0].lower(), words[1:]
    label = f"{layer} {' '.join(words)}"
    if param == "clip" and len(rest) == 1:
        scene = _scene_ref(rest[0])
        session.scene_index(scene)
        return Trigger(label, lambda _: c.LaunchClip(layer, scene))
    if rest:
        raise ValueProblem(f"'{label}' is not learnable (learnable: "
                           f"{', '.join(learnable_words())}).")
    if param == "gain":
        return _gain(layer)
    if param == "mute":
        return Toggle(label, lambda s: s.layer(layer).muted, lambda on: c.SetMute(layer, on))
    if param == "solo":
        return Toggle(label, lambda s: s.layer(layer).soloed, lambda on: c.SetSolo(layer, on))
    if param == "stop":
        return Trigger(label, lambda _: c.StopLayer(layer))
    raise ValueProblem(f"Layer {layer} has no parameter {param[:40]!r} (learnable: "
                       f"{', '.join(_LAYER_WORDS)}).")


def resolve(words: str, session: Session) -> Target:
    """The target `words` name in `session`; ValueProblem naming what is unknown."""
    parts = words.split()
    if not parts:
        raise ValueProblem(f"Name a target to learn ({', '.join(learnable_words())}).")
    head = parts[0]
    if head.lower() == "scene" and len(parts) == 2 and head not in _layer_names(session):
        scene = _scene_ref(parts[1])
        session.scene_index(scene)
        return Trigger(f"scene {parts[1]}", lambda _: c.LaunchScene(scene))
    if head.lower() == "tempo" and head not in _layer_names(session):
        rest = [p.lower() for p in parts[1:]]
        if not rest:
            return _tempo("tempo", nudge=False)
        if rest == ["nudge"]:
            return _tempo("tempo nudge", nudge=True)
        if rest in (["up"], ["down"]):
            return _tempo_step(f"tempo {rest[0]}", 1.0 if rest == ["up"] else -1.0)
        raise ValueProblem(f"'{' '.join(parts)[:60]}' is not learnable (tempo, tempo nudge, "
                           "tempo up, tempo down).")
    if len(parts) < 2:
        raise ValueProblem(f"'{head[:40]}' needs a parameter, e.g. '{head[:40]} gain' "
                           f"(learnable: {', '.join(learnable_words())}).")
    return _layer_target(session, head, parts[1:])


def _layer_names(session: Session) -> set[str]:
    return {layer.name for layer in session.layers}
