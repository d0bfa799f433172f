"""Bass idioms of particular genres: the bossa nova's root-fifth, the salsa tumbao, the
dembow's tresillo, the tango marcato with its arrastre, the baroque basso continuo, the
trance rolling bass, the dubstep wobble and the 2-step garage line.

Each style lays out a bar as (grid step, tone, length in steps) built on the meter's
pulses, so it fits any time signature; the bar's form (A, A2, B, fill) changes it as
a player would. Tones are chord tones, or scale steps into the next chord.
"""

from __future__ import annotations

__all__ = ["IDIOM_BASS", "write_idiom_bass"]

import math
from collections.abc import Callable

from livetimbre.compose.direction import Direction
from livetimbre.compose.drone import write_tanpura
from livetimbre.compose.feel import perform
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Chord

# (grid step in the bar, tone, length in grid steps). Tones: R root, 5 fifth, 3 third,
# 8 octave, L root an octave down, N the next chord's root (an anticipation), A a scale
# step into the next chord's root, S<n> n scale steps below it (a run), W the
# continuo's walking line.
Hit = tuple[int, str, int]


def _bossa(d: Direction, form: BarForm) -> list[Hit]:
    """Dotted quarter and eighth: root on 1, fifth on the and of 2, fifth on 3 and the
    root on the and of 4 (in 4/4); the answer anticipates the next chord."""
    hits: list[Hit] = []
    for i, p in enumerate(d.pulses):
        half = p.length // 2
        tone = "R" if ((i + 1) // 2) % 2 == 0 else "5"
        if i % 2 == 0:
            hits.append((p.start, tone, p.length + half))
        else:
            hits.append((p.start + half, tone, p.length - half))
    last = d.pulses[-1]
    if form.label in ("B", "B2", "f", "F") and len(hits) > 1:  # lean into the next chord
        step, _, length = hits[-1]
        hits[-1] = (step, "N" if form.label != "F" else "A", length)
        if last.length >= 4 and len(d.pulses) > 2:
            hits.append((last.start, "3" if form.label in ("B", "B2") else "5", 2))
    if form.label in ("A2", "A3") and len(hits) > 2:  # the fifth leaps down an octave
        step, _, length = hits[2]
        hits[2] = (step, "L" if form.label == "A2" else "8", 2)
        hits.append((step + 2, "5", max(1, length - 2)))
    return sorted(hits)


def _tumbao(d: Direction, form: BarForm) -> list[Hit]:
    """The anticipated bass of salsa: no note on the downbeat; the fifth on the '2&'
    and the coming chord's root on '4', tied over (one bar holds a clave: two bars of
    cut time, so each 16th here is an eighth there)."""
    hits: list[Hit] = []
    ps = d.pulses
    for i in range(0, len(ps), 2):
        first = ps[i]
        second = ps[i + 1] if i + 1 < len(ps) else None
        hits.append((first.start + min(3, first.length - 1), "5", 3))
        if second is not None:
            hits.append((second.start + second.length // 2, "N", second.length))
    if form.label in ("B", "B2"):
        hits.insert(0, (0, "R", 2))
    if form.label in ("f", "F"):
        last = ps[-1]
        hits = [h for h in hits if h[0] < last.start]
        hits += [(last.start, "8", 1), (last.start + 1, "5", 1), (last.start + 2, "A", 2)]
    return hits


def _tresillo(d: Direction, form: BarForm) -> list[Hit]:
    """3+3+2 eighths (the dembow's bass), an octave answer and a pickup at phrase ends."""
    steps = d.steps_per_bar
    onsets = sorted({0, 2 * round(3 * steps / 16), 2 * round(6 * steps / 16)})
    tones = ["R", "R", "5"] if form.label != "B" else ["R", "8", "5"]
    ends = [*onsets[1:], steps]
    hits = [(s, tones[min(i, 2)], ends[i] - s) for i, s in enumerate(onsets)]
    if form.label in ("A2", "A3", "B2"):
        hits.append((steps - 2, "8", 2))
    if form.label in ("f", "F"):
        hits.append((steps - 1, "A", 1))
    return hits


def _marcato(d: Direction, form: BarForm) -> list[Hit]:
    """Tango: every beat marked (root, root, fifth, root); answers in the síncopa
    (3+3+2); the last bar drags into the next downbeat with a 16th arrastre."""
    ps = d.pulses
    if form.label in ("A2", "B2"):
        steps = d.steps_per_bar
        onsets = sorted({0, 2 * round(3 * steps / 16), 2 * round(6 * steps / 16)})
        return [(s, "R" if i != 1 else "5", 2) for i, s in enumerate(onsets)]
    hits = [(p.start, "5" if i == len(ps) // 2 and i else "R", max(1, p.length // 2))
            for i, p in enumerate(ps)]
    if form.label in ("B", "f", "F") and ps[-1].length >= 4:
        last = ps[-1]
        run = range(last.length)  # S<n>: n scale steps below the next root
        hits = hits[:-1] + [(last.start + k, f"S{last.length - k}", 1) for k in run]
    return hits


def _continuo(d: Direction, form: BarForm) -> list[Hit]:
    """Basso continuo: walking eighths, chord tones on the beats and scale steps
    between (resolved by `_continuo_line`); answers leap in octaves, cadences hold."""
    if form.label == "F":
        return [(0, "R", d.steps_per_bar // 2), (d.steps_per_bar // 2, "5", d.steps_per_bar // 2)]
    if form.label in ("B", "B2"):
        return [(p.start, "R" if i % 2 == 0 else "L", p.length) for i, p in enumerate(d.pulses)]
    walk: list[Hit] = [(s, "W", 2) for s in range(0, d.steps_per_bar, 2)]
    if form.label != "A":  # the player rests on a pulse here and there (by the seed)
        rng = d.rng(f"continuo-{form.variant}")
        starts = {p.start for p in d.pulses}
        walk = [(s, t, n) for s, t, n in walk if s in starts or rng.random() > 0.3]
    return walk


def _rolling(d: Direction, form: BarForm) -> list[Hit]:
    """Trance: three 16ths after every kick (the kick owns the beat); answers jump the
    octave on the last 16th; the fill climbs."""
    hits: list[Hit] = []
    for p in d.pulses:
        for k in range(1, min(4, p.length)):
            tone = "8" if form.label in ("B", "B2") and k == 3 else "R"
            hits.append((p.start + k, tone, 1))
    if form.label in ("A2", "A3"):
        hits = [h for h in hits if (h[0] - 2) % 4 != 0] + [(d.pulses[-1].start + 2, "5", 1)]
    if form.label in ("f", "F"):
        last = d.pulses[-1].start
        hits = [h for h in hits if h[0] < last] + [(last + k, "A" if k == 3 else "8", 1)
                                                   for k in range(1, 4)]
    return sorted(set(hits))


def _wobble(d: Direction, form: BarForm) -> list[Hit]:
    """Dubstep: a held root re-struck at a rate that changes bar to bar (what the
    wobble's LFO does), with drops to the low octave."""
    steps = d.steps_per_bar
    rate = _wobble_rates(form, d)
    hits: list[Hit] = []
    half = steps // 2
    for s in range(0, steps, rate):
        tone = "L" if (form.label in ("B", "B2") and s >= half) else "R"
        if form.label in ("f", "F") and s >= steps - 4:
            tone = "8"
        hits.append((s, tone, rate))
    if form.label == "A":
        hits = [h for h in hits if not half - 2 <= h[0] < half]  # a breath before 3
    return hits


def _two_step(d: Direction, form: BarForm) -> list[Hit]:
    """UK garage: the bass skips with the 2-step kick (1 and the 'a' of 3), an octave
    pop and a push into the next bar."""
    steps = d.steps_per_bar
    second = 10 * steps // 16
    hits: list[Hit] = [(0, "R", 3), (second, "R", 2), (min(steps - 2, second + 4), "8", 1)]
    if form.label in ("A2", "A3"):
        hits.append((6 * steps // 16, "5", 2))
    if form.label in ("B", "B2"):
        hits = [(0, "R", 2), (3, "8", 1), (second, "5", 2), (steps - 2, "N", 2)]
    if form.label in ("f", "F"):
        hits.append((steps - 1, "A", 1))
    return sorted(set(hits))


_STYLES: dict[str, Callable[[Direction, BarForm], list[Hit]]] = {
    "bossa": _bossa, "tumbao": _tumbao, "tresillo": _tresillo, "marcato": _marcato,
    "continuo": _continuo, "rolling": _rolling, "wobble": _wobble, "two-step": _two_step,
}
IDIOM_BASS = frozenset({*_STYLES, "tanpura"})
"""The bass styles this module writes."""


def _embellish(hits: list[Hit], form: BarForm, style: str, d: Direction) -> list[Hit]:
    """The player's own touch on a bar other than the groove's (it differs with the
    seed): a passing eighth in a free spot, or, in an answer, one note left out."""
    if form.label == "A" or style in ("wobble", "continuo"):
        return hits
    rng = d.rng(f"idiom-bass-touch-{form.variant}")
    taken = {h[0] for h in hits}
    pulse_starts = {p.start for p in d.pulses}  # the style decides what the beats get
    free = [s for s in range(2, d.steps_per_bar - 1, 2) if s not in pulse_starts
            and not {s - 1, s, s + 1} & taken]
    if free and rng.random() < 0.8:
        hits = [*hits, (rng.choice(free), rng.choice(("5", "8", "R")), 1)]
    elif form.label in ("B", "B2") and len(hits) > 2:
        drop = rng.choice(hits[1:])
        hits = [h for h in hits if h != drop]
    return sorted(hits)


def _wobble_rates(form: BarForm, d: Direction) -> int:
    """Re-strike rate (in steps) of a wobble bar: the groove's eighths, the others'
    chosen by the producer (the seed)."""
    if form.label == "A":
        return 2
    if form.label in ("f", "F"):
        return 1
    return d.rng(f"wobble-{form.variant}").choice((1, 2, 3, 4))


# The lowest note of each General MIDI family that plays bass (by program // 8): the
# basses' low E (synth basses alike), the cello's C; others reach down to C1.
_LOWEST = {4: 28, 5: 36}


def _floor(d: Direction) -> int:
    """The bottom of the bass's octave of roots, where its instrument can play it."""
    return max(_LOWEST.get(d.program // 8, 24), min(43, 31 + d.register))


def _near(pc: int, around: int) -> int:
    return around + (pc - around + 6) % 12 - 6


def _tone(tone: str, chord: Chord, root: int, next_root: int, d: Direction) -> int:
    if tone == "5":
        return root + (chord.intervals[2] if len(chord.intervals) > 2 else 7)
    if tone == "3":
        return root + chord.intervals[1]
    if tone == "8":
        return root + 12
    if tone == "L":  # down an octave where the instrument has one
        return root - 12 if root - 12 >= _LOWEST.get(d.program // 8, 28) else root
    if tone == "N":
        return next_root
    if tone == "A":
        return d.key.scale_step(next_root, -1 if next_root > root else 1)
    return root


def _continuo_line(d: Direction, root: int, next_root: int, chord: Chord) -> list[int]:
    """A bar of walking eighths: chord tones on the pulses, scale steps between, the
    last a step into the next chord's root."""
    count = d.steps_per_bar // 2
    scale = d.key.scale_pitches(root - 14, root + 16)
    targets = [root]
    pcs = chord.pitch_classes()
    last = root
    for k in range(1, count + 1):
        if k == count:
            targets.append(next_root)
        elif (2 * k) % d.pulses[0].length == 0:  # a pulse: the next chord tone up or down
            up = k < count / 2
            options = [p for p in scale if p % 12 in pcs and (p > last if up else p < last)]
            last = (min(options) if up else max(options)) if options else last
            targets.append(last)
        else:
            targets.append(-1)
    line: list[int] = []
    current = root
    for k in range(count):
        line.append(current)
        goal = next((t for t in targets[k + 1:] if t >= 0), next_root)
        if targets[k + 1] >= 0 and abs(targets[k + 1] - current) <= 12:
            current = targets[k + 1]
        elif goal != current:
            current = d.key.scale_step(current, 1 if goal > current else -1)
    return line


def write_idiom_bass(d: Direction, spans: list[ChordSpan], style: str) -> list[NoteEvent]:
    """The clip's bass line in one of the `IDIOM_BASS` styles, played with the genre's
    feel."""
    if style == "tanpura":
        return perform(write_tanpura(d), d)
    layout = _STYLES[style]
    floor = _floor(d)
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        bar_start = form.bar * d.beats_per_bar
        rng = d.rng(f"idiom-bass-{form.variant}")
        hits = [h for h in _embellish(layout(d, form), form, style, d)
                if 0 <= h[0] < d.steps_per_bar]
        following = chord_at(spans, (bar_start + d.beats_per_bar) % d.total_beats)
        walk: list[int] = []
        for step, tone, length in hits:
            start = bar_start + step * d.step
            chord = chord_at(spans, start)
            root = floor + (chord.root - floor) % 12
            upcoming = chord_at(spans, (start + length * d.step) % d.total_beats)
            next_root = _near((upcoming if tone == "N" else following).root, root)
            if tone == "W":
                walk = walk or _continuo_line(d, root, _near(following.root, root), chord)
                pitch = walk[min(step // 2, len(walk) - 1)]
            elif tone.startswith("S"):  # the arrastre: scale steps up into the next root
                pitch = _near(following.root, root + 4)
                for _ in range(int(tone[1:])):
                    pitch = d.key.scale_step(pitch, -1)
            else:
                pitch = _tone(tone, chord, root, next_root, d)
            accent = 1.0
            if style == "wobble":  # the LFO's swell, as velocity
                accent = 0.78 + 0.22 * math.cos(2 * math.pi * step / d.steps_per_bar)
            velocity = d.velocity(100 * accent, form.bar, step) + rng.uniform(-3, 3)
            length_beats = max(0.08, length * d.step * 0.92 * min(1.0, d.theme.articulation))
            notes.append(NoteEvent(start, length_beats, pitch, clamp_velocity(velocity)))
    return perform(notes, d)
