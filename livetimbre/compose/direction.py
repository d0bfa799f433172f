"""Creative direction: prompt theme + genre + plan → the musical decisions of a clip."""

from __future__ import annotations

__all__ = ["Direction", "direct", "swing_time"]

import random
from dataclasses import dataclass

from livetimbre.genres.profile import GenreProfile
from livetimbre.music.seeds import stable_seed
from livetimbre.music.theory import Key, Meter, parse_key, parse_meter
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.theme import ThemeDescriptor


@dataclass(frozen=True)
class Direction:
    """Decisions shared by every role's writer for one clip."""

    key: Key
    meter: Meter
    tempo: float
    bars: int
    theme: ThemeDescriptor
    genre: GenreProfile
    seed: int
    harmony_seed: int
    swing: float
    swing_unit: int
    feel: str
    mood: str

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

    def rng(self, purpose: str) -> random.Random:
        """A private, deterministic random stream for one purpose of this clip."""
        return random.Random(stable_seed(self.seed, purpose))

    def bar_energy(self, bar: int) -> float:
        curve = self.theme.dynamic_curve
        return curve[bar % len(curve)]

    def velocity(self, base: float, bar: int) -> float:
        """Scale a nominal velocity by the clip's energy curve at `bar`."""
        return base * (0.62 + 0.5 * self.bar_energy(bar))

    def swung(self, beat: float) -> float:
        return swing_time(beat, self.swing, self.swing_unit, self.meter)


def swing_time(beat: float, amount: float, unit: int, meter: Meter) -> float:
    """Move off-beat subdivisions later: amount 1 = full triplet swing of 1/`unit` notes."""
    if amount <= 0:
        return beat
    note = meter.unit / unit  # length of the swung note value, in beats
    pair = 2 * note
    base = (beat // pair) * pair
    t = beat - base
    d = amount * note / 3
    if t < note:
        return base + t * (note + d) / note
    return base + (note + d) + (t - note) * (note - d) / note


def direct(plan: ClipPlan, genre: GenreProfile) -> Direction:
    """Make the clip's creative decisions from its plan and genre."""
    theme = plan.theme
    swing = genre.rhythm.swing_amount
    if theme.rhythm_tag == "swung":
        swing = max(swing, 0.55)
    if theme.has("straight", "no swing"):
        swing = 0.0
    feel = genre.rhythm.feel
    if theme.rhythm_tag in ("half-time", "double-time"):
        feel = theme.rhythm_tag
    if theme.brightness <= -0.3:
        mood = "dark"
    elif theme.brightness >= 0.3:
        mood = "bright"
    else:
        mood = "calm" if theme.energy < 0.4 else "energetic" if theme.energy > 0.75 else "steady"
    return Direction(
        key=parse_key(plan.key),
        meter=parse_meter(plan.meter),
        tempo=plan.tempo,
        bars=plan.bars,
        theme=theme,
        genre=genre,
        seed=plan.seed,
        harmony_seed=plan.harmony_seed,
        swing=swing,
        swing_unit=genre.rhythm.swing_unit,
        feel=feel,
        mood=mood,
    )
