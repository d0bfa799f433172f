"""Form inside a clip: phrases of 2, 4 or 8 bars, and what each bar of a phrase does.

Every bar gets a label: ``A`` is the part's basic bar, ``A2``/``A3`` are variations of
it, ``B`` answers it, ``f`` ends an inner phrase with a small fill or turn and ``F`` ends
the clip with a full one. The writers give each label its own treatment, so bars develop
instead of repeating (Tidal's ``<a b>`` alternation, in the spirit of a player).
"""

from __future__ import annotations

__all__ = ["BarForm", "bar_forms", "degrade", "phrase_length"]

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_TEMPLATES: dict[int, tuple[str, ...]] = {
    1: ("A",),
    2: ("A", "F"),
    3: ("A", "A2", "F"),
    4: ("A", "A2", "B", "F"),
    8: ("A", "A2", "A", "B", "A", "A3", "B2", "F"),
}


@dataclass(frozen=True)
class BarForm:
    """What bar `bar` of the clip is: its label, its phrase and place in the phrase."""

    bar: int
    label: str
    phrase: int
    position: int
    phrase_bars: int

    @property
    def is_phrase_end(self) -> bool:
        return self.position == self.phrase_bars - 1

    @property
    def variant(self) -> str:
        """A name for this bar's treatment: `A` is the same everywhere; variations
        differ from phrase to phrase."""
        return "A" if self.label == "A" else f"{self.label}.{self.phrase}"


def phrase_length(bars: int) -> int:
    """8-bar phrases where the clip allows, else 4, 2 or the whole clip."""
    for length in (8, 4, 2):
        if bars >= length and bars % length == 0:
            return length
    return min(bars, 4) if bars > 4 else bars


def bar_forms(bars: int) -> list[BarForm]:
    """The label of every bar; inner phrase ends get a small fill ('f'), the last bar
    of the clip the full one ('F')."""
    length = phrase_length(bars)
    out: list[BarForm] = []
    for bar in range(bars):
        phrase, position = divmod(bar, length)
        phrase_bars = min(length, bars - phrase * length)
        template = _TEMPLATES.get(phrase_bars) or (*_TEMPLATES[4][:3],
                                                   *("A2",) * (phrase_bars - 4), "F")
        label = template[position]
        if label == "F" and bar != bars - 1:
            label = "f"
        out.append(BarForm(bar, label, phrase, position, phrase_bars))
    return out


def degrade(items: Sequence[T], amount: float, rng: random.Random) -> list[T]:
    """Drop each item with probability `amount` (Tidal's degradeBy)."""
    return [item for item in items if rng.random() >= amount]
