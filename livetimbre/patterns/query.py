"""Parsing (cached) and asking a pattern for the events that start in some cycles."""

from __future__ import annotations

__all__ = ["Event", "events", "parse"]

import functools
import operator
from typing import NamedTuple

from livetimbre.errors import PatternError
from livetimbre.patterns.build import build
from livetimbre.patterns.core import Context, Pattern, Time, rational

MAX_CYCLES = 4096
_WHOLE_BEGIN = operator.itemgetter(0)  # a Hap's whole_begin


class Event(NamedTuple):
    """A sounding event: its value and its whole span, in cycles (exact rationals:
    GMP's mpq, which computes and compares with `Fraction` and `int` alike)."""

    value: str
    begin: Time
    end: Time

    def to_json(self) -> dict[str, str]:
        """`{"value", "begin", "end"}` with the times as "p/q" strings."""
        return {"value": self.value, "begin": _text(self.begin), "end": _text(self.end)}


_event = functools.partial(tuple.__new__, Event)  # Event(...) less NamedTuple's __new__


def _text(time: Time) -> str:
    return f"{time.numerator}/{time.denominator}"


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Pattern:
    """The pattern `text` means; a `PatternError` naming the column when it means none."""
    return build(text)


def events(pattern: str | Pattern, start: int = 0, cycles: int = 1,
           seed: int = 0) -> list[Event]:
    """The events whose onset lies in cycles `start` … `start + cycles - 1`, by onset
    (events at the same moment keep the pattern's order); `seed` fixes the random ones."""
    if not 1 <= cycles <= MAX_CYCLES:
        raise PatternError(f"cycles must run from 1 to {MAX_CYCLES}, not {cycles}")
    compiled = parse(pattern) if isinstance(pattern, str) else pattern
    begin, end = rational(start), rational(start + cycles)
    haps = compiled.haps(begin, end, Context(seed))
    onsets = [h for h in haps if h.part_begin == h.whole_begin and begin <= h.whole_begin < end]
    onsets.sort(key=_WHOLE_BEGIN)
    return [_event((h.value, h.whole_begin, h.whole_end)) for h in onsets]
