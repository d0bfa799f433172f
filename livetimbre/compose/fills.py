"""Fills for hand drums: a genre whose groove has no snare or toms (tabla, darbuka,
congas) fills on its own drums, from the highest to the lowest."""

from __future__ import annotations

__all__ = ["hand_fill_notes"]

from livetimbre.compose.direction import Direction
from livetimbre.music.instruments import DRUM_NOTES

_HANDS = ("bongo_high", "timbale_high", "conga_high", "bongo_low", "conga_open",
          "timbale_low", "conga_low")
_STICKS = ("snare", "snare2", "tom_low", "tom_mid", "tom_high")


def hand_fill_notes(d: Direction) -> list[int]:
    """The drum notes a fill runs down, high to low, or [] for a snare or tom fill."""
    voices = d.genre.rhythm.drum_patterns[0].voices
    if any(v in voices for v in _STICKS):
        return []
    return [DRUM_NOTES[v] for v in _HANDS if v in voices]
