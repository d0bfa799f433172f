"""The vocal melody: pitches for a set line, singable by one voice type.

Every note is a scale tone inside the voice's range (VOICE_RANGES). A dynamic programme
over the clip's notes prefers steps (at most two semitones) to leaps, chord tones on
pulses, and an arch per phrase around the voice's middle; each phrase ends on a chord
tone, the last on a tone of the tonic triad (over a chord that has none, such as a VII
leading back to i, the home tone is sung as the chord's added colour). A chorus opens
each phrase with the layer's motif (a short stepwise contour shared by every clip of the
layer, so choruses agree).
`VocalSpec` is what the sidecar records.
"""

from __future__ import annotations

__all__ = ["MelodyNote", "VocalPhrase", "VocalSpec", "motif_contour", "write_pitches"]

import random
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from livetimbre.compose.harmony import ChordSpan, chord_at
from livetimbre.music.theory import Key
from livetimbre.voice.score import VOICE_RANGES, VoiceType
from livetimbre.voice.setting import STRONG


@dataclass(frozen=True)
class MelodyNote:
    """What the pitch writer needs of a note: when, how strong, which phrase, and
    whether it ends its phrase; `motif` is its index in the phrase's motif (or -1)."""

    start: float
    weight: float
    phrase: int
    last: bool
    motif: int = -1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class VocalPhrase(_Frozen):
    """One sung phrase: where it starts (beats), its length, its line and its notes."""

    start: float
    beats: float
    text: str
    syllables: int
    notes: int
    cadence: int  # the MIDI pitch it ends on


class VocalSpec(_Frozen):
    """The vocal melody's plan for the sidecar (AETHER's VocalSpec)."""

    voice: VoiceType
    range: tuple[int, int]
    key: str
    meter: str
    section: str
    motif: list[int]  # scale steps from the motif's first note
    phrases: list[VocalPhrase]
    source: str  # who wrote the words: grammar, llm or user


def motif_contour(rng: random.Random, length: int = 4) -> list[int]:
    """A short stepwise contour in scale steps from 0 (a repeat, a step up or down),
    turning down at its end when it only rose: a hook a singer remembers."""
    steps = [rng.choice((1, 1, -1, 0)) for _ in range(length - 1)]
    if all(s > 0 for s in steps):
        steps[-1] = -1
    out = [0]
    for s in steps:
        out.append(out[-1] + s)
    return out


def _interval_cost(semitones: int) -> float:
    size = abs(semitones)
    if size == 0:
        return 0.5
    if size <= 2:
        return 0.0
    if size <= 4:
        return 1.6
    if size <= 7:
        return 3.5
    return 9.0 if size <= 12 else 50.0


def write_pitches(notes: Sequence[MelodyNote], key: Key, spans: Sequence[ChordSpan],
                  voice: VoiceType, rng: random.Random, *, motif: Sequence[int] = (),
                  lift: int = 0) -> list[int]:
    """One MIDI pitch for each note (see the module docstring). `lift` raises the
    phrases' arch by that many scale steps (a chorus sings higher than a verse)."""
    low, high = VOICE_RANGES[voice]
    scale = key.scale_pitches(low, high)
    middle = len(scale) // 2
    tonic_triad = {key.tonic, key.degree_pitch_class(2), key.degree_pitch_class(4)}
    phrase_len: dict[int, int] = {}
    for n in notes:
        phrase_len[n.phrase] = phrase_len.get(n.phrase, 0) + 1
    # an arch a few steps high: no higher than a short phrase can climb by steps
    peaks = {p: min(rng.choice((1, 2, 2, 3)), (count - 1) // 2)
             for p, count in phrase_len.items()}
    starts = {p: rng.choice((-2, -1, 0)) for p in phrase_len}
    inf = float("inf")
    size = len(scale)
    cost: list[list[float]] = []
    back: list[list[int]] = []
    seen: dict[int, int] = {}
    for i, note in enumerate(notes):
        position = seen.get(note.phrase, 0)
        seen[note.phrase] = position + 1
        span = max(1, phrase_len[note.phrase] - 1)
        arch = 1 - abs(2 * position / span - 1)  # 0 → 1 → 0 over the phrase
        target = middle + lift + starts[note.phrase] + peaks[note.phrase] * arch
        chord = set(chord_at(spans, note.start).pitch_classes())
        final = i == len(notes) - 1
        here = []
        for s, pitch in enumerate(scale):
            c = 0.3 * abs(s - target)
            if note.weight >= STRONG and pitch % 12 not in chord:
                c += 1.2
            if note.last and pitch % 12 not in chord:
                c += 6.0
            if final and pitch % 12 not in tonic_triad:
                c += 60.0
            if final and any((pitch - t) % 12 in (1, 11) for t in chord):
                c += 2.0  # home, but not a semitone against the last chord
            here.append(c)
        row, links = [inf] * size, [0] * size
        for s in range(size):
            if i == 0:
                row[s] = here[s]
                continue
            for t in range(size):
                if cost[-1][t] == inf:
                    continue
                weight = 0.7 if notes[i - 1].last else 1.0  # a breath between phrases
                total = cost[-1][t] + here[s] + weight * _interval_cost(scale[s] - scale[t])
                if note.motif > 0 and notes[i - 1].motif == note.motif - 1:
                    wanted = motif[note.motif] - motif[note.motif - 1]
                    total += 3.0 * abs((s - t) - wanted)
                if total < row[s]:
                    row[s], links[s] = total, t
        cost.append(row)
        back.append(links)
    if not notes:
        return []
    s = min(range(size), key=lambda k: cost[-1][k])
    chosen = [s]
    for i in range(len(notes) - 1, 0, -1):
        s = back[i][s]
        chosen.append(s)
    return [scale[k] for k in reversed(chosen)]
