"""The planners' door to the Creative Director: a prompt → a SongSpec, read with the
composer's vocabulary too (so "sparse" or "staccato" is reported as the composer's).

`direct_prompt` is what the planners call; `plan_choices` turns a SongSpec into the
keyword arguments `plan_track` takes today (genre, key, meter) plus the tempo.
"""

from __future__ import annotations

__all__ = ["COMPOSER_PHRASES", "direct_prompt", "plan_choices"]

from livetimbre.director.providers import DirectorContext, get_director
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry
from livetimbre.planner.vocabulary import VOCABULARY

COMPOSER_PHRASES: dict[str, str] = {
    phrase: f"composer: {entry.group} ({entry.effect})"
    for entry in VOCABULARY for phrase in entry.phrases}
"""Every phrase of the composer's vocabulary → what it does (for the word report)."""


def direct_prompt(prompt: str, genres: GenreRegistry, *, director: str | None = None,
                  genre: str | None = None, key: str | None = None,
                  meter: str | None = None) -> SongSpec:
    """The SongSpec of `prompt` by the director `director` (None: $LIVETIMBRE_DIRECTOR or
    the default); `genre`, `key` and `meter` (options) win over the prompt."""
    context = DirectorContext(genres, COMPOSER_PHRASES, genre=genre, key=key, meter=meter)
    return get_director(director).direct(prompt, context)


def plan_choices(spec: SongSpec) -> dict[str, str | float]:
    """What a planner takes from a SongSpec: genre, key, meter and tempo (BPM)."""
    return {"genre": spec.genre.id, "key": spec.key.key, "meter": spec.meter,
            "tempo": spec.tempo.bpm}
