"""Harmony: a genre progression read in the chosen key's mode, laid over the clip's bars,
voiced in each instrument's register with smooth voice leading."""

from __future__ import annotations

__all__ = ["ChordSpan", "chord_at", "chord_labels", "plan_harmony", "register_for",
           "voice_chord", "voice_lead"]

import random
from collections.abc import Sequence
from dataclasses import dataclass

from livetimbre.compose.direction import Direction
from livetimbre.music.theory import Chord, harmonize


@dataclass(frozen=True)
class ChordSpan:
    """A chord sounding from `start` for `beats` beats."""

    start: float
    beats: float
    chord: Chord


def plan_harmony(d: Direction) -> list[ChordSpan]:
    """The clip's chords: one of the genre's progressions in the clip's key and mode,
    cycled to fill every bar (every clip of a scene picks the same one)."""
    rng = random.Random(d.harmony_seed)
    progressions = d.genre.harmony.typical_progressions
    progression = progressions[rng.randrange(len(progressions))]
    chords = [harmonize(s, d.key, d.genre.harmony.extensions) for s in progression]
    bars_per_chord = d.genre.harmony.bars_per_chord
    if len(chords) * bars_per_chord > d.bars:
        bars_per_chord = d.bars / len(chords)
    span_beats = bars_per_chord * d.beats_per_bar
    spans = []
    start = 0.0
    index = 0
    while start < d.total_beats - 1e-9:
        beats = min(span_beats, d.total_beats - start)
        spans.append(ChordSpan(start, beats, chords[index % len(chords)]))
        start += beats
        index += 1
    return spans


def chord_labels(spans: Sequence[ChordSpan]) -> list[str]:
    """The progression for the sidecar: each chord's symbol, deliberate chromatic
    choices marked as such."""
    return [f"{s.chord.symbol} (chromatic)" if s.chord.chromatic else s.chord.symbol
            for s in spans]


def chord_at(spans: Sequence[ChordSpan], beat: float) -> Chord:
    """The chord sounding at `beat`."""
    for span in spans:
        if span.start <= beat < span.start + span.beats:
            return span.chord
    return spans[-1].chord


# Where each General MIDI family voices its chords comfortably (MIDI pitch range).
_FAMILY_RANGES: tuple[tuple[range, tuple[int, int]], ...] = (
    (range(0, 4), (48, 76)),     # pianos: C3-E5
    (range(4, 8), (50, 74)),     # electric pianos, harpsichord, clavinet
    (range(8, 16), (60, 88)),    # chromatic percussion: bells, vibes, marimba
    (range(16, 24), (48, 79)),   # organs, accordion, harmonica
    (range(24, 32), (52, 76)),   # guitars: E3-E5
    (range(32, 40), (28, 55)),   # basses
    (range(40, 48), (55, 84)),   # strings, harp
    (range(48, 56), (48, 79)),   # ensembles, choirs
    (range(56, 64), (53, 77)),   # brass
    (range(64, 80), (58, 86)),   # reeds and pipes
    (range(80, 88), (55, 84)),   # synth leads
    (range(88, 96), (48, 79)),   # synth pads
    (range(96, 128), (55, 88)),  # effects, ethnic, percussive
)


def register_for(program: int, bank: int = 0) -> tuple[int, int]:
    """The pitch range (low, high) an instrument plays chords in."""
    if bank == 128:
        return 35, 81
    for programs, span in _FAMILY_RANGES:
        if program in programs:
            return span
    return 48, 79


def voice_chord(chord: Chord, center: float, low: int, high: int) -> list[int]:
    """MIDI pitches of `chord`, each tone in the octave nearest `center`, within [low, high]."""
    pitches = []
    for interval in chord.intervals:
        pc = (chord.root + interval) % 12
        candidates = [p for p in range(low, high + 1) if p % 12 == pc]
        if candidates:
            pitches.append(min(candidates, key=lambda p: (abs(p - center), p)))
    return sorted(set(pitches))


def voice_lead(chord: Chord, previous: Sequence[int], center: float, low: int,
               high: int) -> list[int]:
    """A voicing of `chord` close to the `previous` one (each voice moves as little as
    it can), kept near `center`; the first chord is voiced around `center`."""
    first = voice_chord(chord, center, low, high)
    if not previous:
        return first
    anchor = sum(previous) / len(previous)
    target = (anchor * 2 + center) / 3  # follow the last chord, drift back to the centre
    return voice_chord(chord, target, low, high)
