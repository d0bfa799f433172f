"""SongSpec: what the Creative Director read in a prompt, and what it decided.

A SongSpec is the contract between a director provider (lexicon, embedding, llm) and
the planners: genre (with two runners-up and a confidence), mood, energy and its curve,
tempo (and where it came from), key and mode, meter, feel, an instrument per layer (a
General MIDI program, percussion key or drum kit; a non-GM instrument's nearest GM
stand-in is flagged `substitute`), era and production words, a one-sentence creative
brief, and for every word of the prompt what it did or why it was set aside.

Its JSON schema is `SongSpec.model_json_schema()` (docs/schemas/song_spec.json).
"""

from __future__ import annotations

__all__ = [
    "MAJOR_MODES",
    "Curve",
    "Feel",
    "GenreChoice",
    "GenreDecision",
    "InstrumentChoice",
    "KeyDecision",
    "Layer",
    "SongSpec",
    "Source",
    "TempoDecision",
    "VoiceDecision",
    "VoiceKind",
    "WordUse",
    "mode_family",
]

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Source = Literal["lexicon", "embedding", "llm", "genre", "prompt-hash", "option"]
"""Who took a decision: a provider, the genre's profile, a stable hash of the prompt (no
clue at all), or an explicit option (--genre, --key)."""

Layer = Literal["drums", "bass", "chords", "pad", "lead", "texture", "choir"]
"""The layers a composition plan has (planner.longform's layer names)."""

Curve = Literal["steady", "build", "fade", "arc", "drop"]
Feel = Literal["straight", "swing", "half-time", "double-time"]
WordKind = Literal[
    "genre", "tempo", "mood", "energy", "instrument", "key", "meter", "feel", "era",
    "production", "composer", "quality", "context", "filler", "unknown", "negated",
]
MAJOR_MODES = ("major", "lydian", "mixolydian")


def mode_family(mode: str) -> Literal["major", "minor"]:
    """'major' for major, lydian and mixolydian; 'minor' for the rest."""
    return "major" if mode in MAJOR_MODES else "minor"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WordUse(_Frozen):
    """What one word or phrase of the prompt did, or why it was set aside.

    `kind` quality/context/filler/unknown/negated are set aside (negated: a word under
    'no', 'not', 'without', or the negation itself); `read_as` is the phrase it was
    understood as (a typo's correction, an embedding card), `score` a similarity.
    """

    text: str
    start: int = Field(ge=0, description="index of its first word in the prompt")
    kind: WordKind
    effect: str
    source: Source
    score: float | None = None
    read_as: str | None = None

    @property
    def used(self) -> bool:
        return self.kind not in ("quality", "context", "filler", "unknown", "negated")

    def __str__(self) -> str:
        how = self.source if self.score is None else f"{self.source} {self.score:.2f}"
        if self.read_as and self.read_as != self.text:
            how += f", read as '{self.read_as}'"
        arrow = "→" if self.used else "set aside:"
        return f'"{self.text}" {arrow} {self.effect} ({how})'


class GenreChoice(_Frozen):
    """A genre id, its family, a score in [0, 1] and whether it is installed."""

    id: str
    family: str
    score: float = Field(ge=0.0, le=1.0)
    playable: bool


class GenreDecision(_Frozen):
    """The genre to play (`id`, always installed) and the genre the prompt asked for
    (`named`: maybe not installed yet, with its family)."""

    id: str
    family: str
    named: str
    named_family: str
    confidence: float = Field(ge=0.0, le=1.0)
    source: Source
    runners_up: list[GenreChoice] = Field(max_length=2)
    note: str | None = None


class TempoDecision(_Frozen):
    """Quarter notes per minute, the prompt's tempo direction and where it came from."""

    bpm: float = Field(ge=20, le=400)
    direction: Literal["slow", "fast", "none"]
    source: Source
    reason: str
    word: int | None = Field(None, description="index of the prompt word that decided")


class KeyDecision(_Frozen):
    """A key such as 'A minor' (parseable by music.theory.parse_key) and its reason."""

    key: str
    mode: str
    family: Literal["major", "minor"]
    source: Source
    reason: str
    word: int | None = Field(None, description="index of the prompt word that decided")


class InstrumentChoice(_Frozen):
    """One layer's sound: a GM program, a GM percussion key or a bank-128 drum kit.

    `substitute` marks a non-GM instrument played by its nearest GM stand-in (tabla →
    bongos); `named` is the prompt's words (None when the genre chose)."""

    layer: Layer
    kind: Literal["program", "percussion", "kit"]
    number: int = Field(ge=0, le=127)
    gm_name: str
    named: str | None
    substitute: bool = False
    note: str | None = None
    source: Source


VoiceKind = Literal["soprano", "alto", "tenor", "baritone"]
"""A singer's voice type (voice.score.VoiceType)."""


class VoiceDecision(_Frozen):
    """The voice type the prompt asks a singer for, and the words that asked."""

    voice: VoiceKind
    source: Source
    reason: str
    word: int | None = Field(None, description="index of the prompt word that decided")


class SongSpec(_Frozen):
    """The Creative Director's reading of a prompt (schema version "1")."""

    version: Literal["1"] = "1"
    prompt: str
    director: str = Field(description="the provider that decided, e.g. 'lexicon'")
    fallbacks: list[str] = Field(
        default_factory=list, description="providers that could not answer, and why")
    genre: GenreDecision
    mood: list[str]
    energy: float = Field(ge=0.0, le=1.0)
    energy_curve: Curve
    tempo: TempoDecision
    key: KeyDecision
    meter: str
    feel: Feel
    instruments: list[InstrumentChoice]
    left_out: list[Layer] = Field(
        default_factory=list,
        description="layers the prompt asks to leave out ('no drums', 'without vocals')")
    era: list[str]
    production: list[str]
    brief: str
    words: list[WordUse]
    voice: VoiceDecision | None = Field(
        None, description="the singer's voice type the prompt asks for (None: not named)")

    def instrument(self, layer: Layer) -> InstrumentChoice | None:
        """The first sound chosen for `layer`, or None."""
        return next((i for i in self.instruments if i.layer == layer), None)

    def set_aside(self) -> list[WordUse]:
        """The words that changed nothing, each with its reason."""
        return [w for w in self.words if not w.used]
