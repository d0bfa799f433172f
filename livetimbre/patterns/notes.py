"""A pattern clip's notes: the events of its pattern, one cycle per `cycles` bars (a
pattern too), in beats of the meter from the clip start; `vel` and `gate` patterns of
their own."""

from __future__ import annotations

__all__ = ["check_numbers", "pattern_notes"]

from fractions import Fraction

import lark

from livetimbre.errors import PatternError
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Key
from livetimbre.patterns import core
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
    held = [h for h in pattern.haps(at, at + _TINY, Context(seed))
            if h.whole_begin <= at < h.whole_end]
    return float(held[-1].value) if held else None


def _in_bars(pattern: Pattern, cycles: Pattern) -> Pattern:
    """`pattern` with a cycle lasting `cycles` bars, so that its time counts bars: a
    pattern of lengths works as Tidal's patterned `slow` (each bar takes the stretch of
    the pattern its length says)."""
    if cycles.value is not None:  # one length throughout
        return core.fast(pattern, 1 / rational(cycles.value))
    return core.patterned([cycles], lambda v: core.fast(pattern, 1 / rational(v[0])))


def pattern_notes(text: str, *, role: str, key: Key, beats_per_bar: int, bars: int,
                  cycles: str = "1", seed: int = 0, vel: str | None = None,
                  gate: str | None = None) -> list[NoteEvent]:
    """The notes of `text` over `bars` bars, exactly where its events fall (a cycle is
    `cycles` bars, a number or a pattern of numbers); velocity from `vel` (0-1), length
    × `gate`, both on the same time as `text`."""
    stretch = parse(cycles)
    velocity_pattern = _in_bars(parse(vel), stretch) if vel else None
    gate_pattern = _in_bars(parse(gate), stretch) if gate else None
    notes: list[NoteEvent] = []
    for event in events(_in_bars(parse(text), stretch), 0, bars, seed):
        keys = pitches(event.value, role, key)
        if not keys:
            continue
        velocity = _at(velocity_pattern, event.begin, seed)
        if velocity_pattern is not None and velocity is None:
            continue  # a rest in `vel` silences the event
        g = _at(gate_pattern, event.begin, seed)
        start = event.begin * beats_per_bar
        length = (event.end - event.begin) * beats_per_bar * Fraction(g if g else 1)
        level = clamp_velocity(127 * (DEFAULT_VELOCITY if velocity is None else velocity))
        notes.extend(NoteEvent(float(start), float(length), pitch, level) for pitch in keys)
    return notes
