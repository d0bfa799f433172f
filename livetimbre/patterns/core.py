"""Patterns as functions of time: a query of a span of cycles gives events (haps).

Times are exact rationals of a cycle (`Time`: GMP's `mpq`, a `Fraction` at a tenth of
the cost). An event has a *whole* (the span it lasts) and a
*part* (the piece of it inside the query); it sounds where the part begins at the whole's
beginning. The combinators here are the ones the mini-notation needs.
"""

from __future__ import annotations

__all__ = [
    "MAX_EVENTS",
    "ONE",
    "Context",
    "Hap",
    "Pattern",
    "Time",
    "choose",
    "compress",
    "degrade",
    "euclid",
    "fast",
    "patterned",
    "pure",
    "rational",
    "silence",
    "stack",
    "timecat",
]

from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple, TypeAlias

from gmpy2 import mpq

from livetimbre.errors import PatternError
from livetimbre.patterns.euclid import bjorklund

# At most this many events (counted while querying, fragments included) per query.
MAX_EVENTS = 100_000
_MASK = (1 << 64) - 1
# An exact rational time, in cycles: GMP's mpq (gmpy2 ships no type hints, hence Any).
Time: TypeAlias = Any


def rational(value: int | str | Time, denominator: int = 1) -> Time:
    """An exact rational: `rational(3, 8)`, `rational("0.5")`, `rational(2)`."""
    return mpq(value) if denominator == 1 else mpq(value, denominator)


ONE = rational(1)


class Hap(NamedTuple):
    """One event: its whole span, the part of it inside the query, and its value."""

    whole_begin: Time
    whole_end: Time
    part_begin: Time
    part_end: Time
    value: str


class Context:
    """What a query carries along: the seed of the random choices and the event budget."""

    __slots__ = ("budget", "seed")

    def __init__(self, seed: int, budget: int = MAX_EVENTS) -> None:
        self.seed = seed
        self.budget = budget

    def spend(self, count: int) -> None:
        """Count `count` events; too many in one query is an error, not a stall."""
        self.budget -= count
        if self.budget < 0:
            raise PatternError(f"the pattern makes more than {MAX_EVENTS} events (or steps) "
                               "in the cycles asked for; use smaller factors")

    def rand(self, site: int, time: Time) -> float:
        """A number in [0, 1) fixed by the seed, the random operator `site` and `time`."""
        x = (self.seed * 0x9E3779B97F4A7C15 + site * 0xBF58476D1CE4E5B9
             + int(time.numerator) * 0x94D049BB133111EB + int(time.denominator)) & _MASK
        for _ in range(2):
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
            x ^= x >> 31
        return (x >> 11) / float(1 << 53)


Query = Callable[[Time, Time, Context], list[Hap]]


class Pattern:
    """A pattern: `query(begin, end, context)` gives the haps overlapping [begin, end);
    `value` is set when it is `pure(value)` (sequences place those directly)."""

    __slots__ = ("query", "value")

    def __init__(self, query: Query, value: str | None = None) -> None:
        self.query = query
        self.value = value


def _cycles(begin: Time, end: Time,
            ctx: Context) -> Iterator[tuple[int, Time, Time]]:
    """The pieces of [begin, end) inside each cycle: (cycle, piece begin, piece end);
    each piece counts against the query's budget."""
    cycle = begin.__floor__()
    while cycle < end:
        ctx.spend(1)
        low = max(begin, mpq(cycle))
        high = min(end, mpq(cycle + 1))
        if low < high:
            yield cycle, low, high
        cycle += 1


def _silent(begin: Time, end: Time, ctx: Context) -> list[Hap]:
    return []


silence = Pattern(_silent)


def pure(value: str) -> Pattern:
    """`value` once a cycle, lasting the whole cycle."""

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        return [Hap(mpq(c), mpq(c + 1), low, high, value)
                for c, low, high in _cycles(begin, end, ctx)]

    return Pattern(query, value)


def stack(patterns: Sequence[Pattern]) -> Pattern:
    """All of `patterns` at once."""
    if len(patterns) == 1:
        return patterns[0]

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        return [h for p in patterns for h in p.query(begin, end, ctx)]

    return Pattern(query)


def fast(pattern: Pattern, factor: Time) -> Pattern:
    """`pattern` `factor` times faster (slower below 1); silence for 0 or less."""
    if factor <= 0:
        return silence
    if factor == 1:
        return pattern

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        return [Hap(h.whole_begin / factor, h.whole_end / factor, h.part_begin / factor,
                    h.part_end / factor, h.value)
                for h in pattern.query(begin * factor, end * factor, ctx)]

    return Pattern(query)


def _squeeze(out: list[Hap], pattern: Pattern, c: int, b: Time, e: Time,
             origin: Time, width: Time, ctx: Context) -> None:
    """Adds to `out` the haps of cycle `c` of `pattern`, squeezed to start at `origin`
    and last `width`, over [b, e) (inside that squeezed stretch)."""
    for h in pattern.query(c + (b - origin) / width, c + (e - origin) / width, ctx):
        out.append(Hap(origin + (h.whole_begin - c) * width,
                       origin + (h.whole_end - c) * width,
                       origin + (h.part_begin - c) * width,
                       origin + (h.part_end - c) * width, h.value))


def compress(pattern: Pattern, low: Time, high: Time) -> Pattern:
    """Each cycle of `pattern` squeezed into [low, high) of the same cycle, silence around."""
    return timecat([(low, silence), (high - low, pattern), (1 - high, silence)])


def timecat(steps: Sequence[tuple[Time, Pattern]]) -> Pattern:
    """The steps one after another in a cycle, each as long as its weight says."""
    total = sum((w for w, _ in steps), mpq(0))
    if total <= 0:
        return silence
    if len(steps) == 1:
        return steps[0][1]
    bounds, offset = [], mpq(0)
    for weight, pattern in steps:
        if weight > 0 and pattern is not silence:
            bounds.append((offset / total, (offset + weight) / total, weight / total, pattern))
        offset += weight

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        out: list[Hap] = []
        for c, qb, qe in _cycles(begin, end, ctx):
            low_q, high_q = qb - c, qe - c
            for low, high, width, pattern in bounds:
                if high <= low_q:
                    continue
                if low >= high_q:
                    break
                origin = c + low
                b, e = max(qb, origin), min(qe, c + high)
                if pattern.value is not None:  # a value fills its step: no need to ask
                    ctx.spend(1)
                    out.append(Hap(origin, origin + width, b, e, pattern.value))
                else:
                    _squeeze(out, pattern, c, b, e, origin, width, ctx)
        return out

    return Pattern(query)


def patterned(args: Sequence[Pattern], make: Callable[[tuple[str, ...]], Pattern]) -> Pattern:
    """A pattern whose arguments are patterns: for each stretch of time where the
    arguments hold values, `make(values)` queried over that stretch (Tidal's inner join)."""

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        out: list[Hap] = []

        def walk(index: int, b: Time, e: Time, values: tuple[str, ...]) -> None:
            if index == len(args):
                out.extend(make(values).query(b, e, ctx))
                return
            for h in args[index].query(b, e, ctx):
                walk(index + 1, h.part_begin, h.part_end, (*values, h.value))

        walk(0, begin, end, ())
        return out

    return Pattern(query)


def degrade(pattern: Pattern, amount: float, site: int) -> Pattern:
    """Drops each event with probability `amount` (by the seed, the site and its onset)."""

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        return [h for h in pattern.query(begin, end, ctx)
                if ctx.rand(site, h.whole_begin) >= amount]

    return Pattern(query)


def choose(patterns: Sequence[Pattern], site: int) -> Pattern:
    """One of `patterns` each cycle, chosen by the seed and the site."""

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        out: list[Hap] = []
        for c, low, high in _cycles(begin, end, ctx):
            index = int(ctx.rand(site, mpq(c)) * len(patterns))
            out.extend(patterns[index].query(low, high, ctx))
        return out

    return Pattern(query)


def euclid(pattern: Pattern, pulses: int, steps: int, rotation: int) -> Pattern:
    """`pattern` on the onsets of Bjorklund's (pulses, steps) rhythm, rotated left by
    `rotation` steps; negative pulses play the steps the rhythm leaves out."""
    if steps <= 0:
        return silence
    beats = bjorklund(min(abs(pulses), steps), steps)
    if pulses < 0:
        beats = [not b for b in beats]
    shift = rotation % steps
    beats = beats[shift:] + beats[:shift]
    onsets = [mpq(i, steps) for i, on in enumerate(beats) if on]
    size = mpq(1, steps)

    def query(begin: Time, end: Time, ctx: Context) -> list[Hap]:
        out: list[Hap] = []
        for c, qb, qe in _cycles(begin, end, ctx):
            for onset in onsets:
                wb = c + onset
                we = wb + size
                b, e = max(qb, wb), min(qe, we)
                if b >= e:
                    continue
                for h in pattern.query(wb, we, ctx):
                    pb, pe = max(b, h.part_begin), min(e, h.part_end)
                    if pb < pe:
                        out.append(Hap(wb, we, pb, pe, h.value))
        return out

    return Pattern(query)
