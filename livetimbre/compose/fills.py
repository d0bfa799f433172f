"""Fills and ghost notes for grooves without a snare: a genre whose groove has no snare
or toms (tabla, darbuka, congas) fills on its own drums, from the highest to the lowest,
and timpani or hand drums take the ghost notes a drummer would put on the snare."""

from __future__ import annotations

__all__ = ["ghost_voice", "hand_fill_notes"]

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


def ghost_voice(voices: dict[str, str]) -> str:
    """The voice that takes ghost notes in a bar of `voices`: the snare, the rim, else
    the bar's own hand drum or timpano (the rim where it has none)."""
    for voice in ("snare", "rim"):
        if voice in voices:
            return voice
    own = [v for v in (*_HANDS, "tom_high", "tom_mid", "tom_low") if v in voices]
    return own[0] if own else "rim"
