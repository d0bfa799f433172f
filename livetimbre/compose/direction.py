"""Creative direction: prompt theme + genre + plan → the musical decisions of a clip.

Positions are in beats of the meter (eighths in 7/8, quarters in 3/4); the tempo counts
quarter notes per minute in every meter.
"""

from __future__ import annotations

__all__ = ["Direction", "direct"]

import random
from dataclasses import dataclass

from livetimbre.genres.profile import GenreProfile
from livetimbre.music.pulses import Pulse, metric_weight, pulses
from livetimbre.music.seeds import stable_seed
from livetimbre.music.theory import Key, Meter, parse_key, parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.theme import ThemeDescriptor

# Beyond these factors of the genre's tempo range the writers halve or double their
# subdivisions, as a drummer or bass player would at that tempo.
_FAST, _SLOW = 1.3, 1 / 1.3


@dataclass(frozen=True)
class Direction:
    """Decisions shared by every role's writer for one clip."""

    key: Key
    meter: Meter
    tempo: float
    bars: int
    role: str
    program: int
    bank: int
    theme: ThemeDescriptor
    genre: GenreProfile
    seed: int
    motif_seed: int
    harmony_seed: int
    swing: float
    feel: str
    rate: float  # melodic subdivision factor: 0.5 at a fast tempo or half-time, 2 at slow
    register: int  # semitones added to the role's usual register

    @property
    def beats_per_bar(self) -> int:
        return self.meter.beats

    @property
    def total_beats(self) -> int:
        return self.bars * self.meter.beats

    @property
    def step(self) -> float:
        """Length of one 16th-note grid step, in beats."""
        return 1.0 / self.meter.steps_per_beat

    @property
    def steps_per_bar(self) -> int:
        return self.meter.steps_per_bar

    @property
    def pulses(self) -> tuple[Pulse, ...]:
        return pulses(self.meter)

    @property
    def seconds_per_beat(self) -> float:
        """Seconds in one beat of the meter (the tempo counts quarter notes)."""
        return 60.0 / self.tempo * 4 / self.meter.unit

    @property
    def density(self) -> float:
        return self.theme.density

    def rng(self, purpose: str) -> random.Random:
        """A private, deterministic random stream for one purpose of this clip."""
        return random.Random(stable_seed(self.seed, purpose))

    def motif_rng(self, purpose: str) -> random.Random:
        """A stream shared by every clip of this layer: its motif across scenes."""
        return random.Random(stable_seed(self.motif_seed, purpose))

    def bar_energy(self, bar: int) -> float:
        curve = self.theme.dynamic_curve
        return curve[bar % len(curve)]

    def velocity(self, base: float, bar: int, step: int | None = None) -> float:
        """A nominal velocity shaped by the energy curve at `bar` and, given the grid
        `step` in the bar, by the metric accent there."""
        accent = 1.0
        if step is not None:  # the bar's "one" gets a player's extra push
            accent = 0.6 + 0.4 * metric_weight(self.meter, step) + (0.1 if step == 0 else 0.0)
        return base * (0.62 + 0.5 * self.bar_energy(bar)) * accent

    def step_of(self, beat: float) -> int:
        """The grid step (within its bar) nearest `beat`."""
        return round((beat % self.beats_per_bar) / self.step) % self.steps_per_bar

    def ms_to_beats(self, ms: float) -> float:
        return ms / 1000.0 / self.seconds_per_beat


def _rate(plan: ClipPlan, genre: GenreProfile, feel: str) -> float:
    low, high = genre.rhythm.tempo_range
    rate = 1.0
    if plan.tempo >= high * _FAST:
        rate = 0.5
    elif plan.tempo <= low * _SLOW:
        rate = 2.0
    if feel == "half-time" and genre.rhythm.feel != "half-time":
        rate *= 0.5
    elif feel == "double-time":
        rate *= 2.0
    return min(2.0, max(0.5, rate))


def direct(plan: ClipPlan, genre: GenreProfile) -> Direction:
    """Make the clip's creative decisions from its plan and genre."""
    theme = plan.theme
    meter = parse_meter(plan.meter)
    swing = genre.rhythm.swing_amount if theme.swing is None else theme.swing
    if meter.is_compound:  # a compound meter already divides its pulse in three
        swing = 0.0
    register = round(theme.register_shift + 10 * theme.brightness)
    return Direction(
        key=parse_key(plan.key),
        meter=meter,
        tempo=plan.tempo,
        bars=plan.bars,
        role=plan.role,
        program=plan.program,
        bank=plan.bank,
        theme=theme,
        genre=genre,
        seed=plan.seed,
        motif_seed=plan.motif_seed,
        harmony_seed=plan.harmony_seed,
        swing=swing,
        feel=theme.feel,
        rate=_rate(plan, genre, theme.feel),
        register=register,
    )
