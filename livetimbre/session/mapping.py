"""The control map: which knob, fader, pad or OSC address moves which target.

A `Control` is where a value comes from — a MIDI control change or note on a channel
(1-16, as musicians count them), or an OSC address. A `Binding` ties one control to
one target (`session.learnable`) with the way its values are read: absolute, or one of
the three relative-encoder encodings, and soft takeover (`pickup`) or not (`jump`).
Written as `ch1:cc74`, `ch10:note36` or `/1/fader1` in slash commands.
"""

from __future__ import annotations

__all__ = [
    "ENCODINGS",
    "Binding",
    "Control",
    "check_encoding",
    "parse_control",
]

import re
from dataclasses import dataclass
from typing import Literal

from livetimbre.errors import ValueProblem

ControlKind = Literal["cc", "note", "osc"]
ENCODINGS = ("absolute", "relative", "offset", "signed")
"""absolute: the value is the position. relative: two's complement (1 = +1, 127 = -1);
offset: binary offset around 64 (65 = +1, 63 = -1); signed: sign bit (1 = +1, 65 = -1)."""
MAX_ADDRESS = 200
_MIDI = re.compile(r"^ch(\d{1,2}):(cc|note)(\d{1,3})$", re.IGNORECASE)
_OSC = re.compile(r"^/[\x21-\x7e]{1,199}$")


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


@dataclass(frozen=True, order=True)
class Control:
    """A MIDI CC or note (`channel` 1-16, `number` 0-127) or an OSC `address`."""

    kind: ControlKind
    channel: int = 0  # 1-16 for MIDI; 0 for OSC
    number: int = 0
    address: str = ""

    def __post_init__(self) -> None:
        if self.kind == "osc":
            if not _OSC.match(self.address) or any(ch in self.address for ch in " #*?,[]{}"):
                raise ValueProblem(f"OSC address {_shown(self.address)} is not a plain address "
                                   "like /1/fader1 (at most 200 characters, no wildcards).")
            return
        if self.kind not in ("cc", "note"):
            raise ValueProblem(f"A control is a cc, a note or an OSC address, not "
                               f"{_shown(str(self.kind))}.")
        if not 1 <= self.channel <= 16:
            raise ValueProblem(f"MIDI channel {self.channel} is not 1-16.")
        if not 0 <= self.number <= 127:
            raise ValueProblem(f"MIDI {self.kind} number {self.number} is not 0-127.")

    def __str__(self) -> str:
        if self.kind == "osc":
            return self.address
        return f"ch{self.channel}:{self.kind}{self.number}"


def parse_control(text: str) -> Control:
    """`ch1:cc74`, `ch10:note36` or `/1/fader1` → the Control; ValueProblem otherwise."""
    if text.startswith("/"):
        return Control("osc", address=text)
    found = _MIDI.match(text)
    if found is None:
        raise ValueProblem(f"Control {_shown(text)} is not like ch1:cc74, ch10:note36 or "
                           "an OSC address such as /1/fader1.")
    kind: ControlKind = "cc" if found.group(2).lower() == "cc" else "note"
    return Control(kind, int(found.group(1)), int(found.group(3)))


def check_encoding(word: str) -> str:
    """One of ENCODINGS (any case)."""
    if word.lower() not in ENCODINGS:
        raise ValueProblem(f"Encoder {_shown(word)} is not one of {', '.join(ENCODINGS)}.")
    return word.lower()


@dataclass(frozen=True)
class Binding:
    """`control` moves `target` (its words, e.g. 'drums cutoff', checked by
    `session.learnable.resolve`); `takeover` False: an absolute control jumps the
    value at once instead of waiting to pass it."""

    control: Control
    target: str
    encoding: str = "absolute"
    takeover: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "encoding", check_encoding(self.encoding))
        object.__setattr__(self, "target", " ".join(self.target.split()))
        if not self.target:
            raise ValueProblem("A binding needs a target, e.g. 'drums cutoff'.")
        if self.encoding != "absolute" and self.control.kind == "note":
            raise ValueProblem(f"{self.control} is a note: only a cc can be a relative "
                               "encoder.")

    def options(self) -> list[str]:
        """The words after the target in a /map line ('relative', 'jump')."""
        words = [] if self.encoding == "absolute" else [self.encoding]
        return words if self.takeover else [*words, "jump"]

    def __str__(self) -> str:
        return " ".join([str(self.control), self.target, *self.options()])
