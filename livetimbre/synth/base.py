"""What every synth shares: the interface, note timing in frames, and loop folding."""

from __future__ import annotations

__all__ = ["Synth", "fold_loop", "loop_tail", "note_frames"]

import math
from fractions import Fraction
from typing import Protocol

import numpy as np

from livetimbre.music.notes import NoteEvent, Part


class Synth(Protocol):
    """Renders one part to raw audio: `frames` plus a release tail, float32 (n, 2)."""

    name: str

    def describe(self) -> dict[str, str]:
        """What the sidecar records about this synth (name, soundfont, version)."""
        ...

    def render(self, part: Part, samples_per_meter_beat: Fraction, frames: int) -> np.ndarray:
        """Raw audio of `part`: at least `frames` long, the tail after it included."""
        ...


def note_frames(note: NoteEvent, samples_per_meter_beat: Fraction) -> tuple[int, int]:
    """(on, off) sample positions of a note, rounded from exact beat times."""
    start = Fraction(note.start).limit_denominator(10_000)
    end = Fraction(note.start + note.duration).limit_denominator(10_000)
    on = math.floor(start * samples_per_meter_beat + Fraction(1, 2))
    off = math.floor(end * samples_per_meter_beat + Fraction(1, 2))
    return on, max(on + 1, off)


def fold_loop(raw: np.ndarray, frames: int) -> np.ndarray:
    """A seamless loop of exactly `frames`: audio past the end wraps onto the start.

    Notes ringing over the loop's end (releases, reverb) continue from its first sample
    when it repeats, instead of being cut.
    """
    if raw.shape[0] < frames:
        raw = np.concatenate([raw, np.zeros((frames - raw.shape[0], 2), np.float32)])
    loops = -(-raw.shape[0] // frames)
    padded = np.zeros((loops * frames, 2), np.float32)
    padded[: raw.shape[0]] = raw
    return np.ascontiguousarray(padded.reshape(loops, frames, 2).sum(axis=0, dtype=np.float32))


def loop_tail(raw: np.ndarray, frames: int) -> np.ndarray:
    """What still sounds when the loop of `frames` (see `fold_loop`) stops at the end of
    a pass: the audio past the end of that pass, plus what earlier passes still ring."""
    rest = raw[frames:]
    tail = np.array(rest, dtype=np.float32)
    for start in range(frames, rest.shape[0], frames):
        tail[: rest.shape[0] - start] += rest[start:]
    return tail
