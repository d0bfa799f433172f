"""Bass lines: a rhythm in the genre's (or prompt's) style, developed per bar, on the
chord roots with fifths, octaves and diatonic approach notes into each change."""

from __future__ import annotations

__all__ = ["bass_style", "write_bass"]

import random

from livetimbre.compose.band_bass import BAND_BASS_STYLES, write_band_bass
from livetimbre.compose.direction import Direction
from livetimbre.compose.feel import perform
from livetimbre.compose.form import BarForm, bar_forms
from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.compose.idiom_bass import IDIOM_BASS, write_idiom_bass
from livetimbre.compose.rhythm import fit_pattern
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import Chord, parse_meter

_STYLE_ORDER = ("walking", "octave", "offbeat", "reese", "sub", "drone", "sustained", "pulse")
_LONG = ("sustained", "reese", "sub", "drone")


def bass_style(d: Direction) -> str:
    """The style the prompt names, else the genre's."""
    for style in _STYLE_ORDER:
        if d.theme.wants(style):
            return style
    if d.theme.syncopation > 0.3:
        return "syncopated"
    return d.genre.arrangement.bass_style


def _kick_steps(d: Direction) -> list[int]:
    """Grid steps of the genre's main kick in this meter, so the bass locks to it."""
    source = parse_meter(d.genre.rhythm.time_signatures[0])
    voices = fit_pattern(d.genre.rhythm.drum_patterns[0].voices, source, d.meter)
    steps = [i for i, ch in enumerate(voices.get("kick", "")) if ch != "."]
    return steps or [0]


def _base_rhythm(style: str, d: Direction) -> list[int]:
    """The style's grid steps in one bar, before development."""
    pulses = d.pulses
    starts = [p.start for p in pulses]
    if style in _LONG:
        return [0]
    if style == "walking":
        return starts if d.rate >= 1 else starts[::2]
    if style == "offbeat":
        return [p.start + (p.length // 2 if p.length % 4 == 0 else 2) for p in pulses]
    if style in ("pulse", "octave"):
        if d.density < 0.3 or d.rate < 1:
            return starts
        return list(range(0, d.steps_per_bar, 2))
    if style == "syncopated":
        rng = d.motif_rng("bass-syncopation")
        odd = [i for i in range(1, d.steps_per_bar) if i % 2]
        return sorted({0, *rng.sample(odd, min(len(odd), 3 + round(2 * d.density)))})
    return _kick_steps(d)


def _develop(base: list[int], form: BarForm, style: str, d: Direction) -> list[int]:
    """Bar `form`'s steps: the base rhythm, with the seed's and the form's changes."""
    steps = set(base)
    rng = d.rng(f"bass-{form.variant}")
    empty = [i for i in range(1, d.steps_per_bar) if i not in steps]
    offbeat = [i for i in empty if i % 2 == (1 if d.theme.syncopation > 0 else 0)] or empty
    if form.label != "A" and offbeat:
        extra = 1 + (form.label in ("B", "B2")) + (d.density > 0.6)
        steps.update(rng.sample(offbeat, min(len(offbeat), extra)))
    if form.label in ("f", "F") or form.is_phrase_end:
        last = d.pulses[-1]
        steps.update(range(last.start, d.steps_per_bar, max(2, last.length // 2)))
    if style not in _LONG and form.label in ("B", "B2") and len(steps) > 2:
        steps.discard(rng.choice(sorted(steps - {0})))
    return sorted(steps)


def _floor(d: Direction) -> int:
    return max(24, min(43, 31 + d.register))


def _in_range(pc: int, floor: int) -> int:
    return floor + (pc - floor) % 12


def _pitch(style: str, index: int, count: int, chord: Chord, next_root: int, root: int,
           rng: random.Random, d: Direction) -> int:
    """The note for onset `index` of `count` in a bar over `chord`."""
    fifth = root + 7 if (chord.root + 7) % 12 in chord.pitch_classes() else root + 12
    if index == 0:
        return root
    approach = style in ("walking", "syncopated", "follow-kick", "pulse")
    if index == count - 1 and approach and rng.random() < 0.6:  # step into the next chord
        return d.key.scale_step(next_root, rng.choice((-1, 1)))
    if style == "octave":
        return root + 12 if index % 2 else root
    if style in ("syncopated", "follow-kick") and rng.random() < 0.35:
        return rng.choice((fifth, root + 12))
    return root


def _walking_line(chord: Chord, root: int, next_root: int, count: int, rng: random.Random,
                  d: Direction) -> list[int]:
    """A bar of walking bass: from the root toward the next chord's root through chord
    tones, arriving by a scale step; it turns around at the edges of the bass range."""
    target = next_root + 12 * round((root - next_root) / 12)  # the nearest octave
    if target == root:
        target += rng.choice((-12, 12)) if count > 3 else 0
    if not 26 <= target <= 55:
        target = next_root
    approach = d.key.scale_step(target, -1 if target >= root else 1)
    pcs = set(chord.pitch_classes())
    low, high = sorted((root, approach))
    tones = [p for p in range(low - 2, high + 3) if p % 12 in pcs and p not in (root, approach)]
    middle: list[int] = []
    for k in range(count - 2):  # evenly along the way, nearest chord tone
        ideal = root + (approach - root) * (k + 1) / (count - 1)
        middle.append(min(tones, key=lambda p: (abs(p - ideal), p)) if tones else
                      d.key.scale_step(middle[-1] if middle else root, 1))
    return ([root, *middle, approach] if count > 1 else [root])[:count]


def write_bass(d: Direction, spans: list[ChordSpan]) -> list[NoteEvent]:
    """A bass line for the clip, played with the genre's feel."""
    style = bass_style(d)
    if style in IDIOM_BASS:
        return write_idiom_bass(d, spans, style)
    if style in BAND_BASS_STYLES:
        return write_band_bass(d, spans, style)
    base = _base_rhythm(style, d)
    floor = _floor(d)
    length_factor = {"walking": 0.97, "offbeat": 0.45}.get(
        style, 0.97 if style in _LONG else 0.8) * d.theme.articulation
    notes: list[NoteEvent] = []
    for form in bar_forms(d.bars):
        rng = d.rng(f"bass-notes-{form.variant}")
        bar_start = form.bar * d.beats_per_bar
        starts = [bar_start + s * d.step for s in _develop(base, form, style, d)]
        # Every chord change gets a note, except under an offbeat bass, which leaves the
        # downbeat to the kick.
        for span in spans if style != "offbeat" else ():
            if bar_start <= span.start < bar_start + d.beats_per_bar and span.start not in starts:
                starts.append(span.start)
        starts.sort()
        following = chord_at(spans, (bar_start + d.beats_per_bar) % d.total_beats)
        line = _walking_line(chord_at(spans, bar_start), _in_range(
            chord_at(spans, bar_start).root, floor), _in_range(following.root, floor),
            len(starts), rng, d) if style == "walking" else []
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else bar_start + d.beats_per_bar
            chord = chord_at(spans, start)
            root = _in_range(chord.root, floor)
            if line and len(spans) <= d.bars:  # chords change at most once a bar
                pitch = line[i]
            elif any(abs(start - s.start) < 1e-9 for s in spans):
                pitch = root
            else:
                pitch = _pitch(style, i, len(starts), chord, _in_range(following.root, floor),
                               root, rng, d)
            length = max(0.08, (end - start) * min(1.0, length_factor))
            step = d.step_of(start)
            velocity = d.velocity(100, form.bar, step) + rng.uniform(-3, 3)
            notes.append(NoteEvent(start, length, pitch, clamp_velocity(velocity)))
        if d.theme.wants("ghost"):
            taken = {round((s - bar_start) / d.step) for s in starts}
            free = [i for i in range(1, d.steps_per_bar) if i not in taken and i % 2]
            for spot in rng.sample(free, min(len(free), 2)):
                at = bar_start + spot * d.step
                pitch = _in_range(chord_at(spans, at).root, floor)
                notes.append(NoteEvent(at, d.step * 0.5, pitch, clamp_velocity(38)))
    if style == "drone":
        tonic = _in_range(d.key.tonic, floor)
        notes = [NoteEvent(0.0, d.total_beats * 0.99, tonic, clamp_velocity(d.velocity(92, 0)))]
    return perform(notes, d)
