"""The metric structure of a bar: its pulses, how they group, and how strong each grid
step is, for every supported meter.

A pulse is the beat a musician taps: a quarter in 3/4, 4/4 and 5/4, a dotted quarter in
6/8 and 12/8, a group of two or three eighths in 5/8 and 7/8. Pulses gather into groups
of two or three (5/4 is 3+2, 7/8 is 2+2+3) and each pulse has a role:

- ``down``: the first pulse of the bar;
- ``strong``: the first pulse of a later group;
- ``back``: the pulse that closes a group (where a backbeat falls);
- ``weak``: the middle pulse of a three-pulse group.
"""

from __future__ import annotations

__all__ = ["Pulse", "metric_weight", "pulse_groups", "pulses"]

from dataclasses import dataclass
from functools import cache

from livetimbre.music.theory import Meter


@dataclass(frozen=True)
class Pulse:
    """One pulse of a bar, in 16th-note grid steps from the bar line."""

    start: int
    length: int
    role: str  # down | strong | back | weak


def pulse_groups(count: int) -> tuple[int, ...]:
    """How `count` pulses group: twos, with one three where the count is odd (3+2 for
    five, 2+2+3 for seven, a single three for three)."""
    if count <= 3:
        return (count,)
    if count == 5:
        return (3, 2)
    if count % 2 == 0:
        return (2,) * (count // 2)
    return (2,) * ((count - 3) // 2) + (3,)


def _pulse_lengths(meter: Meter) -> list[int]:
    """Lengths of the bar's pulses in grid steps."""
    step = meter.steps_per_beat  # grid steps in one note of the meter's unit
    if meter.unit <= 4:
        return [step] * meter.beats
    if meter.is_compound:
        return [3 * step] * (meter.beats // 3)
    # Odd or short eighth/sixteenth meters: the unit notes group into twos and threes.
    return [n * step for n in pulse_groups(meter.beats)]


@cache
def pulses(meter: Meter) -> tuple[Pulse, ...]:
    """The bar's pulses with their roles."""
    lengths = _pulse_lengths(meter)
    roles: list[str] = []
    for group in pulse_groups(len(lengths)):
        first = "strong" if roles else "down"
        roles.extend({1: [first], 2: [first, "back"], 3: [first, "weak", "back"]}[group])
    out, start = [], 0
    for length, role in zip(lengths, roles, strict=True):
        out.append(Pulse(start, length, role))
        start += length
    return tuple(out)


_ROLE_WEIGHT = {"down": 1.0, "strong": 0.9, "back": 0.86, "weak": 0.8}


@cache
def metric_weight(meter: Meter, step: int) -> float:
    """How strong grid step `step` of a bar is, from 1.0 (the downbeat) to about 0.6
    (a 16th between eighths): what an accent follows."""
    step %= meter.steps_per_bar
    for pulse in pulses(meter):
        if pulse.start <= step < pulse.start + pulse.length:
            offset = step - pulse.start
            if offset == 0:
                return _ROLE_WEIGHT[pulse.role]
            return 0.72 if offset % 2 == 0 else 0.62
    return 0.62
