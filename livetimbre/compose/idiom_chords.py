"""Comping idioms of particular genres: bossa nova guitar, the salsa piano montuno, the
tango marcato and síncopa, the flamenco rasgueado on the compás accents, the afrobeat
guitar 'chank' and the trance gate; broken-chord figures and drones come from their
own modules."""

from __future__ import annotations

__all__ = ["IDIOM_CHORDS", "write_idiom_chords"]

from livetimbre.compose.direction import Direction
from livetimbre.compose.drone import write_drone, write_plucked_drone
from livetimbre.compose.feel import perform, spread_chord
from livetimbre.compose.figuration import FIGURES, write_figure
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at, register_for, voice_lead
from livetimbre.music.notes import NoteEvent

IDIOM_CHORDS = frozenset({"bossa", "montuno", "marcato", "rasgueado", "chank", "gated",
                          "drone", *FIGURES})
"""The chord styles this module writes."""

# Grid steps of one 4/4 bar (scaled to other meters) and each hit's length in steps.
_BOSSA = {"A": ((0, 3), (6, 2), (10, 4)), "B": ((2, 3), (6, 2), (8, 2), (12, 3)),
          "A2": ((0, 3), (6, 2), (10, 2), (14, 2))}
_MONTUNO = (0, 2, 3, 5, 6, 8, 10, 11, 13, 14)
_CHANK = {"A": (2, 3, 6, 10, 11, 14), "B": (2, 6, 7, 10, 14, 15)}
_GATES = ("x.xxx.xx.xx.x.xx", "xx.xx.x.xx.xx.x.", "x.x.xx.xx.x.xx.x", "xxx.x.xxx.x.x.x.")
_COMPAS = (0, 3, 6, 8, 10)  # eighths of a 12-count bar that take the accent


def _scaled(steps: tuple[int, ...], d: Direction) -> list[int]:
    """Steps written for a 16-step bar, in this meter's bar (kept inside it)."""
    n = d.steps_per_bar
    return sorted({min(n - 1, round(s * n / 16)) for s in steps})


def _bossa(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    figure = _BOSSA["B" if form.label in ("B", "B2") else "A2" if form.label in
                    ("A2", "A3", "f", "F") else "A"]
    n = d.steps_per_bar
    return [(min(n - 1, round(s * n / 16)), length * d.step, 0.8) for s, length in figure]


def _montuno(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    steps = _scaled(_MONTUNO, d)
    if form.label in ("B", "B2"):
        steps = [s for s in steps if s % 4 != 0] + [0]
    return [(s, 0.8 * d.step, 1.0 if s % 4 == 0 else 0.85) for s in sorted(set(steps))]


def _marcato(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    if form.label in ("A2", "B2"):  # the síncopa: 3+3+2
        return [(s, 1.5 * d.step, 1.0 if i != 1 else 1.05)
                for i, s in enumerate(_scaled((0, 6, 12), d))]
    return [(p.start, 0.35, 1.0 if i % 2 == 0 else 0.7) for i, p in enumerate(d.pulses)]


def _rasgueado(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    """Strums on every eighth of the compás, accents on 12, 3, 6, 8 and 10 (counted
    from the 12 that opens the bar); other meters accent their pulses."""
    n = d.steps_per_bar
    if d.meter.beats == 12 and d.meter.unit == 8:
        accents = {2 * e for e in _COMPAS}
    else:
        accents = {p.start for p in d.pulses}
    hits = []
    for s in range(0, n, 2):
        if form.label in ("B", "B2") and s not in accents and s % 4 == 2:
            continue  # a breath: the answer leaves some weak eighths out
        hits.append((s, 2 * d.step, 1.0 if s in accents else 0.62))
    return hits


def _chank(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    steps = _scaled(_CHANK["B" if form.label in ("B", "B2", "f", "F") else "A"], d)
    return [(s, 0.6 * d.step, 1.0 if s % 4 == 2 else 0.8) for s in steps]


def _gated(d: Direction, form: BarForm) -> list[tuple[int, float, float]]:
    index = d.motif_rng("gate").randrange(len(_GATES))
    if form.label in ("B", "B2", "f", "F"):
        index = (index + 1 + (form.label in ("f", "F"))) % len(_GATES)
    gate = _GATES[index]
    n = d.steps_per_bar
    return [(s, 0.7 * d.step, 1.0 if gate[s % 16] == "x" and s % 4 == 0 else 0.85)
            for s in range(n) if gate[s % 16] == "x" or s == 0]


_LAYOUTS = {"bossa": _bossa, "montuno": _montuno, "marcato": _marcato,
            "rasgueado": _rasgueado, "chank": _chank, "gated": _gated}


def _touch(hits: list[tuple[int, float, float]], form: BarForm,
           d: Direction) -> list[tuple[int, float, float]]:
    """The player's own touch on a bar other than the groove's (it differs with the
    seed): an extra off-beat hit in a free spot, or one hit left out of an answer."""
    if form.label == "A":
        return hits
    rng = d.rng(f"idiom-chords-touch-{form.variant}")
    taken = {h[0] for h in hits}
    free = [s for s in range(1, d.steps_per_bar) if all(abs(s - t) > 1 for t in taken)]
    free = free or [s for s in range(1, d.steps_per_bar) if s not in taken]
    if free and rng.random() < 0.75:
        return sorted([*hits, (rng.choice(free), d.step, 0.75)])
    if form.label in ("B", "B2") and len(hits) > 2:
        drop = rng.choice(hits[1:])
        return [h for h in hits if h != drop]
    return hits


# Which tone of the voiced chord (0 lowest) the montuno's octave line plays, hit by hit.
_MONTUNO_LINE = (2, 1, 2, 0, 1, 2, 1, 0, 2, 1)


def _voicing(style: str, pitches: list[int], index: int = 0) -> list[int]:
    """The notes a style plays of a voiced chord (`index`: the hit's place in its bar)."""
    if style == "montuno":  # a moving line in octaves, the full chord on the beat
        close = sorted(pitches)[:3]
        tone = close[_MONTUNO_LINE[index % len(_MONTUNO_LINE)] % len(close)]
        return sorted({tone - 12, tone, *(close if index == 0 else ())})
    if style == "chank":  # two high strings, muted
        return sorted(pitches)[-2:]
    return pitches


def write_idiom_chords(d: Direction, spans: list[ChordSpan], style: str) -> list[NoteEvent]:
    """The clip's chords in one of the `IDIOM_CHORDS` styles, played with the genre's
    feel."""
    plucked = d.program in range(24, 32) or d.program in range(104, 108)
    if style == "drone":
        return perform(write_plucked_drone(d) if plucked else write_drone(d), d)
    if style in FIGURES:
        return write_figure(d, spans, style)
    layout = _LAYOUTS[style]
    low, high = register_for(d.program, d.bank)
    center = (low + high) / 2 + d.register / 2
    previous: list[int] = []
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * d.beats_per_bar
        rng = d.rng(f"idiom-chords-{form.variant}")
        for index, (step, length, accent) in enumerate(_touch(layout(d, form), form, d)):
            start = bar_start + step * d.step
            chord = chord_at(spans, start + d.step)
            pitches = voice_lead(chord, previous, center, low, high)
            previous = pitches
            played = _voicing(style, pitches, index)
            velocity = d.velocity(92 * accent, form.bar, step) + rng.uniform(-4, 4)
            duration = max(0.06, length * min(1.0, d.theme.articulation))
            upstroke = plucked and step % 4 != 0
            if style == "rasgueado" and accent >= 1.0:  # the fan: four quick strokes
                for k in range(4):
                    notes.extend(spread_chord(played, start + k * d.step / 4, duration,
                                              velocity - 8 * (3 - k), d.ms_to_beats(4),
                                              upstroke=k % 2 == 1))
                continue
            spread = d.ms_to_beats(10 if upstroke else 15) if plucked else 0.0
            notes.extend(spread_chord(played, start, duration, velocity, spread,
                                      upstroke=upstroke))
    return perform([n for n in notes if n.velocity > 0], d)
