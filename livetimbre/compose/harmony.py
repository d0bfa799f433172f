"""Harmony: a progression from the genre, laid over the clip's bars, voiced smoothly."""

from __future__ import annotations

__all__ = ["ChordSpan", "chord_at", "plan_harmony", "voice_chord"]

import random
from dataclasses import dataclass

from livetimbre.compose.direction import Direction
from livetimbre.music.theory import Chord, chord_from_roman


@dataclass(frozen=True)
class ChordSpan:
    """A chord sounding from `start` for `beats` beats."""

    start: float
    beats: float
    chord: Chord


def _extend(chord: Chord, extensions: str) -> Chord:
    intervals = list(chord.intervals)
    if extensions in ("sevenths", "ninths") and not any(i in (9, 10, 11) for i in intervals):
        minor_third = 3 in intervals
        diminished = 6 in intervals and minor_third
        intervals.append(9 if diminished else 10 if minor_third else 11)
    if extensions == "ninths" and 14 not in intervals:
        intervals.append(14)
    return Chord(chord.symbol, chord.root, tuple(intervals))


def plan_harmony(d: Direction) -> list[ChordSpan]:
    """The clip's chords: one of the genre's progressions, cycled to fill every bar."""
    rng = random.Random(d.harmony_seed)
    progressions = d.genre.harmony.typical_progressions
    progression = progressions[rng.randrange(len(progressions))]
    chords = [_extend(chord_from_roman(s, d.key), d.genre.harmony.extensions) for s in progression]
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


def voice_chord(chord: Chord, center: float, low: int, high: int) -> list[int]:
    """MIDI pitches of `chord`, each tone in the octave nearest `center`, within [low, high]."""
    pitches = []
    for interval in chord.intervals:
        pc = (chord.root + interval) % 12
        candidates = [p for p in range(low, high + 1) if p % 12 == pc]
        if candidates:
            pitches.append(min(candidates, key=lambda p: (abs(p - center), p)))
    return sorted(set(pitches))


def chord_at(spans: list[ChordSpan], beat: float) -> Chord:
    """The chord sounding at `beat`."""
    for span in spans:
        if span.start <= beat < span.start + span.beats:
            return span.chord
    return spans[-1].chord
