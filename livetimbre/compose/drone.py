"""Drones: the tanpura's plucked cycle (Pa, Sa, Sa, low Sa, each string left ringing),
a held Sa-Pa drone (harmonium, shruti box) and a plucked one that follows the hand
drum (an oud's open strings), all on the key's tonic whatever the chords do."""

from __future__ import annotations

__all__ = ["drone_fifth", "write_drone", "write_plucked_drone", "write_tanpura"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.form import bar_forms
from livetimbre.compose.harmony import register_for
from livetimbre.compose.rhythm import fit_pattern
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Key, parse_meter

# When each string is plucked, in quarters of a bar: even, or a player's lingering.
_PLUCKS = {"A": (0.0, 0.25, 0.5, 0.75), "B": (0.0, 0.3125, 0.5, 0.75),
           "B2": (0.0, 0.25, 0.5625, 0.75), "F": (0.0, 0.25, 0.5, 0.625)}


def drone_fifth(key: Key) -> int:
    """Semitones from the tonic to the drone's second string: Pa (the fifth), or Ma
    (the fourth) where the mode has no perfect fifth."""
    return 7 if 7 in key.intervals else 5


def write_tanpura(d: Direction) -> list[NoteEvent]:
    """Every bar one cycle of the four strings, Pa-Sa-Sa-low Sa, each ringing on past
    the next pluck so the tonic never stops sounding."""
    low = max(36, min(47, 40 + d.register))
    sa = low + (d.key.tonic - low) % 12
    strings = (sa + drone_fifth(d.key), sa + 12, sa + 12, sa)
    bar_beats = d.beats_per_bar
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * bar_beats
        plucks = _PLUCKS["A"]
        if form.label != "A":  # the player lingers on a string here and there
            plucks = d.rng(f"tanpura-touch-{form.variant}").choice(list(_PLUCKS.values()))
        rng = d.rng(f"tanpura-{form.variant}")
        for index, (fraction, pitch) in enumerate(zip(plucks, strings, strict=True)):
            start = bar_start + round(fraction * bar_beats / d.step) * d.step
            ring = bar_beats * (1.2 if index == 3 else 1.0)
            velocity = d.velocity(84 if index else 92, form.bar) + rng.uniform(-4, 4)
            notes.append(NoteEvent(start, min(ring, d.total_beats - start + bar_beats),
                                   pitch, clamp_velocity(velocity)))
    # the low Sa of the loop's last cycle still rings as the loop starts again
    notes.append(NoteEvent(0.0, 0.75 * bar_beats, strings[3], clamp_velocity(70)))
    return notes


def write_drone(d: Direction) -> list[NoteEvent]:
    """Sa, Pa and the upper Sa held for the whole clip, breathed anew every two to four
    bars (a harmonium's bellows, a shruti box)."""
    low, high = register_for(d.program, d.bank)
    center = (low + high) // 2 + d.register // 2
    sa = center - 6 + (d.key.tonic - center + 6) % 12
    chord = (sa, sa + drone_fifth(d.key), sa + 12)
    notes: list[NoteEvent] = []
    rng = d.rng("drone-breath")
    start = 0
    while start < d.total_beats:
        length = min(rng.choice((2, 3, 4)) * d.beats_per_bar, d.total_beats - start)
        velocity = d.velocity(70, start // d.beats_per_bar)
        notes.extend(NoteEvent(float(start), length * 0.995, p, clamp_velocity(velocity))
                     for p in chord)
        start += length
    return notes


_LOW_STROKES = ("kick", "conga_low", "tom_low")
_HIGH_STROKES = ("rim", "snare", "clap")


def _strokes(d: Direction) -> tuple[set[int], set[int]]:
    """Grid steps of the genre's main groove, in this meter: its low strokes (doum,
    kick) and its high ones (tek, rim), ghost notes left out."""
    source = parse_meter(d.genre.rhythm.time_signatures[0])
    voices = fit_pattern(d.genre.rhythm.drum_patterns[0].voices, source, d.meter)

    def played(names: tuple[str, ...]) -> set[int]:
        return {i for v in names if v in voices for i, ch in enumerate(voices[v]) if ch in "xX"}

    low = played(_LOW_STROKES) | {0}
    return low, played(_HIGH_STROKES) - low


def write_plucked_drone(d: Direction) -> list[NoteEvent]:
    """A plucked instrument's drone: the low Sa on the groove's low strokes, the upper
    Sa and Pa on its high ones, so the open strings play the hand drum's rhythm."""
    low = register_for(d.program, d.bank)[0]
    sa = low + (d.key.tonic - low) % 12
    pa = sa + drone_fifth(d.key)
    low_steps, high_steps = _strokes(d)
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        rng = d.rng(f"plucked-drone-{form.variant}")
        steps = sorted(low_steps | high_steps)
        free = [s for s in range(1, d.steps_per_bar) if s not in steps]
        if form.label != "A" and free:  # a grace stroke where the seed puts it
            steps = sorted({*steps, rng.choice(free)})
        bar_start = form.bar * d.beats_per_bar
        for i, step in enumerate(steps):
            end = steps[i + 1] if i + 1 < len(steps) else d.steps_per_bar
            pitch = sa if step in low_steps else (sa + 12 if i % 2 else pa)
            velocity = d.velocity(90 if step in low_steps else 74, form.bar, step)
            notes.append(NoteEvent(bar_start + step * d.step, max(0.1, (end - step) * d.step),
                                   pitch, clamp_velocity(velocity + rng.uniform(-4, 4))))
    return notes
