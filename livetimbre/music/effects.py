"""The effect parameters: names, units, ranges, defaults, and the check of a value.

Every effect value is a float. A choice (filter mode, stutter length) is stored as the
number of its choice (filter 0 off, 1 lowpass, 2 highpass) or its length in beats
(stutter 0 off, 1, 0.5, 0.25, 0.125); a switch (tapestop) as 0 or 1. `parse_fx`
reads what a person types (numbers, choice names, on/off), `show_fx` writes it back.
Layer effects live on each layer strip; master effects on the master bus.
"""

from __future__ import annotations

__all__ = [
    "FILTER_MODES",
    "FX",
    "LAYER_FX",
    "MASTER_FX",
    "STUTTER_CHOICES",
    "FxSpec",
    "check_fx",
    "fx_spec",
    "parse_fx",
    "show_fx",
]

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from livetimbre.errors import ValueProblem

FILTER_MODES = ("off", "lowpass", "highpass")
# Stutter slice lengths as note values, and their length in beats (quarter notes).
STUTTER_CHOICES = {"off": 0.0, "1/4": 1.0, "1/8": 0.5, "1/16": 0.25, "1/32": 0.125}
_SWITCH = {"off": 0.0, "on": 1.0}
_ALIASES = {"lp": "lowpass", "hp": "highpass", "low": "lowpass", "high": "highpass",
            "0": "off", "no": "off", "false": "off", "1": "on", "yes": "on", "true": "on"}


@dataclass(frozen=True)
class FxSpec:
    """One effect parameter: where it lives, its unit, range, default and how a
    controller's travel maps onto it (`curve`: linear, log, or steps through `choices`)."""

    name: str
    scope: Literal["layer", "master"]
    unit: str
    low: float
    high: float
    default: float
    summary: str
    curve: Literal["linear", "log", "choice"] = "linear"
    choices: tuple[tuple[str, float], ...] = ()

    @property
    def shown_range(self) -> str:
        if self.choices:
            return "|".join(name for name, _ in self.choices)
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.low:g} to {self.high:g}{unit}"


FX: dict[str, FxSpec] = {spec.name: spec for spec in (
    FxSpec("cutoff", "layer", "Hz", 20.0, 20000.0, 20000.0,
           "filter cutoff (open: 20000 for lowpass, 20 for highpass)", "log"),
    FxSpec("resonance", "layer", "", 0.0, 1.0, 0.0, "filter resonance (0 flat, 1 ringing)"),
    FxSpec("filter", "layer", "", 0.0, 2.0, 1.0, "filter mode", "choice",
           tuple((name, float(i)) for i, name in enumerate(FILTER_MODES))),
    FxSpec("delay", "layer", "", 0.0, 1.0, 0.0, "send to the tempo-synced delay"),
    FxSpec("reverb", "layer", "", 0.0, 1.0, 0.0, "send to the shared reverb"),
    FxSpec("delay_time", "master", "beats", 0.0625, 4.0, 0.75,
           "delay time in beats (0.75: a dotted eighth)"),
    FxSpec("feedback", "master", "", 0.0, 0.95, 0.4, "how much of the delay repeats"),
    FxSpec("room", "master", "", 0.0, 1.0, 0.6, "reverb size (how long it rings)"),
    FxSpec("stutter", "master", "", 0.0, 1.0, 0.0,
           "beat repeat: from the next grid point on, loop one slice of the master",
           "choice",
           tuple(STUTTER_CHOICES.items())),
    FxSpec("tapestop", "master", "", 0.0, 1.0, 0.0,
           "tape stop: the master slows to a halt over two beats", "choice",
           tuple(_SWITCH.items())),
)}
LAYER_FX = tuple(name for name, spec in FX.items() if spec.scope == "layer")
MASTER_FX = tuple(name for name, spec in FX.items() if spec.scope == "master")


def fx_spec(name: str, where: str | None = None) -> FxSpec:
    """The effect parameter called `name`; unknown names raise ValueProblem listing all."""
    spec = FX.get(name.lower()) if isinstance(name, str) else None
    if spec is None:
        origin = f" ({where})" if where else ""
        raise ValueProblem(f"Unknown effect parameter {str(name)[:40]!r}{origin} (layer: "
                           f"{', '.join(LAYER_FX)}; master: {', '.join(MASTER_FX)}).")
    return spec


def check_fx(name: str, value: object, where: str | None = None) -> float:
    """`value` as a valid float for effect `name`; ValueProblem naming it otherwise."""
    spec = fx_spec(name, where)
    origin = f" ({where})" if where else ""
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueProblem(f"{spec.name} {str(value)[:40]!r}{origin} is not a number; use "
                           f"{spec.shown_range}.") from None
    allowed = [v for _, v in spec.choices]
    if not math.isfinite(number) or not spec.low <= number <= spec.high or (
            allowed and number not in allowed):
        raise ValueProblem(f"{spec.name} {str(value)[:40]!r}{origin} is out of range: use "
                           f"{spec.shown_range}.")
    return number


def parse_fx(name: str, text: object, where: str | None = None) -> float:
    """What a person typed for effect `name` (a number, a fraction such as 3/4, or a
    choice name such as lowpass, 1/16, on) as its float value."""
    spec = fx_spec(name, where)
    if isinstance(text, str):
        word = text.strip().lower()
        word = _ALIASES.get(word, word) if spec.choices else word
        for choice, value in spec.choices:
            if word == choice:
                return value
        if spec.choices:
            origin = f" ({where})" if where else ""
            raise ValueProblem(f"{spec.name} {text[:40]!r}{origin} is not one of "
                               f"{spec.shown_range}.")
        if "/" in word:
            try:
                return check_fx(spec.name, float(Fraction(word)), where)
            except (ValueError, ZeroDivisionError):
                pass
    return check_fx(spec.name, text, where)


def show_fx(name: str, value: float) -> str:
    """Effect `name`'s `value` as a person writes it (a choice name, or a number)."""
    spec = fx_spec(name)
    for choice, number in spec.choices:
        if number == value:
            return choice
    return f"{value:g}"
