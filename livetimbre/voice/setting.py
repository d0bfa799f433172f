"""Setting words to a rhythm: where each syllable of a line starts inside its phrase.

A phrase is whole bars; its last pulse (two when a pulse is short) is left for a breath.
One syllable takes one note; when a phrase has more notes than its line has syllables
the extra notes are a melisma on the line's last stressed syllable (and the last one).
A dynamic programme picks the onsets on the phrase's grid so that stressed syllables
land on pulses (metric_weight ≥ STRONG), unstressed ones between, evenly spaced.
"""

from __future__ import annotations

__all__ = ["STRONG", "Onset", "Phrase", "phrases", "set_line", "syllable_capacity"]

from dataclasses import dataclass

from livetimbre.music.pulses import metric_weight, pulses
from livetimbre.music.theory import Meter

STRONG = 0.8  # metric weight of a pulse (any beat a musician taps): where stress belongs
_BREATH_SECONDS = 0.45  # the shortest breath between phrases
_SHORT_BAR = 1.5  # seconds: bars this short make four-bar phrases


@dataclass(frozen=True)
class Phrase:
    """Whole bars from `start` (beats) for `beats`; singing stops at `sing_end`."""

    index: int
    start: float
    beats: float
    sing_end: float


@dataclass(frozen=True)
class Onset:
    """One note of a set line: where it starts and ends (beats), which syllable of the
    line it sings, whether it continues a melisma and how strong its beat is."""

    start: float
    end: float
    syllable: int
    melisma: bool
    weight: float


def phrases(bars: int, meter: Meter, seconds_per_beat: float) -> list[Phrase]:
    """The clip's phrases: two bars each (four when bars are short, one when the clip is
    one bar; a left-over bar joins the last phrase), each ending in a breath of at least
    a pulse."""
    bar_seconds = meter.beats * seconds_per_beat
    length = 1 if bars == 1 else 4 if bars % 4 == 0 and bar_seconds < _SHORT_BAR else 2
    count = max(1, bars // length)
    pulse = pulses(meter)[-1].length / meter.steps_per_beat  # the last pulse, in beats
    breath = pulse * (2 if pulse * seconds_per_beat < _BREATH_SECONDS else 1)
    out = []
    for i in range(count):
        start = i * length * meter.beats
        beats = (bars - i * length if i == count - 1 else length) * meter.beats
        rest = min(breath, beats / 2)  # a short phrase keeps half itself to sing in
        out.append(Phrase(i, float(start), float(beats), float(start + beats - rest)))
    return out


def _grid(phrase: Phrase, meter: Meter, step_grid: int) -> list[tuple[float, float]]:
    """(beat, metric weight) of every `step_grid`-th 16th step the phrase may sing on."""
    step = 1.0 / meter.steps_per_beat
    out = []
    n = 0
    while phrase.start + n * step < phrase.sing_end - 1e-9:
        if n % step_grid == 0:
            out.append((phrase.start + n * step, metric_weight(meter, n % meter.steps_per_bar)))
        n += 1
    return out


def syllable_capacity(phrase: Phrase, meter: Meter, step_grid: int = 2) -> int:
    """How many notes the phrase can hold on a grid of `step_grid` 16ths."""
    return len(_grid(phrase, meter, step_grid))


def _note_syllables(stresses: list[int], notes: int) -> list[tuple[int, bool]]:
    """(syllable, melisma) for each of `notes` notes: extra notes go to the last
    syllable first, then to the stressed ones from the end."""
    extra = [0] * len(stresses)
    order = [len(stresses) - 1] + [i for i in range(len(stresses) - 2, -1, -1)
                                   if stresses[i] == 2]
    for k in range(max(0, notes - len(stresses))):
        extra[order[k % len(order)]] += 1
    return [(i, j > 0) for i, count in enumerate(extra) for j in range(count + 1)]


def _cost(stress: int, melisma: bool, weight: float) -> float:
    if weight < 0.7:  # a sixteenth off the eighths: quick, for a singer
        return 0.5 + (3.0 if stress >= 1 and not melisma else 0.0)
    if melisma:
        return 0.4 if weight >= 1.0 else 0.0
    if stress >= 1:
        return (-1.0 if weight >= STRONG else 3.0) * (1.0 if stress == 2 else 0.6)
    return 0.8 if weight >= 1.0 else (0.3 if weight >= STRONG else 0.0)


def _best(grid: list[tuple[float, float]], plan: list[tuple[int, bool]],
          stresses: list[int], start: float) -> tuple[float, list[int]]:
    """The least cost of placing the notes of `plan` on `grid`, and the grid points."""
    count, span = len(plan), len(grid)
    ideal = (grid[-1][0] - grid[0][0] + (grid[1][0] - grid[0][0] if span > 1 else 1)) / count
    inf = float("inf")
    # best[i][p]: the least cost of notes 0..i with note i on grid point p
    best = [[inf] * span for _ in range(count)]
    back = [[0] * span for _ in range(count)]
    for p in range(span - count + 1):
        syllable, melisma = plan[0]
        best[0][p] = _cost(stresses[syllable], melisma, grid[p][1]) + 0.7 * (grid[p][0] - start)
    for i in range(1, count):
        syllable, melisma = plan[i]
        for p in range(i, span - (count - 1 - i)):
            here = _cost(stresses[syllable], melisma, grid[p][1])
            for q in range(i - 1, p):
                if best[i - 1][q] == inf:
                    continue
                gap = grid[p][0] - grid[q][0]
                total = best[i - 1][q] + here + 0.5 * abs(gap - ideal) / ideal
                if total < best[i][p]:
                    best[i][p], back[i][p] = total, q
    last = min(range(span), key=lambda p: best[count - 1][p])
    points = [last]
    for i in range(count - 1, 0, -1):
        points.append(back[i][points[-1]])
    return best[count - 1][last], points[::-1]


def set_line(phrase: Phrase, meter: Meter, stresses: list[int], notes: int | None = None
             ) -> list[Onset]:
    """Onsets for a line of syllables (`stresses`: 0, 1 or 2 each) in `phrase`, with
    `notes` notes in all (default: one a syllable; more: melismas), on eighths or
    sixteenths, whichever sets the words better; a line too long for sixteenths is a
    ValueError (split it across phrases first)."""
    count = max(notes or 0, len(stresses))
    plan = _note_syllables(stresses, count)
    options = [g for g in (_grid(phrase, meter, 2), _grid(phrase, meter, 1)) if len(g) >= count]
    if not options:
        raise ValueError(f"{count} notes do not fit the phrase at {phrase.start:g}")
    _, points, grid = min(((*_best(g, plan, stresses, phrase.start), g) for g in options),
                               key=lambda found: found[0])
    out = []
    for i, p in enumerate(points):
        start = grid[p][0]
        end = grid[points[i + 1]][0] if i + 1 < count else phrase.sing_end
        syllable, melisma = plan[i]
        next_new = i + 1 < count and not plan[i + 1][1]
        length = (end - start) * (0.92 if next_new else 1.0)
        out.append(Onset(start, start + length, syllable, melisma, grid[p][1]))
    return out
