"""What a pattern's values play: drum names on a drums layer; elsewhere scale degrees in
the session key (`0 2 4`), note names (`c3 eb3`, c4 = MIDI 60) and chord names (`Am7`).

`check_values` finds the first value a layer cannot play and names its column.
"""

from __future__ import annotations

__all__ = ["DRUM_NAMES", "check_values", "pitches"]

import functools
import re

import lark

from livetimbre.errors import PatternError
from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.theory import Key, parse_pitch_class
from livetimbre.patterns.grammar import caret, parse_tree

# Tidal/Strudel's short drum names → GM percussion keys; the GM names of DRUM_NOTES too.
DRUM_NAMES: dict[str, int] = {
    "bd": 36, "sd": 38, "hh": 42, "oh": 46, "cp": 39, "rim": 37, "lt": 45, "mt": 47,
    "ht": 50, "cr": 49, "rd": 51, "cb": 56, "sh": 70, "tb": 54, **DRUM_NOTES,
}
# `name:1` picks the kit's other sound where GM has one.
_VARIANTS = {"bd": 35, "kick": 35, "sd": 40, "snare": 40, "hh": 44, "hat": 44, "cr": 57,
             "crash": 57, "rd": 59, "ride": 59, "lt": 41, "mt": 48, "ht": 48}
_CHORDS: dict[str, tuple[int, ...]] = {
    "": (0, 4, 7), "maj": (0, 4, 7), "M": (0, 4, 7), "m": (0, 3, 7), "min": (0, 3, 7),
    "7": (0, 4, 7, 10), "maj7": (0, 4, 7, 11), "M7": (0, 4, 7, 11), "^7": (0, 4, 7, 11),
    "m7": (0, 3, 7, 10), "min7": (0, 3, 7, 10), "6": (0, 4, 7, 9), "m6": (0, 3, 7, 9),
    "9": (0, 4, 7, 10, 14), "m9": (0, 3, 7, 10, 14), "maj9": (0, 4, 7, 11, 14),
    "add9": (0, 4, 7, 14), "11": (0, 4, 7, 10, 14, 17), "m11": (0, 3, 7, 10, 14, 17),
    "dim": (0, 3, 6), "o": (0, 3, 6), "dim7": (0, 3, 6, 9), "o7": (0, 3, 6, 9),
    "m7b5": (0, 3, 6, 10), "aug": (0, 4, 8), "+": (0, 4, 8), "sus2": (0, 2, 7),
    "sus4": (0, 5, 7), "sus": (0, 5, 7), "7sus4": (0, 5, 7, 10), "5": (0, 7),
}
_NOTE = re.compile(r"([a-g])([#sb]?)(-?\d)?")
_CHORD = re.compile(r"([A-G])([#b]?)(.*)")
_DEGREE = re.compile(r"-?\d+")
# Operators whose values are numbers (factors, steps), not sounds.
_ARGUMENTS = {"fast", "slow", "poly", "euclid"}
# The octave a role's degrees and chords start from (C of this MIDI note).
_BASE = {"bass": 36, "pad": 48, "chords": 48, "texture": 48}


def _note(text: str) -> int | None:
    m = _NOTE.fullmatch(text)
    if m is None:
        return None
    pc = parse_pitch_class(m.group(1) + m.group(2).replace("s", "#"))
    octave = int(m.group(3)) if m.group(3) else 3
    pitch = 12 * (octave + 1) + pc
    return pitch if 0 <= pitch <= 127 else None


def pitches(value: str, role: str, key: Key) -> tuple[int, ...] | None:
    """The MIDI keys `value` plays on a `role` layer; None when it plays nothing there."""
    name, _, variant = value.partition(":")
    if role == "drums":
        if variant and variant != "0" and name in _VARIANTS:
            return (_VARIANTS[name],)
        key_number = DRUM_NAMES.get(name)
        return None if key_number is None else (key_number,)
    base = _BASE.get(role, 60)
    if _DEGREE.fullmatch(name):
        degree = int(name)
        if abs(degree) > 35:
            return None
        pitch = base + key.tonic + 12 * (degree // 7) + key.intervals[degree % 7]
        return (pitch,)
    note = _note(name)
    if note is not None:
        return (note,)
    m = _CHORD.fullmatch(name)
    if m is None or m.group(3) not in _CHORDS:
        return None
    root = base + parse_pitch_class(m.group(1) + m.group(2))
    if role == "bass":
        return (root,)
    return tuple(root + step for step in _CHORDS[m.group(3)])


@functools.cache
def _what(role: str) -> str:
    if role == "drums":
        return "a drum name (bd sd hh oh cp rim lt mt ht cr rd cb sh tb or a GM name)"
    return "a scale degree (0 2 4), a note name (c3 eb3) or a chord name (Am7 D9)"


def check_values(text: str, role: str, key: Key) -> None:
    """A `PatternError` at the column of the first value a `role` layer cannot play."""
    todo = [parse_tree(text)]
    while todo:
        tree = todo.pop()
        if tree.data in _ARGUMENTS:
            continue
        if tree.data == "value":
            token = tree.children[0]
            assert isinstance(token, lark.Token)
            if pitches(str(token), role, key) is not None:
                continue
            column = token.column or 1
            raise PatternError(
                f"pattern error at column {column}: '{token}' is not {_what(role)}\n"
                f"{caret(text, column)}", column)
        todo.extend(reversed([c for c in tree.children if isinstance(c, lark.Tree)]))
