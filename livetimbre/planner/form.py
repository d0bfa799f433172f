"""The form of a track plan: durations (long-form 90–180 s, short-form 8–90 s), the
section templates, the tempo range and whole-bar section lengths."""

from __future__ import annotations

__all__ = [
    "BRIDGE_FROM",
    "LONG_BRIDGE_TEMPLATE",
    "LONG_RANGE",
    "LONG_TEMPLATE",
    "MIN_SECTION_SECONDS",
    "SHORT_RANGE",
    "SHORT_TEMPLATE",
    "TEMPO_RANGE",
    "Template",
    "check_duration",
    "quantise_tempo",
    "section_bars",
    "tempo_range",
]

import math

from livetimbre.errors import ValueProblem
from livetimbre.genres.profile import GenreProfile
from livetimbre.music.values import COMPOSE_SECONDS

LONG_RANGE = COMPOSE_SECONDS  # seconds: long-form durations (others are clamped into it)
SHORT_RANGE = (8.0, 90.0)  # seconds: short-form, [8, 90)
BRIDGE_FROM = 150.0  # seconds: long-form plans this long or longer get a bridge
TEMPO_RANGE = (68.0, 128.0)  # BPM: long-form tempi, within the genre's range
MIN_SECTION_SECONDS = 16.0  # long-form

# (name, share of the track, energy) per section of a template.
Template = tuple[tuple[str, float, float], ...]
LONG_TEMPLATE: Template = (("intro", 0.15, 0.35), ("motif", 0.30, 0.6),
                           ("chorus", 0.35, 0.85), ("outro", 0.20, 0.3))
LONG_BRIDGE_TEMPLATE: Template = (("intro", 0.12, 0.35), ("motif", 0.25, 0.6),
                                  ("chorus", 0.28, 0.85), ("bridge", 0.18, 0.5),
                                  ("outro", 0.17, 0.3))
SHORT_TEMPLATE: Template = (("intro", 0.25, 0.35), ("motif", 0.45, 0.6),
                            ("resolve", 0.30, 0.4))


def check_duration(seconds: float, short: bool, where: str = "--duration"
                   ) -> tuple[float, str | None]:
    """(duration to plan, a note when it was clamped). Long-form clamps into 90–180 s;
    short-form (`short`) must be asked for with a duration in [8, 90)."""
    if not isinstance(seconds, int | float) or not math.isfinite(seconds) or seconds <= 0:
        raise ValueProblem(f"Duration {seconds!r} ({where}) must be a positive number of "
                           "seconds.")
    if short:
        low, high = SHORT_RANGE
        if not low <= seconds < high:
            raise ValueProblem(f"Duration {seconds:g} s ({where}) does not suit a short-form "
                               f"piece: use {low:g} to under {high:g} s, or leave out --short "
                               f"for a long-form track of {LONG_RANGE[0]:g}–{LONG_RANGE[1]:g} s.")
        return float(seconds), None
    low, high = LONG_RANGE
    if low <= seconds <= high:
        return float(seconds), None
    clamped = min(high, max(low, float(seconds)))
    hint = " (--short makes a short-form piece under 90 s)" if seconds < low else ""
    return clamped, (f"duration {seconds:g} s ({where}) is outside long-form's {low:g}–"
                     f"{high:g} s: planning {clamped:g} s{hint}")


def tempo_range(genre: GenreProfile) -> tuple[float, float]:
    """68–128 BPM within the genre's range; the genre's own range when they do not meet."""
    low = max(TEMPO_RANGE[0], genre.rhythm.tempo_range[0])
    high = min(TEMPO_RANGE[1], genre.rhythm.tempo_range[1])
    if math.ceil(low) > math.floor(high):
        return genre.rhythm.tempo_range
    return low, high


def quantise_tempo(wanted: float, genre: GenreProfile) -> float:
    """`wanted` rounded to a whole BPM inside `tempo_range(genre)`."""
    low, high = tempo_range(genre)
    return float(min(math.floor(high), max(math.ceil(low), round(wanted))))


def section_bars(total: int, weights: tuple[float, ...], min_bars: int) -> list[int]:
    """Split `total` bars into sections by `weights`: each at least `min_bars`, in phrases
    of 4 bars where the total allows (else 2, else 1), the sum exactly `total`."""
    count = len(weights)
    if count * min_bars > total:
        raise ValueProblem(f"{total} bars cannot hold {count} sections of {min_bars} bars.")
    unit, floor = 1, min_bars
    for candidate in (4, 2, 1):
        floor = math.ceil(min_bars / candidate) * candidate
        if count * floor <= total:
            unit = candidate
            break
    ideal = [w / sum(weights) * total for w in weights]
    bars = [max(floor, unit * round(x / unit)) for x in ideal]
    while sum(bars) - total >= unit:  # too long: shorten the most over-long section
        over = [(bars[i] - ideal[i], i) for i in range(count) if bars[i] - unit >= floor]
        bars[max(over)[1]] -= unit
    while total - sum(bars) >= unit:  # too short: lengthen the most short-changed one
        bars[max((ideal[i] - bars[i], i) for i in range(count))[1]] += unit
    rest = total - sum(bars)  # under one unit: the largest section takes it
    largest = max(range(count), key=lambda i: (bars[i], -i))
    bars[largest] += rest
    return bars
