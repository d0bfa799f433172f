"""Band idioms for bass lines: the two-beat root-fifth of country and bluegrass, the
palm-muted gallop of metal and the boogie-woogie shuffle line of blues and swing.

Each style is a rhythm per bar, developed by the bar's form label (walk-ups, rings,
fills), on the chord's root, fifth and scale tones, so it stays in any key and mode.
"""

from __future__ import annotations

__all__ = ["BAND_BASS_STYLES", "write_band_bass"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Chord

BAND_BASS_STYLES = ("root-fifth", "gallop", "boogie")
_GALLOPS = ((0, 2, 3), (0, 1, 2), (0, 1, 2, 3))

Line = list[tuple[int, int, float]]  # (grid step in the bar, pitch, length in steps)


def _floor(d: Direction) -> int:
    return max(24, min(40, 28 + d.register))


def _root(chord: Chord, d: Direction) -> int:
    floor = _floor(d)
    return floor + (chord.root - floor) % 12


def _approach(d: Direction, target: int, count: int, upward: bool) -> list[int]:
    """`count` scale tones stepping into `target` from below (`upward`) or above."""
    out: list[int] = []
    pitch = target
    for _ in range(count):
        pitch = d.key.scale_step(pitch, -1 if upward else 1)
        out.insert(0, pitch)
    return out


def _root_fifth(form: BarForm, chord: Chord, following: Chord, d: Direction) -> Line:
    """Root on the bar's first pulse, the fifth (below when it fits) on the next strong
    one; variations and answers walk up to the next chord on the last pulse's eighths."""
    pulses = d.pulses
    strong = [p for p in pulses if p.role in ("down", "strong")]
    if len(strong) < 2:
        strong = [pulses[0], pulses[-1]] if len(pulses) > 1 else strong
    root = _root(chord, d)
    fifth = root + chord.fifth
    fifth = fifth - 12 if fifth - 12 >= _floor(d) else fifth
    line: Line = []
    for index, pulse in enumerate(strong):
        end = strong[index + 1].start if index + 1 < len(strong) else d.steps_per_bar
        line.append((pulse.start, root if index % 2 == 0 else fifth, (end - pulse.start) * 0.9))
    if form.label != "A":
        rng = d.rng(f"root-fifth-{form.variant}")
        last = pulses[-1]
        grid = rng.choice((2, 4)) if last.length >= 4 else 2  # eighths or quarters
        count = max(1, last.length // grid)
        if form.label in ("f", "F", "B2") and len(pulses) > 1 and rng.random() < 0.7:
            last = pulses[-2]
            count = (d.steps_per_bar - last.start) // grid
        line = [n for n in line if n[0] < last.start]
        walk = _approach(d, _root(following, d), count, _root(following, d) >= root)
        line.extend((last.start + grid * k, pitch, grid * 0.9) for k, pitch in enumerate(walk)
                    if last.start + grid * k < d.steps_per_bar)
    return line


def _gallop(form: BarForm, chord: Chord, following: Chord, d: Direction) -> Line:
    """Palm-muted root in the layer's gallop cell; an answer rings the first pulse, a
    variation drops to the fifth on its last pulse, a fill chugs straight 16ths."""
    cell = _GALLOPS[d.motif_rng("gallop").randrange(len(_GALLOPS))]
    root = _root(chord, d)
    line: Line = []
    for index, pulse in enumerate(d.pulses):
        last = index == len(d.pulses) - 1
        if form.label in ("B", "B2") and index == 0:
            line.append((0, root, pulse.length * 0.95))
            continue
        chosen = (0, 1, 2, 3) if form.label in ("f", "F") and last else cell
        pitch = root + chord.fifth if form.label in ("A2", "A3") and last else root
        if form.label in ("A2", "A3", "B2") and last:  # the seed's own turn on the last pulse
            chosen = _GALLOPS[d.rng(f"gallop-{form.variant}").randrange(len(_GALLOPS))]
        line.extend((pulse.start + j, pitch, 0.8) for j in range(pulse.length)
                    if j % 4 in chosen)
    return line


def _boogie(form: BarForm, chord: Chord, following: Chord, d: Direction) -> Line:
    """The boogie line on the eighths: root, third, fifth, sixth, octave, and back down;
    an answer plays it in quarters, a variation approaches the next chord by step."""
    root = _root(chord, d)
    third = root + (chord.intervals[1] if len(chord.intervals) > 1 else 4)
    fifth = root + chord.fifth
    sixth = d.key.scale_step(fifth, 1)
    shape = [root, third, fifth, sixth, root + 12, sixth, fifth, third]
    grid = 4 if form.label in ("B", "B2") and d.rng(f"boogie-{form.variant}").random() < 0.7 else 2
    line: Line = [(s, shape[(s // 2) % len(shape)], grid * 0.85)
                  for s in range(0, d.steps_per_bar, grid)]
    if form.label in ("A2", "A3", "f", "F") and len(line) > 2:
        target = _root(following, d)
        step, _, length = line[-1]
        line[-1] = (step, d.key.scale_step(target, -1 if target > line[-2][1] else 1), length)
    return line


def _moved(pitch: int, chord: Chord, sounding: Chord, d: Direction) -> int:
    """`pitch` (written over `chord`) as the same interval over the `sounding` root,
    or that root where the interval would leave both the key and the chord."""
    root = _root(sounding, d)
    moved = root + (pitch - _root(chord, d))
    scale = {(d.key.tonic + i) % 12 for i in d.key.intervals}
    return moved if moved % 12 in scale | set(sounding.pitch_classes()) else root


_LINES = {"root-fifth": _root_fifth, "gallop": _gallop, "boogie": _boogie}


def write_band_bass(d: Direction, spans: list[ChordSpan], style: str) -> list[NoteEvent]:
    """The bass layer in one of `BAND_BASS_STYLES`, played with the genre's feel."""
    writer = _LINES[style]
    rng = d.rng("band-bass")
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * d.beats_per_bar
        chord = chord_at(spans, bar_start)
        following = chord_at(spans, (bar_start + d.beats_per_bar) % d.total_beats)
        for step, pitch, length in writer(form, chord, following, d):
            start = bar_start + step * d.step
            sounding = chord_at(spans, start)
            if sounding != chord:  # a change inside the bar: the line moves with it
                pitch = _moved(pitch, chord, sounding, d)
            velocity = d.velocity(100, form.bar, step) + rng.uniform(-3, 3)
            duration = max(0.06, length * d.step * min(1.0, d.theme.articulation))
            notes.append(NoteEvent(start, duration, pitch, clamp_velocity(velocity)))
    return perform(notes, d)
