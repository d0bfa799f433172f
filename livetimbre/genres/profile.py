"""The genre profile schema (AETHER's YAML genre profiles, extended for the composer)."""

from __future__ import annotations

__all__ = [
    "Arrangement",
    "DrumPattern",
    "GenreProfile",
    "Harmony",
    "Instrumentation",
    "Lineage",
    "Melody",
    "Production",
    "Rhythm",
]

import re
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from livetimbre.errors import ValueProblem
from livetimbre.files.validation import FieldProblem
from livetimbre.genres.families import FAMILIES, OTHER
from livetimbre.music.instruments import DRUM_NOTES, ROLES, VOICE_PROGRAM, Role
from livetimbre.music.theory import Key, chord_from_roman, parse_key, parse_meter


def _check(parse: Callable[[str], object], text: str, *where: int) -> None:
    """Run `parse`; its ValueProblem becomes a FieldProblem at `where` below the field."""
    try:
        parse(text)
    except ValueProblem as exc:
        raise FieldProblem(str(exc).rstrip("."), *where) from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Lineage(_Strict):
    primary_parent: str
    secondary_influences: list[str] = []


_STEP = re.compile(r"^[xXo.]+$")


class DrumPattern(_Strict):
    """One bar of drums on a 16th-note grid: 'x' hit, 'X' accent, 'o' ghost, '.' rest.

    Each key is a drum voice of `DRUM_NOTES` (kick, snare, hat, ...). Strings are one
    bar of the genre's first time signature (16 steps in 4/4, 12 in 3/4 and 6/8).
    A pattern named '<name>:2' is the second bar of pattern '<name>' (a clave that
    spans two bars); the drummer alternates the two.
    """

    name: str
    voices: dict[str, str]

    @field_validator("voices")
    @classmethod
    def _known_voices(cls, voices: dict[str, str]) -> dict[str, str]:
        for voice, steps in voices.items():
            if voice not in DRUM_NOTES:
                raise ValueError(f"unknown drum voice '{voice}' (known: {', '.join(DRUM_NOTES)})")
            if not _STEP.match(steps.replace(" ", "")):
                raise ValueError(f"drum steps for '{voice}' may only use x X o . (got '{steps}')")
        return {v: s.replace(" ", "") for v, s in voices.items()}


class Rhythm(_Strict):
    tempo_range: tuple[float, float]
    default_tempo: float | None = None
    time_signatures: list[str] = ["4/4"]
    swing_amount: float = Field(0.0, ge=0.0, le=1.0)
    swing_unit: Annotated[int, Field(description="8: swung eighths (jazz); 16: swung 16ths")] = 16
    feel: Annotated[str, Field(pattern="^(straight|half-time|double-time)$")] = "straight"
    humanize_ms: Annotated[float, Field(ge=0, le=30, description=(
        "spread (standard deviation) of a player's timing, in ms; 0 for machine-tight"))] = 3.0
    laid_back_ms: Annotated[float, Field(ge=-30, le=40, description=(
        "how far behind the grid the backbeat sits, in ms (negative: ahead)"))] = 0.0
    drum_patterns: list[DrumPattern] = Field(min_length=1)

    @field_validator("tempo_range")
    @classmethod
    def _tempo_range(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 20 <= low <= high <= 400:
            raise ValueError(f"tempo_range must be 20 <= low <= high <= 400 BPM (got {value})")
        return value

    @field_validator("time_signatures")
    @classmethod
    def _meters(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one time signature is needed")
        for index, text in enumerate(value):
            _check(parse_meter, text, index)
        return value

    @field_validator("swing_unit")
    @classmethod
    def _swing_unit(cls, value: int) -> int:
        if value not in (8, 16):
            raise ValueError(f"swing_unit must be 8 or 16 (got {value})")
        return value

    @model_validator(mode="after")
    def _patterns_fit(self) -> Rhythm:
        steps = parse_meter(self.time_signatures[0]).steps_per_bar
        for index, pattern in enumerate(self.drum_patterns):
            for voice, text in pattern.voices.items():
                if len(text) != steps:
                    raise FieldProblem(
                        f"drum pattern '{pattern.name}' voice '{voice}' has {len(text)} steps; "
                        f"one bar of {self.time_signatures[0]} needs {steps}",
                        "drum_patterns", index, "voices", voice,
                    )
        if self.default_tempo is not None and not (
            self.tempo_range[0] <= self.default_tempo <= self.tempo_range[1]
        ):
            raise ValueError(f"default_tempo {self.default_tempo} is outside tempo_range")
        return self

    @property
    def tempo(self) -> float:
        """The tempo used when a patch gives none."""
        if self.default_tempo is not None:
            return self.default_tempo
        return round((self.tempo_range[0] + self.tempo_range[1]) / 2)


class Harmony(_Strict):
    """Keys, modes and progressions. A progression names scale degrees ('i', 'IV', 'V7'),
    read in whatever key the session chooses (see `music.theory.harmonize`); a symbol
    with an accidental or a trailing '!' ('bII', 'V7!') is a deliberate chromatic choice.
    """

    common_keys: list[str] = Field(min_length=1)
    common_modes: list[str] = ["minor"]
    typical_progressions: list[list[str]] = Field(min_length=1)
    bars_per_chord: float = Field(1.0, gt=0, le=4)
    extensions: Annotated[str, Field(pattern="^(triads|sevenths|ninths)$")] = "triads"

    @field_validator("common_keys")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        for index, text in enumerate(value):
            _check(parse_key, text, index)
        return value

    @field_validator("typical_progressions")
    @classmethod
    def _progressions(cls, value: list[list[str]]) -> list[list[str]]:
        probe = Key(0, "minor")
        for index, progression in enumerate(value):
            if not progression:
                raise FieldProblem("a progression needs at least one chord", index)
            for position, symbol in enumerate(progression):
                _check(lambda s: chord_from_roman(s, probe), symbol, index, position)
        return value


class Melody(_Strict):
    typical_range_octaves: float = Field(1.5, ge=0.5, le=4)
    step_vs_leap_ratio: float = Field(0.7, ge=0, le=1)
    notes_per_beat: float = Field(1.0, gt=0, le=4)
    center_pitch: int = Field(72, ge=36, le=96)


class Instrumentation(_Strict):
    """AETHER's instrument list plus the General MIDI program for each layer role."""

    core_instruments: list[str] = []
    programs: dict[str, int]
    drum_kit: int = Field(0, ge=0, le=127)

    @field_validator("programs")
    @classmethod
    def _programs(cls, value: dict[str, int]) -> dict[str, int]:
        for role, program in value.items():
            if role not in ROLES or role == "drums":
                raise ValueError(
                    f"unknown role '{role}' (known: {', '.join(r for r in ROLES if r != 'drums')})"
                )
            if not 0 <= program <= 127:
                raise ValueError(f"program for '{role}' must be 0-127 (got {program})")
        return value

    def program_for(self, role: Role) -> int:
        """The role's program; roles the genre leaves out borrow a sensible neighbour."""
        fallback: dict[str, tuple[str, ...]] = {
            "arp": ("lead", "chords"), "texture": ("pad", "chords"), "lead": ("arp", "chords"),
            "pad": ("chords",), "chords": ("pad",), "bass": (), "vocals": (),
        }
        for candidate in (role, *fallback.get(role, ())):
            if candidate in self.programs:
                return self.programs[candidate]
        return {"bass": 38, "pad": 89, "lead": 81, "arp": 81, "texture": 99,
                "vocals": VOICE_PROGRAM}.get(role, 0)


class Arrangement(_Strict):
    """How each role plays by default; prompt words can override these per clip."""

    bass_style: Literal[
        "follow-kick", "pulse", "octave", "offbeat", "walking", "sustained", "syncopated",
        "bossa", "tumbao", "tresillo", "marcato", "continuo", "rolling", "wobble",
        "two-step", "tanpura",
        "root-fifth", "gallop", "boogie",
    ] = "follow-kick"
    chord_style: Literal[
        "sustained", "stabs", "offbeat", "comp", "arpeggio",
        "bossa", "montuno", "marcato", "rasgueado", "chank", "gated", "alberti", "broken",
        "drone",
        "power", "palm-mute", "strum", "chop", "shuffle", "shout",
    ] = "sustained"


class Production(_Strict):
    target_lufs: float = Field(-14.0, ge=-30, le=-6)
    dynamic_range_lu: float = Field(8.0, ge=1, le=30)
    reverb: float = Field(0.3, ge=0, le=1)


class GenreProfile(_Strict):
    """A genre: everything the composer needs to write in its style."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$")]
    name: str
    description: str = ""
    family: str = OTHER
    aliases: list[str] = []
    lineage: Lineage
    rhythm: Rhythm
    harmony: Harmony
    melody: Melody = Melody()
    instrumentation: Instrumentation
    arrangement: Arrangement = Arrangement()
    production: Production = Production()

    @field_validator("family")
    @classmethod
    def _known_family(cls, value: str) -> str:
        if value != OTHER and value not in FAMILIES:
            raise ValueError(f"unknown family '{value}' (known: {', '.join(FAMILIES)}, {OTHER})")
        return value

    @field_validator("aliases")
    @classmethod
    def _plain_aliases(cls, value: list[str]) -> list[str]:
        for alias in value:
            if alias != alias.strip().lower() or not alias or len(alias) > 40:
                raise ValueError(
                    f"aliases are lowercase phrases of 1-40 characters (got {alias[:40]!r})")
        return value
