"""Parsing (cached) and asking a pattern for the events that start in some cycles."""

from __future__ import annotations

__all__ = ["Event", "events", "parse"]

import functools
from dataclasses import dataclass
from fractions import Fraction

from livetimbre.errors import PatternError
from livetimbre.patterns.build import build
from livetimbre.patterns.core import Context, Pattern, Time, rational
from livetimbre.patterns.grammar import parse_tree

MAX_CYCLES = 4096


@dataclass(frozen=True, slots=True)
class Event:
    """A sounding event: its value and its whole span, in cycles (exact fractions)."""

    value: str
    begin: Fraction
    end: Fraction

    def to_json(self) -> dict[str, str]:
        """`{"value", "begin", "end"}` with the times as "p/q" strings."""
        return {"value": self.value, "begin": _text(self.begin), "end": _text(self.end)}


def _fraction(time: Time) -> Fraction:
    return Fraction(int(time.numerator), int(time.denominator))


def _text(time: Fraction) -> str:
    return f"{time.numerator}/{time.denominator}"


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Pattern:
    """The pattern `text` means; a `PatternError` naming the column when it means none."""
    return build(text, parse_tree(text))


def events(pattern: str | Pattern, start: int = 0, cycles: int = 1,
           seed: int = 0) -> list[Event]:
    """The events whose onset lies in cycles `start` … `start + cycles - 1`, by onset
    (events at the same moment keep the pattern's order); `seed` fixes the random ones."""
    if not 1 <= cycles <= MAX_CYCLES:
        raise PatternError(f"cycles must run from 1 to {MAX_CYCLES}, not {cycles}")
    compiled = parse(pattern) if isinstance(pattern, str) else pattern
    begin, end = rational(start), rational(start + cycles)
    haps = compiled.query(begin, end, Context(seed))
    onsets = [h for h in haps if h.part_begin == h.whole_begin and begin <= h.whole_begin < end]
    onsets.sort(key=lambda h: h.whole_begin)
    return [Event(h.value, _fraction(h.whole_begin), _fraction(h.whole_end)) for h in onsets]
