"""Lyrics by the Director's LLM: asked for lines of given syllable counts and rhyme
schemes (a JSON schema), held to them with CMUdict. Any failure is a `LyricFailure`
whose reason is safe to show; `write_lyrics` then writes with the grammar.

The endpoint is the Director's ($LIVETIMBRE_LLM_URL, $LIVETIMBRE_LLM_MODEL or
`llm:MODEL`, the key from $LIVETIMBRE_LLM_API_KEY) behind the Director's circuit
breaker (after failures in a row it is not asked for a while); a local model folder is
not asked.
"""

from __future__ import annotations

__all__ = ["LyricFailure", "check_section", "llm_lyrics", "lyric_schema"]

import json
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from livetimbre.director.llm import ATTEMPTS, LLMSettings, breaker_for
from livetimbre.director.llm_http import LLMFailure, ask
from livetimbre.director.spec import SongSpec
from livetimbre.system.resilience import Budget
from livetimbre.voice.lyrics_grammar import default_scheme
from livetimbre.voice.lyrics_lexicon import lyric_mood, lyric_theme
from livetimbre.voice.lyrics_words import is_singable, rhymes, syllables, words_of

if TYPE_CHECKING:
    from livetimbre.voice.lyrics import LyricSection, LyricSlot, LyricSpec

_MAX_LINE = 200  # characters in one line of an answer


class LyricFailure(Exception):
    """The LLM gave no usable lyric; `reason` says why (never the key)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def lyric_schema(sections: int) -> dict[str, Any]:
    """The answer's JSON schema: `sections` arrays of lines, in the form's order."""
    lines = {"type": "array", "items": {"type": "string", "maxLength": _MAX_LINE}}
    return {"type": "object", "additionalProperties": False, "required": ["sections"],
            "properties": {"sections": {
                "type": "array", "minItems": sections, "maxItems": sections,
                "items": {"type": "object", "additionalProperties": False,
                          "required": ["lines"], "properties": {"lines": lines}}}}}


def check_section(lines: Sequence[str], targets: Sequence[int], scheme: str) -> str | None:
    """Why `lines` do not fit (count, syllables, rhymes, spelling), or None."""
    if len(lines) != len(targets):
        return f"{len(lines)} lines where {len(targets)} were asked for"
    ends: list[str] = []
    for number, (line, target) in enumerate(zip(lines, targets, strict=True), 1):
        words = words_of(line)
        if not words or not all(is_singable(w) for w in words):
            return f"line {number} is not English words"
        if syllables(line) != target:
            return f"line {number} has {syllables(line)} syllables, not {target}"
        ends.append(words[-1])
    for i, a in enumerate(scheme):
        for j in range(i + 1, len(scheme)):
            if scheme[j] == a and not rhymes(ends[i], ends[j]):
                return f"lines {i + 1} and {j + 1} do not rhyme ({scheme})"
    return None


def _messages(song: SongSpec | None, slots: Sequence[LyricSlot], schemes: list[str],
              schema: dict[str, Any]) -> list[dict[str, str]]:
    mood = lyric_mood(song)
    theme = ", ".join(lyric_theme(song, mood))
    form = "; ".join(f"{i + 1}. {slot.section}: {len(slot.syllables)} lines of "
                     f"{', '.join(map(str, slot.syllables))} syllables, rhymed {scheme}"
                     for i, (slot, scheme) in enumerate(zip(slots, schemes, strict=True)))
    system = ("You write song lyrics in plain English: original, singable, concrete images, "
              "no names of real people or songs. Every line has exactly the syllables asked "
              "for; lines with the same rhyme letter end on words that truly rhyme. A chorus "
              "has the same words each time it comes back. Answer with one JSON object and "
              "nothing else, following this JSON schema: "
              + json.dumps(schema, separators=(",", ":")))
    about = song.brief if song is not None else "A song."
    user = f"{about} Mood: {mood}. Theme: {theme}. Sections: {form}."
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def llm_lyrics(song: SongSpec | None, form: Sequence[LyricSlot], *, seed: int,
               name: str = "llm") -> LyricSpec:
    """The LLM's lyric for `form`, checked line by line; a LyricFailure otherwise."""
    from livetimbre.voice.lyrics import LyricSpec

    try:
        settings = LLMSettings.from_env(name.partition(":")[2] or None)
    except ValueError as exc:
        raise LyricFailure(str(exc)) from None
    if settings.endpoint is None:
        raise LyricFailure("a local model folder does not write lyrics")
    rng = random.Random(seed)
    schemes = [slot.scheme or default_scheme(slot.section, len(slot.syllables), rng)
               for slot in form]
    schema = lyric_schema(len(form))
    most = 64 + sum(len(s.syllables) for s in form) * 2 * _MAX_LINE // 4
    breaker = breaker_for(settings)  # the Director's: an endpoint that is down waits no more
    refusal = breaker.refusal()
    if refusal is not None:
        raise LyricFailure(refusal)
    try:
        text = ask(settings.endpoint, _messages(song, form, schemes, schema), schema,
                   seed=seed, max_tokens=most, budget=Budget(2 * settings.timeout),
                   timeout=settings.timeout, attempts=ATTEMPTS)
        sections = _parse(text, form, schemes)
    except LLMFailure as failure:
        breaker.failure()
        raise LyricFailure(failure.reason) from None
    except LyricFailure:
        breaker.success()  # it answered: the endpoint is up, the lyric did not fit
        raise
    breaker.success()
    mood = lyric_mood(song)
    return LyricSpec(source="llm", mood=mood, theme=lyric_theme(song, mood),
                     sections=sections, notes=[f"written by {name}:{settings.model}"])


def _parse(text: str, form: Sequence[LyricSlot], schemes: list[str]) -> list[LyricSection]:
    from livetimbre.voice.lyrics import LyricSection

    try:
        data = json.loads(text)
        answers = data["sections"]
        lines = [[str(line) for line in answer["lines"]] for answer in answers]
    except (ValueError, KeyError, TypeError):
        raise LyricFailure("the answer is not the lyric JSON asked for") from None
    if len(lines) != len(form):
        raise LyricFailure(f"{len(lines)} sections where {len(form)} were asked for")
    out = []
    for number, (slot, scheme, got) in enumerate(zip(form, schemes, lines, strict=True), 1):
        if any(len(line) > _MAX_LINE or not line.isprintable() for line in got):
            raise LyricFailure(f"section {number} has an unprintable or overlong line")
        problem = check_section(got, slot.syllables, scheme)
        if problem is not None:
            raise LyricFailure(f"section {number} ({slot.section}): {problem}")
        out.append(LyricSection(name=slot.section, lines=[" ".join(x.split()) for x in got],
                                scheme=scheme))
    return out
