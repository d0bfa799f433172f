"""The LLM's answer: a compact model (genre, tempo, key, meter, mood, energy, instruments,
a brief) whose JSON schema is the structured-output schema the LLM is held to.

The LLM never writes a whole SongSpec: its answer is merged with the lexicon's reading
(director.llm_merge). The genre must be an installed genre id and every instrument a
General MIDI program name; anything else is refused, and the reason names the field,
never the value (an answer is untrusted text).
"""

from __future__ import annotations

__all__ = ["GM_PROGRAMS", "AnswerError", "LLMAnswer", "answer_schema", "longest_answer",
           "parse_answer"]

import json
from collections.abc import Collection
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from livetimbre.director.instrument_names import GM_NAMES, gm_program_name

GM_PROGRAMS = tuple(gm_program_name(p) for p in sorted(GM_NAMES))
BRIEF_PATTERN = r"^[ -!#-\[\]-~]{1,160}$"  # 1-160 printable ASCII, no quote or backslash
Tonic = Literal["C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab", "A",
                "A#", "Bb", "B"]
Mode = Literal["major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian",
               "harmonic minor"]
Meter = Literal["4/4", "3/4", "2/4", "6/8", "5/4", "7/8", "12/8"]
MoodLabel = Literal["angry", "bright", "calm", "dark", "dreamy", "epic", "gritty", "groovy",
                    "happy", "hypnotic", "mysterious", "nostalgic", "quirky", "romantic", "sad",
                    "spiritual", "tense"]


class AnswerError(ValueError):
    """The LLM's answer cannot be used; the message says why without quoting it."""


class LLMAnswer(BaseModel):
    """What the LLM decides. Validate with `parse_answer` (it knows the installed genres)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    genre: str = Field(description="an installed genre id")
    tempo: int = Field(ge=40, le=240, description="quarter notes per minute")
    tonic: Tonic
    mode: Mode
    meter: Meter
    mood: list[MoodLabel] = Field(max_length=3)
    energy: int = Field(ge=0, le=100, description="0 = still, 100 = flat out")
    instruments: list[str] = Field(max_length=4, description="General MIDI program names")
    brief: str = Field(pattern=BRIEF_PATTERN,
                       description="one sentence: the piece to make")

    @field_validator("genre")
    @classmethod
    def _installed(cls, value: str, info: ValidationInfo) -> str:
        genres = (info.context or {}).get("genres")
        if genres is None or value not in genres:
            raise ValueError("not one of the installed genres")
        return value

    @field_validator("instruments")
    @classmethod
    def _general_midi(cls, value: list[str]) -> list[str]:
        if any(name not in GM_PROGRAMS for name in value):
            raise ValueError("not a General MIDI program name")
        return value


def answer_schema(genre_ids: Collection[str]) -> dict[str, Any]:
    """The structured-output JSON schema: LLMAnswer's, with the genre and instrument
    enums filled in (every property required, no other property allowed)."""
    schema = LLMAnswer.model_json_schema()
    schema["properties"]["genre"]["enum"] = sorted(genre_ids)
    schema["properties"]["instruments"]["items"] = {"type": "string",
                                                    "enum": list(GM_PROGRAMS)}
    return schema


def longest_answer(genre_ids: Collection[str]) -> str:
    """The longest answer the schema allows (for a token budget that always suffices)."""
    longest = {"genre": max(genre_ids, key=len), "tempo": 240,
               "tonic": "C#", "mode": "harmonic minor", "meter": "12/8",
               "mood": ["mysterious"] * 3, "energy": 100,
               "instruments": [max(GM_PROGRAMS, key=len)] * 4, "brief": "x" * 160}
    return json.dumps(longest)


def parse_answer(text: str, genre_ids: Collection[str]) -> LLMAnswer:
    """The answer in `text`, validated; an AnswerError names the fields at fault."""
    body = text.strip()
    if body.startswith("```"):  # a server that ignored the schema may fence its JSON
        body = body.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(body)
    except ValueError:
        raise AnswerError("the answer is not JSON") from None
    if not isinstance(data, dict):
        raise AnswerError("the answer is not a JSON object")
    try:
        return LLMAnswer.model_validate(data, context={"genres": frozenset(genre_ids)})
    except ValidationError as exc:
        problems = sorted({f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: "
                           f"{_what(e)}" for e in exc.errors()})
        raise AnswerError("the answer does not fit the schema (" + "; ".join(problems[:4])
                          + ")") from None


def _what(error: Any) -> str:
    """A validation problem in words, never quoting the value."""
    kind = str(error["type"])
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return {"missing": "missing", "extra_forbidden": "not in the schema",
            "literal_error": "not an allowed value",
            "string_pattern_mismatch": "characters outside the allowed set",
            "less_than_equal": "above the maximum", "greater_than_equal": "below the minimum"
            }.get(
        kind, kind.replace("_", " "))
