"""A pattern's events for people: a table and a one-line picture of each cycle."""

from __future__ import annotations

__all__ = ["picture", "table"]

import math
from collections.abc import Sequence

from livetimbre.patterns.query import Event

MAX_SLOTS = 96  # characters in a cycle's picture

def table(events: Sequence[Event]) -> str:
    """One line per event: cycle, onset and end (exact), length, value."""
    rows = [f"{'cycle':>5}  {'begin':>10}  {'end':>10}  {'length':>8}  value"]
    for e in events:
        rows.append(f"{e.begin.__floor__():>5}  {e.begin!s:>10}  {e.end!s:>10}  "
                    f"{e.end - e.begin!s:>8}  {e.value}")
    return "\n".join(rows)

def picture(events: Sequence[Event], cycle: int) -> str:
    """`|x..x..x.|`: the cycle cut into as many slots as its onsets need (at most
    MAX_SLOTS), each onset shown by its value's first letter, a rest by '.'."""
    mine = [e for e in events if e.begin.__floor__() == cycle]
    slots = 1
    for e in mine:
        slots = math.lcm(slots, (e.begin - cycle).denominator)
    slots = min(slots, MAX_SLOTS)
    cells = ["."] * slots
    for e in mine:
        index = min(slots - 1, int((e.begin - cycle) * slots))
        if cells[index] == ".":
            cells[index] = e.value[:1] or "?"
    return f"{cycle:>5}  |{''.join(cells)}|"
