"""Band idioms for chord layers: power chords (ringing downstrokes or palm-muted chugs),
strummed patterns, back-beat chops, blues shuffle dyads and big-band shout chords.

Each style is a rhythm of strokes per bar (developed by the bar's form label) and a
voicing; the strokes are played with the genre's feel like every other writer's notes.
"""

from __future__ import annotations

__all__ = ["BAND_CHORD_STYLES", "write_band_chords"]

from collections.abc import Callable
from dataclasses import dataclass

from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform, spread_chord
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at, register_for, voice_lead
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Chord

BAND_CHORD_STYLES = ("power", "palm-mute", "strum", "chop", "shuffle", "shout")
_GUITARS = range(24, 32)
# Gallop and chug cells of palm-muted metal rhythm guitar (16ths of one beat).
_CHUGS = ((0, 2, 3), (0, 1, 2), (0, 1, 2, 3), (0, 2))
# Big-band figures: (beat, length in beats) pairs, quarter-note beats from the bar line.
Figure = tuple[tuple[float, float], ...]
_SHOUTS: tuple[Figure, ...] = (((0.0, 0.4), (1.5, 0.4), (2.5, 1.4)),
           ((0.5, 0.4), (1.5, 0.4), (3.5, 0.5)),
           ((0.0, 0.9), (2.0, 0.4), (2.5, 0.4), (3.5, 0.5)),
           ((1.0, 0.4), (1.5, 1.9)))


@dataclass(frozen=True)
class Stroke:
    """One chord stroke: grid step in the bar, length in beats, level, direction, and
    whether it is a reduced voicing (an upstroke's top strings, a shuffle's sixth)."""

    step: int
    length: float
    level: float
    up: bool = False
    alt: bool = False


def _eighths(d: Direction) -> list[int]:
    """The grid steps of the bar's eighth notes."""
    return list(range(0, d.steps_per_bar, 2))


def _power(form: BarForm, d: Direction) -> list[Stroke]:
    """Downstroke eighths (quarters when thin), accents on the pulses; variations leave
    a rest or let the first chord ring; a fill bar pushes into the next bar."""
    starts = {p.start for p in d.pulses}
    slots = sorted(starts) if d.density < 0.3 or d.rate < 1 else _eighths(d)
    rng = d.rng(f"power-{form.variant}")
    strokes = [Stroke(s, 2 * d.step * 0.9, 104 if s in starts else 88) for s in slots]
    if form.label in ("B", "B2"):  # let the first chord ring through its pulse
        ring = d.pulses[0].length
        strokes = [Stroke(0, ring * d.step, 112)] + [s for s in strokes if s.step >= ring]
    elif form.label in ("A2", "A3"):
        offs = [s for s in strokes if s.step not in starts]
        if offs:
            strokes.remove(rng.choice(offs))
    elif form.label in ("f", "F") and len(strokes) > 1:  # the push: an accent on the last 8th
        last = strokes[-1]
        strokes[-1] = Stroke(last.step, 2 * d.step, 116)
    return strokes


def _palm_mute(form: BarForm, d: Direction) -> list[Stroke]:
    """Palm-muted chugs in the layer's gallop cell, a ringing accent on the downbeat;
    answers ring on an off-beat, fills chug straight 16ths."""
    cell = _CHUGS[d.motif_rng("chug").randrange(len(_CHUGS))]
    rng = d.rng(f"chug-{form.variant}")
    strokes: list[Stroke] = []
    for index, pulse in enumerate(d.pulses):
        chosen = cell
        if form.label in ("f", "F") and index == len(d.pulses) - 1:
            chosen = (0, 1, 2, 3)
        elif form.label in ("A2", "A3") and index == len(d.pulses) - 1:
            chosen = _CHUGS[rng.randrange(len(_CHUGS))]
        for j in range(pulse.length):
            if j % 4 in chosen:
                strokes.append(Stroke(pulse.start + j, d.step * 0.55, 92))
    ring = {0}
    if form.label in ("B", "B2"):
        ring.add(rng.choice([s for s in range(3, d.steps_per_bar, 2)]))
    out = []
    for stroke in strokes:
        if stroke.step in ring:
            out.append(Stroke(stroke.step, 3 * d.step, 118))
        elif not any(r < stroke.step < r + 3 for r in ring):
            out.append(stroke)
    return out


def _strum(form: BarForm, d: Direction) -> list[Stroke]:
    """A strumming pattern on the eighths: down on the beat, up between, the layer's
    own pattern of skipped strokes; variations change one stroke, fills strum them all."""
    motif = d.motif_rng("strum")
    rng = d.rng(f"strum-{form.variant}")
    keep = 0.45 + 0.45 * d.density
    starts = {p.start for p in d.pulses}
    pattern = [s for s in _eighths(d) if s in starts or motif.random() < keep]
    if form.label in ("f", "F"):
        pattern = _eighths(d)
    elif form.label != "A":
        optional = [s for s in _eighths(d) if s not in starts]
        if optional:
            toggle = rng.choice(optional)
            pattern = sorted(set(pattern) ^ {toggle})
    strokes = []
    for index, step in enumerate(pattern):
        end = pattern[index + 1] if index + 1 < len(pattern) else d.steps_per_bar
        up = (step // 2) % 2 == 1
        level = 100 if step in starts else (78 if up else 88)
        strokes.append(Stroke(step, (end - step) * d.step * 0.92, level, up=up, alt=up))
    return strokes


def _chop(form: BarForm, d: Direction) -> list[Stroke]:
    """Short chops on the back (and weak) pulses, the bass taking the strong ones; a
    variation adds the eighth before a chop, a fill chops the last pulse's eighths."""
    backs = [p for p in d.pulses if p.role in ("back", "weak")]
    steps = {p.start for p in backs}
    rng = d.rng(f"chop-{form.variant}")
    if form.label in ("A2", "A3", "B", "B2") and backs:
        before = rng.choice(backs).start - 2
        if before > 0:
            steps.add(before)
    if form.label in ("f", "F"):
        last = d.pulses[-1]
        steps.update(range(last.start, d.steps_per_bar, 2))
    return [Stroke(s, 0.3, 100 if s in {p.start for p in backs} else 84) for s in sorted(steps)]


def _shuffle(form: BarForm, d: Direction) -> list[Stroke]:
    """The blues rhythm-guitar shuffle: root and fifth, then root and sixth, a pair of
    eighths each; an answer starts on the sixth; a fill stops on the last pulse."""
    flip = form.label in ("B", "B2")
    strokes = []
    for index, pulse in enumerate(d.pulses):
        if form.label in ("f", "F") and index == len(d.pulses) - 1:
            strokes.append(Stroke(pulse.start, pulse.length * d.step * 0.5, 110))
            continue
        sixth = (index % 2 == 1) != flip
        for j in range(0, pulse.length, 2):
            strokes.append(Stroke(pulse.start + j, 2 * d.step * 0.85, 96 if j == 0 else 80,
                                  alt=sixth))
    return strokes


def _shout(form: BarForm, d: Direction) -> list[Stroke]:
    """A big-band section figure (the layer's own; variations and answers take others),
    quarter-note beats scaled to the meter's unit."""
    unit = d.meter.unit / 4
    fits: list[Figure] = [f for f in _SHOUTS if max(b for b, _ in f) * unit < d.beats_per_bar] or [
        ((0.0, 0.9),)]
    figure = fits[d.motif_rng("shout").randrange(len(fits))]
    if form.label != "A":
        figure = fits[d.rng(f"shout-{form.variant}").randrange(len(fits))]
    strokes = []
    for index, (beat, length) in enumerate(figure):
        last = index == len(figure) - 1
        step = round(beat * unit / d.step)
        strokes.append(Stroke(step, min(length * unit, d.beats_per_bar - step * d.step),
                              112 if last else 98))
    return strokes


_RHYTHMS: dict[str, Callable[[BarForm, Direction], list[Stroke]]] = {
    "power": _power, "palm-mute": _palm_mute, "strum": _strum, "chop": _chop,
    "shuffle": _shuffle, "shout": _shout,
}


def _low_root(chord: Chord, low: int) -> int:
    return low + (chord.root - low) % 12


def _guitar_shape(chord: Chord) -> list[int]:
    """An open-position shape: the root on one of the low strings (E2 to Eb3), then the
    chord's tones upward over about an octave and a half, six strings at most."""
    root = 40 + (chord.root - 40) % 12
    tones = set(chord.pitch_classes())
    return [p for p in range(root, root + 20) if p % 12 in tones][:6]


def _voicing(style: str, chord: Chord, stroke: Stroke, previous: list[int],
             d: Direction) -> list[int]:
    """The pitches of one stroke in `style`."""
    low, high = register_for(d.program, d.bank)
    if style in ("power", "palm-mute"):
        root = _low_root(chord, max(40, low - 12))
        pitches = [root, root + chord.fifth]
        return pitches if style == "palm-mute" and stroke.level < 100 else [*pitches, root + 12]
    if style == "shuffle":
        root = _low_root(chord, max(40, low - 12))
        fifth = root + chord.fifth
        if not stroke.alt:
            return [root, fifth]
        above = [p for p in d.key.scale_pitches(fifth + 1, fifth + 3) if p > fifth]
        return [root, above[0] if above else fifth]
    if style == "strum" and d.program in _GUITARS:
        shape = _guitar_shape(chord)
        return shape[-4:] if stroke.alt else shape
    center = (low + high) / 2 + d.register / 2
    if style == "chop":  # a small triad high on the neck, without the seventh's rub
        chord = Chord(chord.symbol, chord.root, chord.intervals[:3], chord.chromatic)
        center += 4
    pitches = voice_lead(chord, previous, center, low, high)
    if style == "strum":
        full = sorted({_low_root(chord, low), *pitches})
        return full[-3:] if stroke.alt else full
    if style == "shout":
        return sorted({*pitches, max(pitches) - 12})
    return pitches


def write_band_chords(d: Direction, spans: list[ChordSpan], style: str) -> list[NoteEvent]:
    """The chord layer in one of `BAND_CHORD_STYLES`, played with the genre's feel."""
    rhythm = _RHYTHMS[style]
    rng = d.rng("band-chords")
    guitar = d.program in _GUITARS or d.theme.wants("strum")
    strokes: list[tuple[list[int], NoteEvent, bool]] = []
    previous: list[int] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * d.beats_per_bar
        for stroke in rhythm(form, d):
            start = bar_start + stroke.step * d.step
            pitches = _voicing(style, chord_at(spans, start), stroke, previous, d)
            if style in ("strum", "shout", "chop"):
                previous = pitches
            velocity = d.velocity(stroke.level, form.bar, stroke.step) + rng.uniform(-3, 3)
            length = max(0.06, stroke.length * min(1.0, d.theme.articulation))
            anchor = NoteEvent(start, length, pitches[0], clamp_velocity(velocity))
            strokes.append((pitches, anchor, stroke.up))
    # The hand, not each string, carries the feel: a stroke is swung and humanized as a
    # whole, then spread across its strings (low to high down, high to low up).
    played = perform([anchor for _, anchor, _ in strokes], d)
    notes: list[NoteEvent] = []
    for (pitches, _, up), hand in zip(strokes, played, strict=True):
        spread = d.ms_to_beats(6 if up else 10) if guitar else 0.0
        notes.extend(spread_chord(pitches, hand.start, hand.duration, hand.velocity, spread,
                                  upstroke=up and guitar))
    return notes
