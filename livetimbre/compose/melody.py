"""Melody: a motif in scale, repeated with variation, plus arpeggios over the chords.

The motif's steps and leaps follow the genre's step-vs-leap ratio; strong beats land
on chord tones; the phrase is motif, varied motif, motif, answer.
"""

from __future__ import annotations

__all__ = ["write_arpeggio", "write_lead"]

import random

from livetimbre.compose.direction import Direction
from livetimbre.compose.harmony import ChordSpan, chord_at, voice_chord
from livetimbre.music.notes import NoteEvent, clamp_velocity


def _range(d: Direction) -> tuple[int, int]:
    center = d.genre.melody.center_pitch
    if d.mood == "dark":
        center -= 5
    elif d.mood == "bright":
        center += 5
    half = round(d.genre.melody.typical_range_octaves * 6)
    return center - half, center + half


def _rhythm(d: Direction, rng: random.Random) -> list[tuple[float, float]]:
    """One bar of (onset, length) in beats for the motif."""
    per_beat = d.genre.melody.notes_per_beat * (0.5 + d.theme.density)
    count = max(2, min(d.meter.steps_per_bar, round(per_beat * d.beats_per_bar)))
    grid = d.meter.steps_per_bar if per_beat > 1.5 else d.meter.steps_per_bar // 2
    unit = d.beats_per_bar / grid
    chosen = {0}
    while len(chosen) < min(count, grid):
        # Favour on-beat positions; syncopated prompts favour off-beats.
        slot = rng.randrange(grid)
        on_beat = (slot * unit) % 1 == 0
        keep = 0.8 if on_beat != (d.theme.rhythm_tag == "syncopated") else 0.45
        if rng.random() < keep:
            chosen.add(slot)
    onsets = sorted(s * unit for s in chosen)
    lengths = [b - a for a, b in zip(onsets, [*onsets[1:], float(d.beats_per_bar)], strict=True)]
    return list(zip(onsets, lengths, strict=True))


def _walk(
    d: Direction, rng: random.Random, scale: list[int], start: int, count: int
) -> list[int]:
    """`count` scale indexes: steps with the genre's probability, else leaps."""
    ratio = d.genre.melody.step_vs_leap_ratio
    index, out = start, []
    for _ in range(count):
        out.append(index)
        move = rng.choice((-1, 1)) if rng.random() < ratio else rng.choice((-4, -3, -2, 2, 3, 4))
        if not 0 <= index + move < len(scale):
            move = -move
        index = max(0, min(len(scale) - 1, index + move))
    return out


def _nearest_chord_tone(pitch: int, spans: list[ChordSpan], beat: float, scale: list[int]) -> int:
    pcs = set(chord_at(spans, beat).pitch_classes())
    options = [p for p in scale if p % 12 in pcs]
    return min(options, key=lambda p: (abs(p - pitch), p)) if options else pitch


def write_lead(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """A lead line: motif (bar 1), variation, motif, answer; then again for longer clips."""
    rng = d.rng("lead")
    low, high = _range(d)
    scale = d.key.scale_pitches(low, high)
    rhythm = _rhythm(d, rng)
    motif = _walk(d, rng, scale, len(scale) // 2, len(rhythm))
    answer_rhythm = _rhythm(d, d.rng("answer"))
    answer = _walk(d, d.rng("answer-pitch"), scale, len(scale) // 2 - 1, len(answer_rhythm))
    staccato = d.theme.texture == "staccato"
    notes: list[NoteEvent] = []
    for bar in range(d.bars):
        phrase_bar = bar % 4
        is_answer = phrase_bar == 3 or (d.bars < 4 and bar == d.bars - 1 and d.bars > 1)
        figure, indexes = (answer_rhythm, answer) if is_answer else (rhythm, motif)
        if phrase_bar == 1:  # variation: shift the motif by a step, vary its tail
            indexes = [i + (1 if rng.random() < 0.5 else -1) for i in indexes[:-1]] + [
                indexes[-1] + rng.choice((-2, 2))
            ]
        bar_start = bar * d.beats_per_bar
        for n, ((onset, length), index) in enumerate(zip(figure, indexes, strict=True)):
            beat = bar_start + onset
            pitch = scale[max(0, min(len(scale) - 1, index))]
            if onset % 1 == 0:  # strong beats land on chord tones
                pitch = _nearest_chord_tone(pitch, spans, beat, scale)
            if is_answer and n == len(figure) - 1:
                pitch = _nearest_chord_tone(scale[len(scale) // 2], spans, beat, scale)
            duration = length * (0.45 if staccato else 0.92)
            accent = 1.0 if onset % 1 == 0 else 0.85
            velocity = d.velocity(96 * accent, bar) + rng.uniform(-5, 5)
            notes.append(NoteEvent(d.swung(beat), duration, pitch, clamp_velocity(velocity)))
    return notes


def write_arpeggio(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Chord tones over two octaves, up (or up-down) in 16ths or 8ths."""
    rng = d.rng("arp")
    low, high = _range(d)
    fast = d.theme.density >= 0.45 or d.theme.has("16ths", "sixteenths", "fast")
    rate = d.step if fast else 2 * d.step
    shape = "updown" if d.theme.has("up-down", "updown", "bouncing") else rng.choice(
        ("up", "up", "updown")
    )
    notes: list[NoteEvent] = []
    beat = 0.0
    position = 0
    while beat < d.total_beats - 1e-9:
        chord = chord_at(spans, beat)
        tones = voice_chord(chord, low + 6, low, high)
        tones = sorted(set(tones + [t + 12 for t in tones if t + 12 <= high]))
        cycle = tones if shape == "up" else tones + tones[-2:0:-1]
        pitch = cycle[position % len(cycle)]
        bar = int(beat // d.beats_per_bar)
        accent = 1.0 if beat % 1 == 0 else 0.8
        velocity = d.velocity(90 * accent, bar) + rng.uniform(-4, 4)
        length = rate * (0.5 if d.theme.texture == "staccato" else 0.85)
        notes.append(NoteEvent(d.swung(beat), length, pitch, clamp_velocity(velocity)))
        beat += rate
        position += 1
    return notes
