"""The prompt vocabulary: every entry changes the notes the way the docs say, measured
against the same prompt without it, with the seed fixed."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from pathlib import Path

import pytest

from livetimbre.music.instruments import DRUM_NOTES
from livetimbre.music.notes import Part
from livetimbre.planner.vocabulary import VOCABULARY
from tests.composing import compose

Metric = Callable[[Part], float]
VOCABULARY_PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "vocabulary.md"


def _grid_offsets(part: Part) -> list[float]:
    """Each note's distance from its 16th-grid step, in beats."""
    return [n.start * 4 - round(n.start * 4) for n in part.notes]


def _count(pitch: str) -> Metric:
    return lambda p: sum(n.pitch == DRUM_NOTES[pitch] for n in p.notes)


def _bar(p: Part, bar: int) -> list[int]:
    return [n.velocity for n in p.notes if bar * 4 <= round(n.start * 4) / 4 < bar * 4 + 4]


def _notes(p: Part) -> float:
    return len(p.notes)


def _pitch(p: Part) -> float:
    return statistics.mean(n.pitch for n in p.notes)


def _velocity(p: Part) -> float:
    return statistics.mean(n.velocity for n in p.notes)


def _duration(p: Part) -> float:
    return statistics.mean(n.duration for n in p.notes)


def _swing(p: Part) -> float:
    """Median position of off-beat 16ths within their 8th, in MPC percent."""
    positions = []
    for n in p.notes:
        within = (n.start * 2) % 1
        if 0.3 < within < 0.8:
            positions.append(within * 100)
    return statistics.median(positions)


def _offset_ms(p: Part, tempo: float = 104.0) -> float:
    return statistics.median(_grid_offsets(p)) / 4 * 60 / tempo * 1000


def _spread(p: Part) -> float:
    return statistics.pstdev(_grid_offsets(p))


def _offbeat(p: Part) -> float:
    return sum(round(n.start * 4) % 4 != 0 for n in p.notes) / len(p.notes)


def _on_every_beat(p: Part) -> float:
    return len({round(n.start) for n in p.notes if abs(n.start - round(n.start)) < 0.1})


def _polyphony(p: Part) -> float:
    starts: dict[int, int] = {}
    for n in p.notes:
        starts[round(n.start * 8)] = starts.get(round(n.start * 8), 0) + 1
    return max(starts.values())


def _chord_spread(p: Part) -> float:
    """Mean time from a chord's first note to its last (notes within half a beat)."""
    clusters: list[list[float]] = []
    for start in sorted(n.start for n in p.notes):
        if clusters and start - clusters[-1][0] < 0.5:
            clusters[-1].append(start)
        else:
            clusters.append([start])
    return statistics.mean(c[-1] - c[0] for c in clusters if len(c) >= 3)


def _octave_leaps(p: Part) -> float:
    return sum(abs(a.pitch - b.pitch) == 12 for a, b in zip(p.notes, p.notes[1:], strict=False))


def _rising(p: Part) -> float:
    steps = list(zip(p.notes, p.notes[1:], strict=False))
    return sum(b.pitch > a.pitch for a, b in steps) / len(steps)


def _pitch_slope(p: Part) -> float:
    last = [n.pitch for n in p.notes if n.start >= p.beats - 4]
    first = [n.pitch for n in p.notes if n.start < 4]
    return statistics.mean(last) - statistics.mean(first)


def _velocity_slope(p: Part) -> float:
    bars = round(p.beats / 4)
    return statistics.mean(_bar(p, bars - 1)) - statistics.mean(_bar(p, 0))


def _first_bar_accent(p: Part) -> float:
    return statistics.mean(_bar(p, 0)) - statistics.mean(_bar(p, 1))


def _last_bar_notes(p: Part) -> float:
    fills = {DRUM_NOTES[v] for v in ("snare", "tom_high", "tom_mid", "tom_low")}
    bars = round(p.beats / 4)
    return sum(n.pitch in fills and n.start >= (bars - 1) * 4 for n in p.notes)


def _ghosts(p: Part) -> float:
    return sum((n.velocity < 64 and n.pitch in (DRUM_NOTES["snare"], DRUM_NOTES["rim"]))
               or (n.velocity < 50 and n.pitch < 60) for n in p.notes)


def _kicks_off_pulse(p: Part) -> float:
    return sum(n.pitch == DRUM_NOTES["kick"] and round(n.start * 4) % 4 != 0 for n in p.notes)


# headword → (layer, neutral prompt, genre, metric, expected sign of the change)
CASES: dict[str, tuple[str, str, str, Metric, int]] = {
    "sparse": ("drums", "beat", "synthwave", _notes, -1),
    "busy": ("drums", "beat", "synthwave", _notes, +1),
    "simple": ("lead", "melody", "synthwave", _notes, -1),
    "slow evolving": ("lead", "melody", "synthwave", _duration, +1),
    "low": ("lead", "melody", "synthwave", _pitch, -1),
    "high": ("lead", "melody", "synthwave", _pitch, +1),
    "dark": ("keys", "chords", "synthwave", _pitch, -1),
    "bright": ("keys", "chords", "synthwave", _pitch, +1),
    "staccato": ("lead", "melody", "synthwave", _duration, -1),
    "legato": ("lead", "melody", "synthwave", _duration, +1),
    "pluck": ("keys", "chords", "synthwave", _duration, -1),
    "strummed": ("keys", "piano chords", "synthwave", _chord_spread, +1),
    "rolled": ("keys", "piano chords", "synthwave", _chord_spread, +1),
    "block chords": ("keys", "guitar chords", "reggae", _chord_spread, -1),
    "swung": ("drums", "busy tight beat", "synthwave", _swing, +1),
    "heavy swing": ("drums", "busy tight swung beat", "synthwave", _swing, +1),
    "light swing": ("drums", "busy tight beat", "synthwave", _swing, +1),
    "straight": ("drums", "busy tight beat", "house", _swing, -1),
    "laid back": ("keys", "stabs", "synthwave", _offset_ms, +1),
    "pushing": ("keys", "stabs", "synthwave", _offset_ms, -1),
    "tight": ("keys", "stabs", "lo-fi-hip-hop", _spread, -1),
    "loose": ("keys", "stabs", "synthwave", _spread, +1),
    "half-time": ("drums", "beat", "synthwave", _count("snare"), -1),
    "double-time": ("drums", "beat", "synthwave", _count("snare"), +1),
    "soft": ("drums", "beat", "synthwave", _velocity, -1),
    "hard": ("drums", "beat", "synthwave", _velocity, +1),
    "energetic": ("bass", "bassline", "synthwave", _velocity, +1),
    "calm": ("bass", "bassline", "synthwave", _velocity, -1),
    "build": ("arp", "arpeggio", "synthwave", _velocity_slope, +1),
    "fade": ("arp", "arpeggio", "synthwave", _velocity_slope, -1),
    "drop": ("drums", "beat", "synthwave", _first_bar_accent, +1),
    "ghost notes": ("drums", "beat", "synthwave", _ghosts, +1),
    "syncopated": ("lead", "melody", "synthwave", _offbeat, +1),
    "on the beat": ("lead", "syncopated melody", "synthwave", _offbeat, -1),
    "skank": ("keys", "chords", "synthwave", _offbeat, +1),
    "stabs": ("keys", "chords", "synthwave", _notes, +1),
    "comp": ("keys", "chords", "synthwave", _notes, +1),
    "sustained": ("bass", "bassline", "synthwave", _duration, +1),
    "arpeggio": ("keys", "chords", "synthwave", _polyphony, -1),
    "walking": ("bass", "bassline", "reggae", _on_every_beat, +1),
    "octave": ("bass", "bassline", "reggae", _octave_leaps, +1),
    "pulsing": ("bass", "bassline", "reggae", _notes, +1),
    "offbeat": ("bass", "bassline", "synthwave", _offbeat, +1),
    "reese": ("bass", "bassline", "synthwave", _duration, +1),
    "808": ("bass", "bassline", "synthwave", _duration, +1),
    "sixteenths": ("arp", "sparse arpeggio", "synthwave", _notes, +1),
    "up-down": ("arp", "arpeggio", "synthwave", _rising, -1),
    "descending": ("arp", "arpeggio", "synthwave", _rising, -1),
    "drone": ("pad", "pad", "synthwave", _notes, -1),
    "riser": ("lead", "melody", "synthwave", _pitch_slope, +1),
    "fill": ("drums", "calm beat", "synthwave", _last_bar_notes, +1),
    "no fill": ("drums", "energetic beat", "synthwave", _last_bar_notes, -1),
    "four on the floor": ("drums", "beat", "reggae", _count("kick"), +1),
    "breakbeat": ("drums", "beat", "house", _kicks_off_pulse, +1),
    "crash": ("drums", "calm beat", "synthwave", _count("crash"), +1),
    "claps": ("drums", "beat", "reggae", _count("clap"), +1),
    "rimshot": ("drums", "beat", "synthwave", _count("rim"), +1),
    "shaker": ("drums", "beat", "synthwave", _count("shaker"), +1),
    "ride": ("drums", "beat", "synthwave", _count("ride"), +1),
    "no hats": ("drums", "beat", "synthwave", _count("hat"), -1),
    "no kick": ("drums", "beat", "synthwave", _count("kick"), -1),
}


def test_every_vocabulary_entry_has_a_measured_case() -> None:
    assert sorted(CASES) == sorted(e.name for e in VOCABULARY)


@pytest.mark.parametrize("entry", VOCABULARY, ids=lambda e: e.name)
def test_entry_changes_the_notes(entry: object) -> None:
    name = entry.name  # type: ignore[attr-defined]
    layer, prompt, genre, metric, sign = CASES[name]
    bars = 8 if metric in (_velocity_slope, _pitch_slope) else 4
    base = metric(compose(layer, prompt, genre=genre, bars=bars, clip_seed=5))
    for phrase in entry.phrases:  # type: ignore[attr-defined]
        changed = metric(compose(layer, f"{phrase} {prompt}", genre=genre, bars=bars,
                                 clip_seed=5))
        assert (changed - base) * sign > 0, (phrase, base, changed)


def test_the_docs_list_every_entry() -> None:
    table = VOCABULARY_PAGE.read_text(encoding="utf-8")
    for entry in VOCABULARY:
        assert re.search(rf"\| *{re.escape(entry.name)}\b", table), entry.name
