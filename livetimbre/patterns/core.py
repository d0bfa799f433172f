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
    "ZERO",
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

import functools
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


# Hap(...) without the Python-level __new__ that NamedTuple gives it (the hot path
# makes one per event and level).
_hap = functools.partial(tuple.__new__, Hap)


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


# query(begin, end, ctx, out, scale, shift): add to `out` the haps overlapping
# [begin, end) of the pattern's own time, each time t of them mapped to shift + t × scale.
# Passing the mapping down, rather than mapping every hap again at each level on the
# way up, leaves one multiplication and one addition per time of a hap.
Query = Callable[[Time, Time, Context, list[Hap], Time, Time], None]
ZERO = rational(0)


class Pattern:
    """A pattern: `haps(begin, end, context)` gives the haps overlapping [begin, end);
    `value` is set when it is `pure(value)` (sequences place those directly). What a
    pattern was made of is kept where a combinator can fold it into its own work:
    `steps` for a sequence (`timecat`), `sped` (pattern, factor) for `fast`."""

    __slots__ = ("query", "sped", "steps", "value")

    def __init__(self, query: Query, value: str | None = None, *,
                 steps: Sequence[tuple[Time, Pattern]] | None = None,
                 sped: tuple[Pattern, Time] | None = None) -> None:
        self.query = query
        self.value = value
        self.steps = steps
        self.sped = sped

    def haps(self, begin: Time, end: Time, ctx: Context) -> list[Hap]:
        """The haps overlapping [begin, end), in the pattern's own time."""
        out: list[Hap] = []
        self.query(begin, end, ctx, out, ONE, ZERO)
        return out


def _cycles(begin: Time, end: Time,
            ctx: Context) -> Iterator[tuple[int, Time, Time]]:
    """The pieces of [begin, end) inside each cycle: (cycle, piece begin, piece end);
    each piece counts against the query's budget. Whole cycles' bounds are ints."""
    cycle = begin.__floor__()
    while cycle < end:
        ctx.budget -= 1  # ctx.spend(1), inlined: this runs for every piece of every query
        if ctx.budget < 0:
            ctx.spend(0)
        following = cycle + 1
        low = begin if begin > cycle else cycle
        high = end if end < following else following
        if low < high:
            yield cycle, low, high
        cycle = following


def _mapped(out: list[Hap], haps: list[Hap], k: Time, o: Time) -> None:
    """Add `haps` (in a pattern's own time) to `out`, mapped t → o + t × k."""
    out.extend(_hap((o + h.whole_begin * k, o + h.whole_end * k, o + h.part_begin * k,
                   o + h.part_end * k, h.value)) for h in haps)


def _silent(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time, o: Time) -> None:
    return None


silence = Pattern(_silent)


def pure(value: str) -> Pattern:
    """`value` once a cycle, lasting the whole cycle."""

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        for c, low, high in _cycles(begin, end, ctx):
            start = o + c * k
            out.append(_hap((start, start + k, o + low * k, o + high * k, value)))

    return Pattern(query, value)


def stack(patterns: Sequence[Pattern]) -> Pattern:
    """All of `patterns` at once."""
    if len(patterns) == 1:
        return patterns[0]

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        for pattern in patterns:
            pattern.query(begin, end, ctx, out, k, o)

    return Pattern(query)


def fast(pattern: Pattern, factor: Time) -> Pattern:
    """`pattern` `factor` times faster (slower below 1); silence for 0 or less."""
    if factor <= 0:
        return silence
    if pattern.sped is not None:  # fast(fast(p, a), b) is fast(p, a × b)
        inner_pattern, inner_factor = pattern.sped
        pattern, factor = inner_pattern, inner_factor * factor
    if factor == 1:
        return pattern
    inner = pattern.query

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        inner(begin * factor, end * factor, ctx, out, k / factor, o)

    return Pattern(query, sped=(pattern, factor))


def compress(pattern: Pattern, low: Time, high: Time) -> Pattern:
    """Each cycle of `pattern` squeezed into [low, high) of the same cycle, silence around."""
    return timecat([(low, silence), (high - low, pattern), (1 - high, silence)])


def timecat(steps: Sequence[tuple[Time, Pattern]]) -> Pattern:
    """The steps one after another in a cycle, each as long as its weight says. A step
    that is a sequence itself lends its steps, shrunk to fit (the same events, a level
    less to query)."""
    spliced: list[tuple[Time, Pattern]] = []
    for weight, pattern in steps:
        if pattern.steps is None:
            spliced.append((weight, pattern))
            continue
        inner_total = sum((w for w, _ in pattern.steps), mpq(0))
        spliced.extend((weight * w / inner_total, p) for w, p in pattern.steps)
    steps = spliced
    total = sum((w for w, _ in steps), mpq(0))
    if total <= 0:
        return silence
    if len(steps) == 1:
        return steps[0][1]
    bounds, offset = [], mpq(0)
    for weight, pattern in steps:
        if weight > 0 and pattern is not silence:
            bounds.append((offset / total, (offset + weight) / total, weight / total,
                           pattern.value, pattern.query))
        offset += weight

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        for c, qb, qe in _cycles(begin, end, ctx):
            if qe - qb == 1:  # the whole cycle: every step whole
                for low, _, width, value, inner in bounds:
                    start = o + (c + low) * k
                    size = width * k
                    if value is not None:
                        ctx.spend(1)
                        stop = start + size
                        out.append(_hap((start, stop, start, stop, value)))
                    else:
                        inner(c, c + 1, ctx, out, size, start - c * size)
                continue
            low_q, high_q = qb - c, qe - c
            for low, high, width, value, inner in bounds:
                if high <= low_q:
                    continue
                if low >= high_q:
                    break
                origin = c + low
                b = qb if qb > origin else origin
                e = c + high
                if qe < e:
                    e = qe
                if value is not None:  # a value fills its step: no need to ask
                    ctx.spend(1)
                    start = o + origin * k
                    out.append(_hap((start, start + width * k, o + b * k, o + e * k, value)))
                else:  # cycle c of the step's pattern, squeezed into the step
                    inner(c + (b - origin) / width, c + (e - origin) / width, ctx, out,
                          width * k, o + (origin - c * width) * k)

    return Pattern(query, steps=steps)


def patterned(args: Sequence[Pattern], make: Callable[[tuple[str, ...]], Pattern]) -> Pattern:
    """A pattern whose arguments are patterns: for each stretch of time where the
    arguments hold values, `make(values)` queried over that stretch (Tidal's inner join).
    `make` is asked once for each set of values."""
    made: dict[tuple[str, ...], Pattern] = {}

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        def walk(index: int, b: Time, e: Time, values: tuple[str, ...]) -> None:
            if index == len(args):
                pattern = made.get(values)
                if pattern is None:
                    pattern = made[values] = make(values)
                pattern.query(b, e, ctx, out, k, o)
                return
            for h in args[index].haps(b, e, ctx):
                walk(index + 1, h.part_begin, h.part_end, (*values, h.value))

        walk(0, begin, end, ())

    return Pattern(query)


def degrade(pattern: Pattern, amount: float, site: int) -> Pattern:
    """Drops each event with probability `amount` (by the seed, the site and its onset)."""

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        _mapped(out, [h for h in pattern.haps(begin, end, ctx)
                      if ctx.rand(site, h.whole_begin) >= amount], k, o)

    return Pattern(query)


def choose(patterns: Sequence[Pattern], site: int) -> Pattern:
    """One of `patterns` each cycle, chosen by the seed and the site."""

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        for c, low, high in _cycles(begin, end, ctx):
            index = int(ctx.rand(site, mpq(c)) * len(patterns))
            patterns[index].query(low, high, ctx, out, k, o)

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
    value = pattern.value

    def query(begin: Time, end: Time, ctx: Context, out: list[Hap], k: Time,
              o: Time) -> None:
        for c, qb, qe in _cycles(begin, end, ctx):
            if value is not None and qe - qb == 1:  # the whole cycle: every step whole
                ctx.spend(len(onsets))
                for onset in onsets:
                    start = o + (c + onset) * k
                    stop = start + size * k
                    out.append(_hap((start, stop, start, stop, value)))
                continue
            for onset in onsets:
                wb = c + onset
                we = wb + size
                b, e = max(qb, wb), min(qe, we)
                if b >= e:
                    continue
                if value is not None:  # a value sounds on the whole step
                    ctx.spend(1)
                    out.append(_hap((o + wb * k, o + we * k, o + b * k, o + e * k, value)))
                    continue
                for h in pattern.haps(wb, we, ctx):
                    pb, pe = max(b, h.part_begin), min(e, h.part_end)
                    if pb < pe:
                        out.append(_hap((o + wb * k, o + we * k, o + pb * k, o + pe * k,
                                       h.value)))

    return Pattern(query)
