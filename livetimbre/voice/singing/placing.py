"""Where each syllable's sounds go in time: notes grouped into syllables (a melisma's
notes join the syllable before them), onset consonants placed before the note's onset
so the vowel starts on it, coda consonants at the end of the syllable's last note,
and the vowel filling what is left."""

from __future__ import annotations

__all__ = ["Placed", "group_notes", "place"]

from collections.abc import Sequence
from dataclasses import dataclass

from livetimbre.voice.score import SungNote

_MOST_ONSET_S = 0.25
_MOST_CODA_S = 0.25
_CODA_SHARE = 0.4  # of the syllable's length, at most
_ONSET_SHARE = 0.5  # of the previous syllable's length, at most
_SHORTEST_VOWEL_S = 0.02


@dataclass(frozen=True, slots=True)
class Placed:
    """One syllable's times in seconds: onset consonants in [`onset`, `vowel`), the
    vowel in [`vowel`, `coda`), coda consonants in [`coda`, `end`); `legato` when the
    syllable before it sounds until `onset`."""

    notes: tuple[SungNote, ...]
    note_ends: tuple[float, ...]
    onset: float
    vowel: float
    coda: float
    end: float
    legato: bool


def group_notes(notes: Sequence[SungNote], beats: float) -> list[tuple[SungNote, ...]]:
    """Notes inside the line (sorted, clipped to `beats`) grouped by syllable."""
    kept = sorted((n for n in notes if n.duration > 0 and 0 <= n.start < beats),
                  key=lambda n: n.start)
    groups: list[list[SungNote]] = []
    for note in kept:
        if note.melisma and groups:
            groups[-1].append(note)
        else:
            groups.append([note])
    return [tuple(g) for g in groups]


def _ends(groups: list[tuple[SungNote, ...]], beats: float, spb: float) -> list[list[float]]:
    """Each note's end in seconds, cut at the next note's start and at the line's end."""
    flat = [n for g in groups for n in g]
    ends = [min(n.start + n.duration, beats, (flat[i + 1].start if i + 1 < len(flat)
                                               else beats)) * spb
            for i, n in enumerate(flat)]
    out, at = [], 0
    for g in groups:
        out.append(ends[at:at + len(g)])
        at += len(g)
    return out


def place(groups: list[tuple[SungNote, ...]], onsets_s: Sequence[float],
          codas_s: Sequence[float], beats: float, spb: float) -> list[Placed]:
    """Times for each syllable, given the natural length of its onset and coda
    consonants (`onsets_s`, `codas_s`)."""
    ends = _ends(groups, beats, spb)
    starts = [g[0].start * spb for g in groups]
    pre: list[float] = []
    for i, start in enumerate(starts):
        earliest = 0.0 if i == 0 else starts[i - 1] + _ONSET_SHARE * (ends[i - 1][-1]
                                                                      - starts[i - 1])
        pre.append(max(start - min(onsets_s[i], _MOST_ONSET_S), earliest, 0.0))
    placed: list[Placed] = []
    for i, group in enumerate(groups):
        end = min(ends[i][-1], pre[i + 1]) if i + 1 < len(groups) else ends[i][-1]
        room = max(0.0, end - starts[i] - _SHORTEST_VOWEL_S)
        coda = min(codas_s[i], _MOST_CODA_S, _CODA_SHARE * (end - starts[i]), room)
        legato = i > 0 and pre[i] - placed[-1].end < 0.02
        note_ends = (*ends[i][:-1], end)
        placed.append(Placed(group, note_ends, pre[i], starts[i], end - coda, end, legato))
    return placed
