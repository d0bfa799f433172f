"""Rendered clips the render pool keeps in memory, within a budget.

The artifact store on disk is the render cache; this is only a small, fast layer over
it, so an /undo or a seed flipped back gets its clips without a round trip through a
worker. Clips the session uses (the newest render of each slot, which the launcher
and the engine hold anyway) are never dropped and do not count against the budget;
the others ("spare" clips) are dropped least recently used first once they pass it.
With a budget of 0 nothing spare is kept.
"""

from __future__ import annotations

__all__ = ["ClipMemory"]

from collections import OrderedDict
from collections.abc import Callable, Collection

import numpy as np

from livetimbre.music.notes import Part
from livetimbre.render.info import ClipInfo

Entry = tuple[np.ndarray, ClipInfo, Part | None]
"""A kept clip: its audio, its figures and its notes."""


class ClipMemory:
    """Clips by recipe hash; spare ones kept within `budget_bytes`. `in_use` names the
    recipes the session uses right now. Used by one thread (the pool's dispatcher)."""

    def __init__(self, budget_bytes: int, in_use: Callable[[], Collection[str]]) -> None:
        self.budget_bytes = max(0, budget_bytes)
        self._in_use = in_use
        self._clips: OrderedDict[str, Entry] = OrderedDict()

    def get(self, recipe: str) -> Entry | None:
        """The clip `recipe` made, if kept (now the most recently used)."""
        entry = self._clips.get(recipe)
        if entry is not None:
            self._clips.move_to_end(recipe)
        return entry

    def put(self, recipe: str, audio: np.ndarray, info: ClipInfo, part: Part | None) -> None:
        """Keep a clip just rendered, then drop spare clips beyond the budget."""
        self._clips[recipe] = (audio, info, part)
        self._clips.move_to_end(recipe)
        self.trim()

    def trim(self) -> None:
        """Drop the least recently used spare clips until they fit the budget."""
        in_use = set(self._in_use())
        spare = [recipe for recipe in self._clips if recipe not in in_use]
        total = sum(self._clips[recipe][0].nbytes for recipe in spare)  # oldest first
        for recipe in spare:
            if total <= self.budget_bytes:
                break
            total -= self._clips.pop(recipe)[0].nbytes

    @property
    def bytes(self) -> int:
        """Audio bytes kept, in use or spare."""
        return sum(audio.nbytes for audio, _info, _part in list(self._clips.values()))

    @property
    def spare_bytes(self) -> int:
        """Audio bytes kept for clips the session does not use now (within the budget
        after each `put` or `trim`)."""
        in_use = set(self._in_use())
        return sum(entry[0].nbytes for recipe, entry in list(self._clips.items())
                   if recipe not in in_use)

    def __len__(self) -> int:
        return len(self._clips)
