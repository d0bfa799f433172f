"""Chords: the harmony comped in the genre's or prompt's style (skank, stabs, jazz comp,
sustained, plucks), voiced in the instrument's register, strummed where a guitar would."""

from __future__ import annotations

__all__ = ["chord_style", "write_chords"]

import random

from livetimbre.compose.band_chords import BAND_CHORD_STYLES, write_band_chords
from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform, spread_chord
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at, register_for, voice_lead
from livetimbre.compose.idiom_chords import IDIOM_CHORDS, write_idiom_chords
from livetimbre.compose.melody import write_arpeggio
from livetimbre.music.notes import NoteEvent

_STYLE_ORDER = ("arpeggio", "skank", "stabs", "comp", "pluck", "sustained")
_GENRE_STYLES = {"offbeat": "skank"}
# Comping figures (beats from the bar line, fractions of a 4/4 bar): the Charleston,
# its anticipation, on-beat and push figures.
_COMP_FIGURES = ((0.0, 1.5), (0.0, 2.5), (1.5, 3.5), (0.5, 2.0), (0.0, 1.0, 2.5), (1.0, 2.5))
_GUITARS = range(24, 32)


def chord_style(d: Direction) -> str:
    """The style the prompt names, else the genre's."""
    for style in _STYLE_ORDER:
        if d.theme.wants(style):
            return style
    style = d.genre.arrangement.chord_style
    return _GENRE_STYLES.get(style, style)


def _offbeats(d: Direction) -> list[int]:
    out = []
    for pulse in d.pulses:
        if pulse.length % 4 == 0:
            out.append(pulse.start + pulse.length // 2)
        else:
            out.extend(range(pulse.start + 2, pulse.start + pulse.length, 2))
    return out


def _hits(style: str, form: BarForm, d: Direction) -> list[tuple[int, float]]:
    """(grid step, length in beats) of the chord hits in bar `form`."""
    rng = d.rng(f"chords-{form.variant}")
    motif = d.motif_rng("chords-motif")
    steps = d.steps_per_bar
    if style == "skank":
        hits = [(s, 0.3) for s in _offbeats(d)]
        doubles = len(hits) if d.density > 0.7 else (1 if form.label != "A" else 0)
        for s, _ in rng.sample(hits, min(doubles, len(hits))):
            if s + 1 < steps:
                hits.append((s + 1, 0.2))
        return sorted(hits)
    if style in ("stabs", "pluck"):
        odd = [i for i in range(1, steps) if i % 2 or d.theme.syncopation < 0]
        base = sorted({0, *motif.sample(odd, min(len(odd), 2 + round(2 * d.density)))})
        if form.label != "A":
            extra = [i for i in range(1, steps) if i not in base]
            base = sorted({*base, rng.choice(extra)} if extra else set(base))
            if form.label in ("B", "B2") and len(base) > 2:
                base.remove(rng.choice(base[1:]))
        return [(s, 0.35) for s in base]
    if style == "comp":
        figures = [f for f in _COMP_FIGURES if max(f) < d.beats_per_bar]
        figure = figures[motif.randrange(len(figures))] if form.label == "A" else rng.choice(
            figures)
        unit = d.meter.unit / 4  # the figures count quarter notes
        return [(round(b * unit / d.step), 0.9 * unit) for b in figure]
    return []


def _sustained(d: Direction, spans: list[ChordSpan]) -> list[tuple[float, float, int]]:
    """(start, length, bar) of held chords: one per chord, some changes pushed an eighth
    early, and answers re-struck at the middle of the bar."""
    out = []
    rng = d.rng("chords-push")
    forms = bar_forms(d.bars)
    for span in spans:
        start = span.start
        if span.start > 0 and rng.random() < 0.3 + 0.3 * d.theme.syncopation:
            start -= 2 * d.step  # an anticipation: the change lands an eighth early
        bar = int(span.start // d.beats_per_bar)
        out.append((start, span.start + span.beats - start, bar))
        form = forms[min(bar, len(forms) - 1)]
        if form.label in ("B", "B2", "A3") and span.beats >= d.beats_per_bar:
            middle = span.start + d.pulses[len(d.pulses) // 2].start * d.step
            out[-1] = (start, middle - start, bar)
            out.append((middle, span.start + span.beats - middle, bar))
    return out


def write_chords(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """Voiced chords in the genre's or prompt's comping style, played with its feel."""
    style = chord_style(d)
    if style == "arpeggio":
        return write_arpeggio(d, spans)
    if style in IDIOM_CHORDS:
        return write_idiom_chords(d, spans, style)
    if style in BAND_CHORD_STYLES:
        return write_band_chords(d, spans, style)
    low, high = register_for(d.program, d.bank)
    center = (low + high) / 2 + d.register / 2
    strum = d.program in _GUITARS or d.theme.wants("strum")
    if d.theme.wants("block"):
        strum = False
    roll = d.theme.wants("roll")
    played: list[tuple[float, float, int]] = []
    if style == "sustained":
        played = _sustained(d, spans)
    else:
        for form in bar_forms(d.bars):
            bar_start = form.bar * d.beats_per_bar
            played.extend((bar_start + s * d.step, length, form.bar)
                          for s, length in _hits(style, form, d))
    rng = random.Random(d.seed)
    notes: list[NoteEvent] = []
    previous: list[int] = []
    base = 80 if style == "sustained" else 92
    for start, length, bar in played:
        chord = chord_at(spans, max(0.0, start + 2 * d.step) % d.total_beats)
        pitches = voice_lead(chord, previous, center, low, high)
        previous = pitches
        step = d.step_of(start)
        velocity = d.velocity(base, bar, step) + rng.uniform(-4, 4)
        upstroke = step % 4 != 0
        spread = 0.0
        if roll:
            spread = min(0.5, length / 2) / max(1, len(pitches))
        elif strum:
            spread = d.ms_to_beats(9 if upstroke else 14)
        duration = max(0.06, length * min(1.0, d.theme.articulation))
        notes.extend(spread_chord(pitches, start % d.total_beats, duration, velocity, spread,
                                  upstroke=upstroke and strum))
    return perform(notes, d)
