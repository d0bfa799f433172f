"""Note events and parts: what the composer writes and the synths play."""

from __future__ import annotations

__all__ = ["NoteEvent", "Part", "clamp_velocity", "part_data", "part_from_data"]

from dataclasses import dataclass
from typing import Any


def clamp_velocity(value: float) -> int:
    """A MIDI velocity in [1, 127]."""
    return max(1, min(127, round(value)))


@dataclass(frozen=True, slots=True)
class NoteEvent:
    """One note; times in beats of the meter from the clip start."""

    start: float
    duration: float
    pitch: int
    velocity: int


@dataclass(frozen=True)
class Part:
    """One layer's notes for one loop, with how to voice them (GM bank/program)."""

    role: str
    bank: int
    program: int
    beats: float
    notes: tuple[NoteEvent, ...]
    reverb: float = 0.3

    @property
    def channel(self) -> int:
        """MIDI channel (0-based): 9 for drum kits, 0 otherwise."""
        return 9 if self.bank == 128 else 0


def part_data(part: Part) -> dict[str, object]:
    """A part as JSON-ready data, everything kept (`part_from_data` brings it back)."""
    return {"role": part.role, "bank": part.bank, "program": part.program,
            "beats": part.beats, "reverb": part.reverb,
            "notes": [[n.start, n.duration, n.pitch, n.velocity] for n in part.notes]}


def part_from_data(data: dict[str, Any]) -> Part:
    """The part `part_data` described; ValueError/TypeError/KeyError if malformed."""
    return Part(str(data["role"]), int(data["bank"]), int(data["program"]),
                float(data["beats"]),
                tuple(NoteEvent(float(a), float(b), int(c), int(d))
                      for a, b, c, d in data["notes"]),
                float(data["reverb"]))
