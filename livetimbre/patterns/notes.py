"""A pattern clip's notes: the events of its pattern, one cycle per `cycles` bars, in
beats of the meter from the clip start; `vel` and `gate` patterns of their own."""

from __future__ import annotations

__all__ = ["check_numbers", "pattern_notes"]

import math
from fractions import Fraction

import lark

from livetimbre.errors import PatternError
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Key
from livetimbre.patterns.core import Context, Pattern, rational
from livetimbre.patterns.grammar import caret, parse_tree
from livetimbre.patterns.query import events, parse
from livetimbre.patterns.voicing import pitches

DEFAULT_VELOCITY = 0.8  # of 1 (MIDI 102)
_TINY = rational(1, 1 << 30)


def check_numbers(text: str, name: str, low: float, high: float) -> None:
    """A `PatternError` at the first value of `text` outside [low, high] (or no number)."""
    todo = [parse_tree(text)]
    while todo:
        tree = todo.pop()
        if tree.data == "value":
            token = tree.children[0]
            assert isinstance(token, lark.Token)
            try:
                ok = low <= float(str(token)) <= high
            except ValueError:
                ok = False
            if not ok:
                column = token.column or 1
                raise PatternError(f"{name}: pattern error at column {column}: '{token}' is "
                                   f"not a number from {low:g} to {high:g}\n"
                                   f"{caret(text, column)}", column)
        todo.extend(c for c in tree.children if isinstance(c, lark.Tree))


def _at(pattern: Pattern | None, time: Fraction, seed: int) -> float | None:
    """The value `pattern` holds at `time` (None: none, or a rest there)."""
    if pattern is None:
        return None
    at = rational(time.numerator, time.denominator)
    held = [h for h in pattern.query(at, at + _TINY, Context(seed))
            if h.whole_begin <= at < h.whole_end]
    return float(held[-1].value) if held else None


def pattern_notes(text: str, *, role: str, key: Key, beats_per_bar: int, bars: int,
                  cycles: Fraction = Fraction(1), seed: int = 0, vel: str | None = None,
                  gate: str | None = None) -> list[NoteEvent]:
    """The notes of `text` over `bars` bars, exactly where its events fall (a cycle is
    `cycles` bars); velocity from `vel` (0-1), length × `gate`."""
    cycle_beats = cycles * beats_per_bar
    total = bars * beats_per_bar
    count = math.ceil(Fraction(bars) / cycles)
    velocity_pattern = parse(vel) if vel else None
    gate_pattern = parse(gate) if gate else None
    notes: list[NoteEvent] = []
    for event in events(text, 0, count, seed):
        start = event.begin * cycle_beats
        if start >= total:
            continue
        keys = pitches(event.value, role, key)
        if not keys:
            continue
        velocity = _at(velocity_pattern, event.begin, seed)
        if velocity_pattern is not None and velocity is None:
            continue  # a rest in `vel` silences the event
        g = _at(gate_pattern, event.begin, seed)
        length = (event.end - event.begin) * cycle_beats * Fraction(g if g else 1)
        level = clamp_velocity(127 * (DEFAULT_VELOCITY if velocity is None else velocity))
        notes.extend(NoteEvent(float(start), float(length), pitch, level) for pitch in keys)
    return notes
