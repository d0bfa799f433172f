"""Hearing a vocal part the way a musician reads it: range, steps, key, phrasing in whole
bars with breaths, cadences on chord tones, the last note at home, stresses on beats."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.music.notes import NoteEvent, Part
from livetimbre.music.pulses import metric_weight
from livetimbre.music.theory import Key, Meter
from livetimbre.voice.score import VocalLine

BREATH = 0.75  # a rest this long (beats) or longer ends a phrase


def step_share(part: Part) -> float:
    """The share of melodic intervals of at most two semitones."""
    pitches = [n.pitch for n in sorted(part.notes, key=lambda n: n.start)]
    pairs = list(pairwise(pitches))
    return sum(abs(a - b) <= 2 for a, b in pairs) / max(1, len(pairs))


def out_of_range(part: Part, span: tuple[int, int]) -> list[int]:
    return [n.pitch for n in part.notes if not span[0] <= n.pitch <= span[1]]


def out_of_key(part: Part, key: Key) -> list[int]:
    scale = {(key.tonic + i) % 12 for i in key.intervals}
    return [n.pitch for n in part.notes if n.pitch % 12 not in scale]


def sung_phrases(part: Part) -> list[list[NoteEvent]]:
    """Notes grouped into phrases: a rest of BREATH beats or more starts a new one."""
    out: list[list[NoteEvent]] = []
    for note in sorted(part.notes, key=lambda n: n.start):
        if out and note.start - (out[-1][-1].start + out[-1][-1].duration) < BREATH:
            out[-1].append(note)
        else:
            out.append([note])
    return out


def phrasing_problems(part: Part, meter: Meter) -> list[str]:
    """Phrases must fill whole bars of one length (the last may be longer), at most four
    bars, each one ending in a rest before the bar where the next begins (the last
    before the loop comes round); nothing past the loop."""
    bar = meter.beats
    problems = []
    groups = sung_phrases(part)
    firsts = [int(g[0].start // bar) for g in groups]
    for i, (group, nxt) in enumerate(pairwise(groups)):
        end = group[-1].start + group[-1].duration
        if int((end - 1e-6) // bar) >= int(nxt[0].start // bar):
            problems.append(f"phrase {i + 1} runs into the bar where the next begins")
    lengths = {b - a for a, b in pairwise(firsts)}
    if len(lengths) > 1:
        problems.append(f"phrases of different lengths in bars: {sorted(lengths)}")
    if any(n.start + n.duration > part.beats + 1e-9 for n in part.notes):
        problems.append("a note sounds past the loop")
    elif groups and groups[-1][-1].start + groups[-1][-1].duration > part.beats - BREATH:
        problems.append("no breath before the loop comes round")
    if any(g[-1].start + g[-1].duration - g[0].start > 4 * bar for g in groups):
        problems.append("a phrase longer than four bars without a breath")
    return problems


def cadence_problems(part: Part, key: Key, spans: Sequence[ChordSpan]) -> list[str]:
    """Every phrase ends on a tone of its chord; the last on a tone of the tonic triad
    (and of its chord too, unless that chord has no tone of the tonic triad)."""
    problems = []
    groups = sung_phrases(part)
    home = {key.tonic, key.degree_pitch_class(2), key.degree_pitch_class(4)}
    for i, group in enumerate(groups):
        last = group[-1]
        chord = set(chord_at(spans, last.start).pitch_classes())
        if i == len(groups) - 1 and not chord & home:
            continue  # a last chord with no home tone: coming home is the rule that wins
        if last.pitch % 12 not in chord:
            problems.append(f"phrase {i + 1} ends off its chord")
    if groups and groups[-1][-1].pitch % 12 not in home:
        problems.append("the last note is not a tone of the tonic triad")
    return problems


def stress_share(line: VocalLine, meter: Meter) -> float:
    """The share of stressed syllables that start on a beat (a pulse of the meter)."""
    stressed = [n for n in line.notes if n.stressed and not n.melisma]
    on_beat = [n for n in stressed
               if metric_weight(meter, round(n.start % meter.beats * meter.steps_per_beat))
               >= 0.8]
    return len(on_beat) / max(1, len(stressed))


def overlaps(part: Part) -> int:
    notes = sorted(part.notes, key=lambda n: n.start)
    return sum(a.start + a.duration > b.start + 1e-9 for a, b in pairwise(notes))
