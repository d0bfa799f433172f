"""General MIDI sound effects played on purpose: a part for programs 120–127.

A SoundFont's effect programs are recordings (waves on a shore, a bird, applause) that
a key only starts: the pitch changes their speed, the length how long they sound. Each
kind gets the gesture that suits its sound, not scale tones: long overlapping swells
for the seashore, short clustered chirps for birds, a held loop for a helicopter, a
breath a bar, a ring pattern for a telephone.
"""

from __future__ import annotations

__all__ = ["effect_part"]

import random

from livetimbre.music.notes import NoteEvent, Part, clamp_velocity
from livetimbre.music.textures import GM_EFFECTS


def _held(beats: int, intensity: float, rng: random.Random, voices: int) -> list[NoteEvent]:
    """`voices` notes held over the whole clip, near middle C."""
    notes = []
    for v in range(voices):
        pitch = 60 + rng.choice((-2, 0, 0, 2)) - 5 * v
        notes.append(NoteEvent(0.0, beats * 0.999, pitch, clamp_velocity(70 + 40 * intensity)))
    return notes


def _seashore(beats: int, bar: int, intensity: float, rng: random.Random) -> list[NoteEvent]:
    """Overlapping swells, each two bars long, one starting every bar."""
    notes = []
    for start in range(0, beats, bar):
        length = min(2.0 * bar, beats - start)
        velocity = 60 + 45 * intensity + rng.uniform(-10, 10)
        notes.append(NoteEvent(float(start), length, rng.choice((55, 57, 60, 62)),
                               clamp_velocity(velocity)))
    return notes


def _birds(beats: int, bar: int, intensity: float, rng: random.Random) -> list[NoteEvent]:
    """Calls of 2–5 quick chirps, high and varied, a few per bar."""
    notes = []
    calls = max(1, round((beats / bar) * (1 + 3 * intensity)))
    for _ in range(calls):
        at = rng.randrange(beats * 4) / 4
        pitch = rng.randrange(74, 92)
        for k in range(rng.randint(2, 5)):
            onset = at + k * 0.25
            if onset >= beats:
                break
            pitch = max(70, min(100, pitch + rng.choice((-3, -2, 2, 3, 5))))
            notes.append(NoteEvent(onset, 0.2, pitch, clamp_velocity(rng.uniform(60, 105))))
    return notes


def _breath(beats: int, bar: int, intensity: float, rng: random.Random) -> list[NoteEvent]:
    """In on the bar, out half a bar later."""
    notes = []
    for start in range(0, beats, bar):
        half = bar / 2
        velocity = 55 + 40 * intensity
        notes.append(NoteEvent(float(start), half * 0.9, 62, clamp_velocity(velocity)))
        notes.append(NoteEvent(start + half, half * 0.95, 57,
                               clamp_velocity(velocity - 8 + rng.uniform(-4, 4))))
    return notes


def _telephone(beats: int, bar: int, intensity: float, rng: random.Random) -> list[NoteEvent]:
    """A ring for a bar, quiet for a bar."""
    return [NoteEvent(float(start), bar * 0.95, 60, clamp_velocity(90 + 20 * intensity))
            for start in range(0, beats, 2 * bar)]


def _shots(beats: int, bar: int, intensity: float, rng: random.Random) -> list[NoteEvent]:
    """A few single hits on eighth notes, at random (gunshots, fret squeaks)."""
    count = max(1, round((beats / bar) * (0.4 + 1.2 * intensity)))
    slots = sorted(rng.sample(range(beats * 2), min(count, beats * 2)))
    return [NoteEvent(s / 2, 0.5, rng.randrange(48, 64), clamp_velocity(rng.uniform(80, 120)))
            for s in slots]


def effect_part(kind: str, beats: int, beats_per_bar: int, intensity: float, seed: int,
                reverb: float = 0.3) -> Part:
    """The notes that play GM effect `kind` (a key of GM_EFFECTS) over a clip of `beats`."""
    rng = random.Random(seed)
    bar = max(1, beats_per_bar)
    if kind == "seashore":
        notes = _seashore(beats, bar, intensity, rng)
    elif kind == "birds":
        notes = _birds(beats, bar, intensity, rng)
    elif kind == "breath":
        notes = _breath(beats, bar, intensity, rng)
    elif kind == "telephone":
        notes = _telephone(beats, bar, intensity, rng)
    elif kind in ("gunshot", "fret noise"):
        notes = _shots(beats, bar, intensity, rng)
    else:  # helicopter, applause: a held sound
        notes = _held(beats, intensity, rng, 2 if kind == "applause" else 1)
    kept = tuple(sorted((n for n in notes if 0 <= n.start < beats),
                        key=lambda n: (n.start, n.pitch)))
    return Part(role="texture", bank=0, program=GM_EFFECTS[kind], beats=float(beats),
                notes=kept, reverb=reverb)
