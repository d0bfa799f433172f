"""The OSC address space: address + arguments → a command, with a clear error otherwise.

Modelled on AbletonOSC, so TouchOSC and Open Stage Control templates port over. Scenes
are numbered from 1 (as in the REPL) or named. Whole-number arguments also accept whole
floats (TouchOSC buttons send 1.0), on/off arguments 1/0 (int or float) and OSC
true/false, float arguments integers; anything non-finite, too long or of the wrong
arity is refused. Parsing changes
nothing; `controllers.osc` performs the result.
"""

from __future__ import annotations

__all__ = [
    "MAX_STRING",
    "PREFIX",
    "ROUTES",
    "GetState",
    "Listen",
    "OscRequest",
    "Route",
    "RunLine",
    "check_datagram",
    "check_message",
    "parse_message",
]

import math
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livetimbre.errors import ValueProblem
from livetimbre.session import commands as c
from livetimbre.session.params import param

PREFIX = "/livetimbre"
MAX_STRING = 1000  # characters in any string argument (a prompt, a command line)
MAX_BUNDLE_DEPTH = 8
_BUNDLE = b"#bundle\x00"


@dataclass(frozen=True)
class RunLine:
    """`/livetimbre/command s`: a slash-command line, as typed in the REPL."""

    line: str


@dataclass(frozen=True)
class GetState:
    pass


@dataclass(frozen=True)
class Listen:
    """Subscribe the sender to `topic` ('beat' or 'clips'), or unsubscribe it."""

    topic: str
    on: bool


OscRequest = c.Command | RunLine | GetState | Listen


@dataclass(frozen=True)
class Route:
    address: str
    types: str  # one letter an argument: i int, f float, s string, b on/off, n scene,
    # v a value (a number, or a word such as lowpass, 1/16, on)
    build: Callable[[list[Any]], OscRequest]
    optional: int = 0  # how many trailing arguments may be left out
    summary: str = ""

    @property
    def usage(self) -> str:
        names = {"i": "i", "f": "f", "s": "s", "b": "i", "n": "i|s", "v": "f|s"}
        args = [names[t] for t in self.types]
        for k in range(self.optional):
            args[-1 - k] = f"[{args[-1 - k]}]"
        return " ".join([self.address, *args])


def _fx(layer: str | None, name: str, value: float | str) -> c.Command:
    """A learnable parameter set to `value` (a number in its unit, or a word)."""
    found = param(name)
    return found.set(layer, found.parse(value) if isinstance(value, str) else value)


def _fx_unit(layer: str | None, name: str, travel: float) -> c.Command:
    """A learnable parameter set from a fader's or knob's travel (0..1)."""
    if not 0.0 <= travel <= 1.0:
        raise ValueProblem(f"A control's travel is 0 to 1, got {travel:g}.")
    found = param(name)
    return found.set(layer, found.from_unit(travel))


_TABLE = [
    Route(f"{PREFIX}/scene/launch", "n", lambda a: c.LaunchScene(a[0]),
          summary="launch a scene (number from 1, or name)"),
    Route(f"{PREFIX}/clip/launch", "sn", lambda a: c.LaunchClip(a[0], a[1]),
          summary="launch LAYER's clip in SCENE"),
    Route(f"{PREFIX}/clip/stop", "s", lambda a: c.StopLayer(a[0]), summary="stop LAYER"),
    Route(f"{PREFIX}/clip/set/prompt", "sns",
          lambda a: c.SetClipPrompt(a[0], a[1], a[2] or None),
          summary="render PROMPT into LAYER × SCENE (empty: clear)"),
    Route(f"{PREFIX}/clip/set/pattern", "sns",
          lambda a: c.SetClipPattern(a[0], a[1], a[2] or None),
          summary="put a mini-notation PATTERN in LAYER × SCENE: its notes fall where it "
                  "says (empty: take it out)"),
    Route(f"{PREFIX}/clip/set/sample", "sns",
          lambda a: c.SetClipSample(a[0], a[1], str(Path(a[2]).expanduser().absolute())),
          summary="put the audio loop at PATH in LAYER × SCENE, fitted to the grid "
                  "(bpm, key: use /livetimbre/command \"/sample ...\")"),
    Route(f"{PREFIX}/tempo", "f", lambda a: c.SetTempo(a[0]),
          summary="set the tempo in BPM (from the next bar)"),
    Route(f"{PREFIX}/duration", "f", lambda a: c.SetDuration(a[0]),
          summary="how long /compose makes a track, in seconds (90 to 180 for long-form)"),
    Route(f"{PREFIX}/stop_all", "", lambda a: c.StopAll(), summary="stop every layer"),
    Route(f"{PREFIX}/layer/mute", "sb", lambda a: c.SetMute(a[0], a[1]),
          summary="mute (1) or unmute (0) LAYER"),
    Route(f"{PREFIX}/layer/solo", "sb", lambda a: c.SetSolo(a[0], a[1]),
          summary="solo (1) or unsolo (0) LAYER"),
    Route(f"{PREFIX}/layer/gain", "sf",
          lambda a: c.SetGain(a[0], a[1]),
          summary="set LAYER's gain in dB"),
    Route(f"{PREFIX}/layer/fx", "ssv", lambda a: _fx(a[0], a[1], a[2]),
          summary="set LAYER's PARAM (cutoff Hz, resonance, filter, delay, reverb; any "
          "layer parameter) to VALUE"),
    Route(f"{PREFIX}/layer/fx/unit", "ssf", lambda a: _fx_unit(a[0], a[1], a[2]),
          summary="set LAYER's PARAM from a control's travel, 0 to 1 (cutoff sweeps "
          "20 Hz to 20 kHz on a log scale)"),
    Route(f"{PREFIX}/master/fx", "sv", lambda a: _fx(None, a[0], a[1]),
          summary="set a master PARAM (delay_time, feedback, room, stutter, tapestop, "
          "tempo) to VALUE"),
    Route(f"{PREFIX}/master/fx/unit", "sf", lambda a: _fx_unit(None, a[0], a[1]),
          summary="set a master PARAM from a control's travel, 0 to 1"),
    Route(f"{PREFIX}/command", "s", lambda a: RunLine(a[0]),
          summary="run a slash command; the answer comes back as /livetimbre/command/reply"),
    Route(f"{PREFIX}/get/state", "", lambda a: GetState(),
          summary="reply /livetimbre/state with the session as JSON"),
    Route(f"{PREFIX}/listen/beat", "b", lambda a: Listen("beat", True if not a else a[0]),
          optional=1, summary="receive /livetimbre/beat BAR BEAT on every beat (0: stop)"),
    Route(f"{PREFIX}/listen/clips", "b", lambda a: Listen("clips", True if not a else a[0]),
          optional=1,
          summary="receive /livetimbre/clip/state LAYER SCENE STATE on every change (0: stop)"),
]
ROUTES: dict[str, Route] = {route.address: route for route in _TABLE}


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _convert(kind: str, value: object, position: int, route: Route) -> Any:
    where = f"argument {position} of {route.address}"
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem(f"{where} is {value!r}: only finite numbers are accepted.")
    if kind == "s":
        if not isinstance(value, str):
            raise ValueProblem(f"{where} must be a string, got {_describe(value)}.")
        if len(value) > MAX_STRING:
            raise ValueProblem(f"{where} is {len(value)} characters long "
                               f"(at most {MAX_STRING}).")
        return value
    if kind == "v" and isinstance(value, str):
        if len(value) > 40:
            raise ValueProblem(f"{where} is {len(value)} characters long (at most 40).")
        return value
    if kind in "fv":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueProblem(f"{where} must be a number, got {_describe(value)}.")
        return float(value)
    if kind == "b":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        raise ValueProblem(f"{where} must be 1 or 0 (on or off), got {_describe(value)}.")
    # "i" or "n": a whole number; "n" also takes a scene name
    if kind == "n" and isinstance(value, str):
        if len(value) > MAX_STRING:
            raise ValueProblem(f"{where} is {len(value)} characters long "
                               f"(at most {MAX_STRING}).")
        return value
    if not isinstance(value, bool) and isinstance(value, int | float) and value == int(value):
        return int(value)
    expected = "a scene number or name" if kind == "n" else "a whole number"
    raise ValueProblem(f"{where} must be {expected}, got {_describe(value)}.")


def parse_message(address: str, args: Sequence[object]) -> OscRequest:
    """The request an OSC message asks for; ValueProblem naming what is wrong."""
    route = ROUTES.get(address)
    if route is None:
        shown = _describe(address)
        hint = "" if address.startswith(PREFIX + "/") else f" (addresses start with {PREFIX}/)"
        raise ValueProblem(f"Unknown OSC address {shown}{hint}.")
    most = len(route.types)
    least = most - route.optional
    if not least <= len(args) <= most:
        count = str(most) if least == most else f"{least} to {most}"
        raise ValueProblem(f"{address} takes {count} argument{'s' * (most != 1)} "
                           f"({route.usage}), got {len(args)}.")
    values = [_convert(kind, value, i + 1, route)
              for i, (kind, value) in enumerate(zip(route.types, args, strict=False))]
    return route.build(values)


_FIXED = {"i": 4, "f": 4, "c": 4, "r": 4, "m": 4, "d": 8, "h": 8, "t": 8,
          "T": 0, "F": 0, "N": 0, "I": 0, "[": 0, "]": 0}


def _padded_string_end(data: bytes, index: int, what: str) -> int:
    """Where the NUL-padded OSC string starting at `index` ends."""
    end = data.find(b"\0", index)
    if end < 0:
        raise ValueProblem(f"{what} is not terminated")
    return end + 4 - end % 4


def check_message(data: bytes) -> None:
    """Refuse a message whose arguments are shorter than its type tags say (python-osc
    would read a float cut short as some other number)."""
    index = _padded_string_end(data, 0, "the address")
    if index >= len(data):
        return  # no type tags: no arguments
    if data[index:index + 1] != b",":
        raise ValueProblem("the type tags do not start with ','")
    tags_end = _padded_string_end(data, index, "the type tags")
    tags = data[index + 1:data.index(b"\0", index)].decode("ascii", "replace")
    index = tags_end
    for position, tag in enumerate(tags, start=1):
        if tag in _FIXED:
            index += _FIXED[tag]
        elif tag in "sS":
            index = _padded_string_end(data, index, f"argument {position} (string)")
        elif tag == "b":
            if index + 4 > len(data):
                raise ValueProblem(f"argument {position} (blob) is cut short")
            (size,) = struct.unpack_from(">i", data, index)
            if size < 0:
                raise ValueProblem(f"argument {position} (blob) has a negative size")
            index += 4 + size + (-size) % 4
        else:
            raise ValueProblem(f"argument {position} has an unknown type tag {tag!r}")
        if index > len(data):
            raise ValueProblem(f"argument {position} ({tag!r}) is cut short: the datagram "
                               f"has {len(data)} bytes, its type tags need {index}")


def check_datagram(data: bytes, depth: int = 0) -> None:
    """Refuse a bundle whose element sizes do not add up, before python-osc walks it
    (a negative size sends its parser back to the start, forever), and a message whose
    arguments are cut short; ValueProblem says what is wrong."""
    if not data.startswith(_BUNDLE):
        check_message(data)
        return
    if depth >= MAX_BUNDLE_DEPTH:
        raise ValueProblem(f"bundles nested deeper than {MAX_BUNDLE_DEPTH}")
    index = len(_BUNDLE) + 8  # the time tag
    if len(data) < index:
        raise ValueProblem("a bundle without its time tag")
    while index < len(data):
        if index + 4 > len(data):
            raise ValueProblem(f"a bundle element size cut short at byte {index}")
        (size,) = struct.unpack_from(">i", data, index)
        index += 4
        if size <= 0 or size % 4 or index + size > len(data):
            raise ValueProblem(f"a bundle element of {size} bytes at byte {index - 4} "
                               f"(the datagram has {len(data)})")
        element = data[index:index + size]
        if not element.startswith((b"/", _BUNDLE)):
            raise ValueProblem(f"a bundle element at byte {index} that is neither a "
                               "message nor a bundle")
        check_datagram(element, depth + 1)
        index += size
