"""A pattern clip's notes: where the mini-notation puts them, exactly; the genre and the
prompt's looseness only spread the velocities (the timing stays the pattern's)."""

from __future__ import annotations

__all__ = ["write_pattern"]

from dataclasses import replace

from livetimbre.compose.direction import Direction
from livetimbre.music.notes import NoteEvent, clamp_velocity
from livetimbre.music.theory import parse_key
from livetimbre.patterns.notes import pattern_notes
from livetimbre.planner.clip import ClipPlan


def write_pattern(plan: ClipPlan, d: Direction) -> list[NoteEvent]:
    """The notes of `plan.pattern` over the clip's bars (a cycle is `cycles` bars)."""
    assert plan.pattern is not None
    spec = plan.pattern
    notes = pattern_notes(spec.text, role=plan.role, key=parse_key(plan.key),
                          beats_per_bar=d.beats_per_bar, bars=plan.bars,
                          cycles=spec.cycles,
                          seed=plan.seed, vel=spec.vel, gate=spec.gate)
    spread = 3.0 * d.theme.looseness
    if spread <= 0:
        return notes
    rng = d.rng("pattern")
    return [replace(n, velocity=clamp_velocity(n.velocity + rng.gauss(0.0, spread)))
            for n in notes]
