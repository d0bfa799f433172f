"""A named hand drum or percussion sound on the drums layer (a tabla's stand-in, a
cowbell): the pattern's hand-drum notes move to it, or, when the pattern has none, it
plays as an extra voice, so a named sound is always heard. The kit's own voices (kick,
snare, hats, claps, toms, cymbals) are the pattern's to play: naming them adds none."""

from __future__ import annotations

__all__ = ["HAND_DRUMS", "KIT_VOICES", "with_percussion"]

from dataclasses import replace

from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import NoteEvent

HAND_DRUMS = frozenset(DRUM_NOTES[v] for v in (
    "conga_high", "conga_low", "conga_open", "bongo_high", "bongo_low", "timbale_high",
    "timbale_low"))
KIT_VOICES = frozenset(DRUM_NOTES[v] for v in (
    "kick", "rim", "snare", "clap", "snare2", "tom_low", "hat", "pedal_hat", "open_hat",
    "tom_mid", "tom_high", "crash", "ride", "ride_bell"))
_LOW_PARTNER = {60: 61, 62: 64, 63: 64, 65: 66, 67: 68}  # high key → its low drum


def with_percussion(notes: list[NoteEvent], key: int, beats: int, beats_per_bar: int
                    ) -> list[NoteEvent]:
    """`notes` with GM percussion key `key` playing: unchanged when `key` is a kit voice
    or already plays; else, for a hand drum, the pattern's hand-drum notes become `key`
    (their low ones its low partner, where it has one); else an extra voice on the
    off-beats with `key`'s low partner on each bar's downbeat."""
    if key in KIT_VOICES or any(n.pitch == key for n in notes):
        return notes
    low = _LOW_PARTNER.get(key, key)
    lows = {DRUM_NOTES["conga_low"], DRUM_NOTES["bongo_low"], DRUM_NOTES["timbale_low"]}
    if key in HAND_DRUMS and any(n.pitch in HAND_DRUMS for n in notes):
        return [replace(n, pitch=low if n.pitch in lows else key) if n.pitch in HAND_DRUMS
                else n for n in notes]
    extra = []
    for beat in range(beats):
        if beat % beats_per_bar == 0:
            extra.append(NoteEvent(float(beat), 0.25, low, 96))
        extra.append(NoteEvent(beat + 0.5, 0.25, key, 84 if beat % 2 else 72))
        if beat % 2:
            extra.append(NoteEvent(beat + 0.75, 0.25, key, 60))
    return notes + extra
