"""The learnable parameters: everything a knob, fader or `/fx` can set, in one table.

Each `Param` knows its unit and range, how a controller's travel (0..1) maps onto it
(`from_unit`, and back with `to_unit` for soft takeover), how to read what a person
types (`parse`), the value a session holds now (`value`), and the command that sets it
(`set`). Layer parameters: gain, mute, solo and the layer effects (cutoff, resonance,
filter, delay, reverb); master parameters: tempo and the master effects (delay_time,
feedback, room, stutter, tapestop).
"""

from __future__ import annotations

__all__ = ["PARAMS", "Param", "fx_text", "learnable", "param"]

import math
from dataclasses import dataclass
from typing import Literal

from livetimbre.errors import ValueProblem
from livetimbre.music.effects import FX, fx_spec, parse_fx
from livetimbre.music.values import MAX_TEMPO, MIN_TEMPO, check_gain_db, check_tempo
from livetimbre.session import commands as c
from livetimbre.session.model import Session

_ON = {"on": 1.0, "off": 0.0, "1": 1.0, "0": 0.0, "yes": 1.0, "no": 0.0, "true": 1.0,
       "false": 0.0}
FADER_FLOOR_DB = -60.0  # a fader's bottom (its travel maps -60..+6 dB; /gain goes lower)


@dataclass(frozen=True)
class Param:
    """A parameter a control can move. `low`/`high` bound the controller's travel
    (`curve`: linear, log, or steps through `choices`, whose values are in order)."""

    name: str
    scope: Literal["layer", "master"]
    unit: str
    low: float
    high: float
    summary: str
    curve: Literal["linear", "log", "choice"] = "linear"
    choices: tuple[tuple[str, float], ...] = ()

    @property
    def is_switch(self) -> bool:
        """A two-state parameter (mute, solo, tapestop): a pad toggles it."""
        return [v for _, v in self.choices] == [0.0, 1.0]

    def from_unit(self, x: float) -> float:
        """The value at `x` (0..1) of a control's travel."""
        x = min(1.0, max(0.0, x))
        if self.choices:
            return self.choices[min(len(self.choices) - 1, int(x * len(self.choices)))][1]
        if self.curve == "log":
            return float(self.low * (self.high / self.low) ** x)
        return self.low + (self.high - self.low) * x

    def to_unit(self, value: float) -> float:
        """Where `value` sits on a control's travel (0..1); the inverse of `from_unit`
        (a choice: the middle of its step)."""
        if self.choices:
            values = [v for _, v in self.choices]
            index = values.index(value) if value in values else 0
            return (index + 0.5) / len(values)
        value = min(self.high, max(self.low, value))
        if self.curve == "log":
            return math.log(value / self.low) / math.log(self.high / self.low)
        return (value - self.low) / (self.high - self.low)

    def parse(self, text: str) -> float:
        """What a person typed (a number, or a choice name such as lowpass, 1/16, on)."""
        if self.name in FX:
            return parse_fx(self.name, text)
        if self.choices:
            value = _ON.get(text.strip().lower())
            if value is None:
                raise ValueProblem(f"{self.name} takes on or off (got {text[:40]!r}).")
            return value
        try:
            return float(text)
        except ValueError:
            unit = f" of {self.unit}" if self.unit else ""
            raise ValueProblem(f"{self.name} {text[:40]!r} is not a number{unit}.") from None

    def show(self, value: float) -> str:
        """`value` as a person writes it."""
        for name, number in self.choices:
            if number == value:
                return name
        return f"{value:g}"

    def value(self, session: Session, layer: str | None = None) -> float:
        """The value `session` holds now (of `layer`, for a layer parameter)."""
        if self.scope == "master":
            if self.name == "tempo":
                return session.tempo
            return session.fx.get(self.name, FX[self.name].default)
        strip = session.layer(_needs_layer(self, layer))
        if self.name == "gain":
            return strip.gain_db
        if self.name == "mute":
            return float(strip.muted)
        if self.name == "solo":
            return float(strip.soloed)
        return strip.fx.get(self.name, FX[self.name].default)

    def set(self, layer: str | None, value: float) -> c.SessionChange:
        """The command that sets this parameter (of `layer`) to `value`; raises
        ValueProblem for a value out of range or a layer given to a master parameter."""
        if self.scope == "master" and layer is not None:
            raise ValueProblem(f"{self.name} is a master parameter: give no layer.")
        if self.name == "tempo":
            return c.SetTempo(check_tempo(value))
        if self.name in FX:
            return c.SetFx(None if self.scope == "master" else _needs_layer(self, layer),
                           self.name, value)
        name = _needs_layer(self, layer)
        if self.name == "gain":
            return c.SetGain(name, check_gain_db(value))
        if self.name == "mute":
            return c.SetMute(name, value >= 0.5)
        return c.SetSolo(name, value >= 0.5)


def _needs_layer(p: Param, layer: str | None) -> str:
    if not layer:
        raise ValueProblem(f"{p.name} is a layer parameter: name the layer.")
    return layer


def _from_fx(name: str) -> Param:
    spec = fx_spec(name)
    return Param(spec.name, spec.scope, spec.unit, spec.low, spec.high, spec.summary,
                 spec.curve, spec.choices)


_SWITCH = (("off", 0.0), ("on", 1.0))
PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("gain", "layer", "dB", FADER_FLOOR_DB, 6.0, "layer gain"),
    Param("mute", "layer", "", 0.0, 1.0, "mute the layer", "choice", _SWITCH),
    Param("solo", "layer", "", 0.0, 1.0, "solo the layer", "choice", _SWITCH),
    *(_from_fx(name) for name in FX if FX[name].scope == "layer"),
    Param("tempo", "master", "BPM", MIN_TEMPO, MAX_TEMPO, "session tempo (from the next bar)"),
    *(_from_fx(name) for name in FX if FX[name].scope == "master"),
)}


def param(name: str) -> Param:
    """The parameter called `name`; unknown names raise ValueProblem listing them all."""
    found = PARAMS.get(name.lower())
    if found is None:
        raise ValueProblem(f"Unknown parameter {name[:40]!r} (layer: "
                           f"{', '.join(learnable('layer'))}; master: "
                           f"{', '.join(learnable('master'))}).")
    return found


def learnable(scope: Literal["layer", "master"]) -> tuple[str, ...]:
    """The names of the parameters of a layer, or of the master."""
    return tuple(name for name, p in PARAMS.items() if p.scope == scope)


def fx_text(session: Session, layer: str | None = None) -> str:
    """The effect settings of `layer`, or of the master and every layer (None)."""
    def line(name: str, values: dict[str, float], scope: Literal["layer", "master"]) -> str:
        shown = []
        for p in (PARAMS[n] for n in learnable(scope) if n in FX):
            value = values.get(p.name, FX[p.name].default)
            unit = f" {p.unit}" if p.unit and not p.choices else ""
            shown.append(f"{p.name} {p.show(value)}{unit}")
        return f"{name}: " + ", ".join(shown)

    if layer is not None:
        return line(layer, dict(session.layer(layer).fx), "layer")
    lines = [line("master", dict(session.fx), "master")]
    lines += [line(ly.name, dict(ly.fx), "layer") for ly in session.layers]
    return "\n".join(lines)
