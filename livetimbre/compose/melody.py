"""Melody: a motif (shared by the layer's clips in every scene), developed through the
clip's phrases — sequence, ornament, answer, cadence — and arpeggios over the chords.

The motif's steps and leaps follow the genre's step-vs-leap ratio, strong beats land on
chord tones, and every note is in the key's scale.
"""

from __future__ import annotations

__all__ = ["write_arpeggio", "write_lead"]

import random
from dataclasses import dataclass

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform
from livetimbre.compose.form import BarForm, bar_forms, degrade
from livetimbre.compose.harmony import ChordSpan, chord_at, voice_chord
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.pulses import metric_weight


def _range(d: Direction) -> tuple[int, int]:
    center = d.genre.melody.center_pitch + d.register
    half = round(d.genre.melody.typical_range_octaves * 6)
    return max(36, center - half), min(100, center + half)


@dataclass(frozen=True)
class Figure:
    """A bar of melody: onsets (grid steps) and scale indexes, one per onset."""

    steps: tuple[int, ...]
    degrees: tuple[int, ...]


def _ranked_steps(d: Direction, rng: random.Random, grid: int) -> list[int]:
    """The bar's grid positions (every `grid` steps) in the order a motif takes them:
    strong beats first unless the prompt asks for syncopation, then by chance."""
    lean = d.theme.syncopation
    slots = list(range(0, d.steps_per_bar, grid))
    scored = [(metric_weight(d.meter, s) * (1 - lean) + rng.random() * 0.6, s) for s in slots]
    return [s for _, s in sorted(scored, reverse=True)]


def _note_count(d: Direction) -> int:
    per_beat = d.genre.melody.notes_per_beat * (0.4 + d.density) * d.rate
    return max(1, min(d.steps_per_bar, round(per_beat * d.beats_per_bar)))


def _walk(d: Direction, rng: random.Random, start: int, count: int) -> list[int]:
    """`count` scale indexes from `start`: steps with the genre's probability, else leaps."""
    ratio = d.genre.melody.step_vs_leap_ratio
    index, out = start, []
    for _ in range(count):
        out.append(index)
        index += rng.choice((-1, 1)) if rng.random() < ratio else rng.choice((-4, -3, -2, 2, 3))
    return out


def _figure(d: Direction, purpose: str, start: int) -> Figure:
    """A one-bar figure from the layer's shared motif stream: the same for every clip of
    the layer (a denser prompt adds notes, it does not reshuffle the old ones)."""
    rng = d.motif_rng(purpose)
    grid = 1 if _note_count(d) > d.steps_per_bar // 2 else 2
    ranked = _ranked_steps(d, rng, grid)
    count = min(len(ranked), _note_count(d))
    steps = sorted({0, *ranked[:count]})[:max(1, count)]
    walk = _walk(d, rng, start, max(16, d.steps_per_bar))  # a figure may fill a long bar
    return Figure(tuple(steps), tuple(walk[: len(steps)]))


def _treat(figure: Figure, form: BarForm, answer: Figure, d: Direction) -> Figure:
    """The figure a bar plays: the motif, a variation of it, the answer or a cadence."""
    rng = d.rng(f"lead-{form.variant}")
    if form.label == "A":
        return figure
    if form.label in ("B", "B2", "f", "F"):
        base = answer
        if form.label == "B2":  # the answer, shifted by a step
            base = Figure(base.steps, tuple(i + rng.choice((-1, 1)) for i in base.degrees))
        if form.label in ("f", "F"):  # a cadence: one note fewer, the last one held
            kept = base.steps[: max(1, len(base.steps) - 1)]
            return Figure(kept, base.degrees[: len(kept)])
        return base
    # A2 / A3: a sequence (the motif a step or third away) with an ornament or a rest
    shift = rng.choice((-2, -1, 1, 2))
    degrees = [i + shift for i in figure.degrees]
    steps: list[int] = list(figure.steps)
    free = [s for s in range(1, d.steps_per_bar) if s not in steps]
    if free and rng.random() < 0.7:  # add a passing or neighbour note
        extra = rng.choice(free)
        steps.append(extra)
        degrees.append(degrees[-1] + rng.choice((-1, 1)))
    elif len(steps) > 2:  # leave a breath
        drop = rng.randrange(1, len(steps))
        del steps[drop]
        del degrees[drop]
    pairs = sorted(zip(steps, degrees, strict=True))
    return Figure(tuple(s for s, _ in pairs), tuple(i for _, i in pairs))


def _nearest_chord_tone(pitch: int, chord_pcs: set[int], scale: list[int]) -> int:
    options = [p for p in scale if p % 12 in chord_pcs]
    return min(options, key=lambda p: (abs(p - pitch), p)) if options else pitch


def write_lead(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """A lead line: motif, variation, motif, answer; a cadence at the clip's end."""
    low, high = _range(d)
    scale = d.key.scale_pitches(low, high)
    middle = len(scale) // 2
    motif = _figure(d, "lead-motif", middle)
    answer = _figure(d, "lead-answer", middle - 1)
    notes: list[NoteEvent] = []
    climb = 0
    for form in bar_forms(d.bars):
        figure = _treat(motif, form, answer, d)
        if d.theme.wants("riser"):
            climb = form.bar * 2
        bar_start = form.bar * d.beats_per_bar
        rng = d.rng(f"lead-touch-{form.variant}")
        for n, (step, index) in enumerate(zip(figure.steps, figure.degrees, strict=True)):
            beat = bar_start + step * d.step
            nxt = figure.steps[n + 1] if n + 1 < len(figure.steps) else d.steps_per_bar
            pitch = scale[max(0, min(len(scale) - 1, index + climb))]
            last = n == len(figure.steps) - 1
            chord_pcs = set(chord_at(spans, beat).pitch_classes())
            if form.label == "F" and last and d.key.tonic in chord_pcs:  # a cadence home
                pitch = _nearest_chord_tone(pitch, {d.key.tonic}, scale)
            elif metric_weight(d.meter, step) >= 0.86 or (form.label == "f" and last):
                pitch = _nearest_chord_tone(pitch, chord_pcs, scale)
            gap = (nxt - step) * d.step
            hold = 1.0 if form.label in ("f", "F") and last else 0.9
            duration = max(0.06, gap * min(1.0, hold * d.theme.articulation))
            arch = 1.0 + 0.08 * (1 - abs(form.position - form.phrase_bars / 2) /
                                 max(1, form.phrase_bars / 2))
            velocity = d.velocity(92 * arch, form.bar, step) + rng.uniform(-3, 3)
            notes.append(NoteEvent(beat, duration, pitch, clamp_velocity(velocity)))
    return perform(notes, d)


def _arp_shape(d: Direction) -> str:
    for style in ("updown", "down"):
        if d.theme.wants(style):
            return style
    return d.motif_rng("arp-shape").choice(("up", "up", "updown", "down", "pinky"))


def _arp_cycle(tones: list[int], shape: str) -> list[int]:
    if shape == "down":
        return tones[::-1]
    if shape == "updown":
        return tones + tones[-2:0:-1]
    if shape == "pinky":  # the top note between each rising tone
        return [p for t in tones[:-1] for p in (t, tones[-1])]
    return tones


def write_arpeggio(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Chord tones over two octaves in a shape (up, down, up-down, pinky), in 16ths or
    8ths; later bars answer with another shape, thin out, and climb at phrase ends."""
    low, high = _range(d)
    fast = d.density >= 0.45 or d.theme.wants("fast")
    rate = (d.step if fast else 2 * d.step) / d.rate
    rate = min(max(rate, d.step), 4 * d.step)
    if d.theme.wants("pulse") and not d.theme.wants("fast"):
        rate = 2 * d.step
    shape = _arp_shape(d)
    answer_shape = "updown" if shape != "updown" else "up"
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        rng = d.rng(f"arp-{form.variant}")
        bar_start = form.bar * d.beats_per_bar
        this_shape = answer_shape if form.label in ("B", "B2") else shape
        offset = rng.randrange(3) if form.label in ("A2", "A3") else 0
        positions = [bar_start + i * rate for i in range(round(d.beats_per_bar / rate))]
        if form.label != "A":
            keep = degrade(positions[1:], 0.12 if form.label != "F" else 0.0, rng)
            positions = [positions[0], *keep]
        for beat in positions:
            chord = chord_at(spans, beat)
            tones = voice_chord(chord, low + 6, low, high)
            tones = sorted(set(tones + [t + 12 for t in tones if t + 12 <= high]))
            if d.theme.wants("octave"):
                tones = sorted({tones[0], tones[0] + 12})
            cycle = _arp_cycle(tones, this_shape)
            index = round((beat - bar_start) / rate) + offset
            pitch = cycle[index % len(cycle)]
            if form.label in ("f", "F") and beat >= bar_start + d.beats_per_bar / 2:
                pitch = min(high, pitch + 12) if rng.random() < 0.5 else pitch
                pitch = pitch if pitch % 12 in chord.pitch_classes() else cycle[0]
            step = d.step_of(beat)
            velocity = d.velocity(88, form.bar, step) + rng.uniform(-3, 3)
            length = rate * min(1.0, 0.85 * d.theme.articulation)
            notes.append(NoteEvent(beat, length, pitch, clamp_velocity(velocity)))
    return perform(notes, d)
