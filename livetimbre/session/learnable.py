"""Learnable targets: what a mapped knob, fader, pad or OSC control can move.

A target is named by words, as `/learn` takes them: `drums gain`, `drums mute`,
`drums solo`, the layer effects (`drums cutoff`, `drums reverb`, ...), `drums stop`,
`drums clip 2`, `master stutter` (any master parameter of `session.params`), `scene 2`,
`tempo`, `tempo nudge`, `tempo up`, `tempo down`. `resolve` turns the words into a
`Continuous` (a value over a range), a `Toggle` (on/off) or a `Trigger` (a press), each
of which builds the command that sets it, so a mapped control speaks the same commands
as every other surface.
"""

from __future__ import annotations

__all__ = ["Continuous", "Target", "Toggle", "Trigger", "learnable_words", "resolve"]

from collections.abc import Callable
from dataclasses import dataclass

from livetimbre.errors import ValueProblem
from livetimbre.music.values import MAX_TEMPO, MIN_TEMPO
from livetimbre.session import commands as c
from livetimbre.session.model import Session
from livetimbre.session.params import PARAMS, Param, learnable

STEPS = 127  # an absolute MIDI control's positions past 0
TEMPO_TRAVEL = (60.0, 200.0)  # BPM a tempo knob spans (a relative one steps 0.5 BPM)


def _rounded(value: float) -> float:
    return float(f"{value:.4g}")


@dataclass(frozen=True)
class Continuous:
    """A value along a control's travel (`from_unit` 0..1 → value, `to_unit` back); a
    relative tick moves it `tick` (in its own units; 0: 1/127 of the travel). A `delta`
    target (a nudge) moves by how far any control moved, absolute or relative."""

    label: str
    unit: str
    read: Callable[[Session], float]
    make: Callable[[float], c.Command]
    from_unit: Callable[[float], float]
    to_unit: Callable[[float], float]
    tick: float = 0.0
    delta: bool = False
    choices: int = 0  # how many choices, for a choice (filter mode, stutter length)

    def value_at(self, position: float) -> float:
        """The value at control position 0..1."""
        return _rounded(self.from_unit(min(1.0, max(0.0, position))))

    def position_of(self, value: float) -> float:
        """The control position 0..1 at which the value is `value`."""
        return min(1.0, max(0.0, self.to_unit(value)))

    def stepped(self, value: float, ticks: float) -> float:
        """`value` moved by `ticks` relative ticks."""
        if self.tick:
            low, high = self.from_unit(0.0), self.from_unit(1.0)
            return _rounded(min(high, max(low, value + ticks * self.tick)))
        step = 1 / self.choices if self.choices else 1 / STEPS
        return self.value_at(self.position_of(value) + ticks * step)


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

_LAYER_WORDS = ("PARAM", "stop", "clip N")
_OTHER_WORDS = ("master PARAM", "scene N", "tempo", "tempo nudge", "tempo up", "tempo down")


def learnable_words() -> list[str]:
    """What `/learn` takes, for help and error messages."""
    return [*(f"LAYER {w}" for w in _LAYER_WORDS), *_OTHER_WORDS]


def _scene_ref(word: str) -> c.SceneRef:
    return int(word) if word.isdigit() else word


def _param_target(label: str, found: Param, layer: str | None) -> Target:
    """A registry parameter as a target: a switch toggles, the rest are continuous."""
    if found.is_switch:
        return Toggle(label, lambda s: found.value(s, layer) >= 0.5,
                      lambda on: found.set(layer, 1.0 if on else 0.0))
    if found.name == "tempo":
        low, high = TEMPO_TRAVEL
        return Continuous(label, "BPM", lambda s: s.tempo, lambda v: found.set(None, v),
                          lambda x: round(low + (high - low) * x, 1),
                          lambda v: (v - low) / (high - low), tick=0.5)
    return Continuous(label, found.unit, lambda s: found.value(s, layer),
                      lambda v: found.set(layer, v), found.from_unit, found.to_unit,
                      choices=len(found.choices))


def _tempo_nudge() -> Continuous:
    return Continuous("tempo nudge", "BPM", lambda s: s.tempo, lambda v: c.SetTempo(v),
                      lambda x: MIN_TEMPO + (MAX_TEMPO - MIN_TEMPO) * x,
                      lambda v: (v - MIN_TEMPO) / (MAX_TEMPO - MIN_TEMPO), tick=0.1,
                      delta=True)


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
    if param == "stop":
        return Trigger(label, lambda _: c.StopLayer(layer))
    if param not in learnable("layer"):
        raise ValueProblem(f"Layer {layer} has no parameter {param[:40]!r} (learnable: "
                           f"{', '.join((*learnable('layer'), 'stop', 'clip N'))}).")
    return _param_target(label, PARAMS[param], layer)


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
    if head.lower() == "master" and head not in _layer_names(session):
        if len(parts) != 2 or parts[1].lower() not in learnable("master"):
            raise ValueProblem(f"'{' '.join(parts)[:60]}' is not learnable (master: "
                               f"{', '.join(learnable('master'))}).")
        return _param_target(f"master {parts[1].lower()}", PARAMS[parts[1].lower()], None)
    if head.lower() == "tempo" and head not in _layer_names(session):
        rest = [p.lower() for p in parts[1:]]
        if not rest:
            return _param_target("tempo", PARAMS["tempo"], None)
        if rest == ["nudge"]:
            return _tempo_nudge()
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
