"""Choosing the genre: the one the prompt names, else the one nearest its words.

Every candidate is a genre id: installed (in the registry) or planned (genre_names). The
genre *named* may be planned only; the genre *played* is always installed: the named one,
else the installed genre of its family nearest the prompt's words, else a neighbouring
family's. A prompt with no clue at all gets a genre drawn from a stable hash of its text.
"""

from __future__ import annotations

__all__ = ["GenreContext", "choose_genre", "family_of_genre", "hint_ranking"]

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from livetimbre.director.genre_names import HINTS, NAMES, NEIGHBOURS
from livetimbre.director.spec import GenreChoice, GenreDecision, Source
from livetimbre.errors import GenreError
from livetimbre.genres import GenreRegistry
from livetimbre.genres.families import FAMILIES, OTHER, family_of
from livetimbre.music.seeds import stable_seed


@dataclass(frozen=True)
class GenreContext:
    """The registry and everything known about each genre id (installed or planned)."""

    genres: GenreRegistry

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*(g.id for g in self.genres), *NAMES]))

    @cached_property
    def installed(self) -> frozenset[str]:
        return frozenset(g.id for g in self.genres)

    @cached_property
    def hints(self) -> dict[str, frozenset[str]]:
        """genre id → clue words (and GM program numbers as text)."""
        out: dict[str, frozenset[str]] = {}
        for genre_id in self.ids:
            words = set(re.findall(r"[a-z0-9]+", HINTS.get(genre_id, "")))
            if genre_id in self.installed:
                profile = self.genres.get(genre_id)
                words.update(str(p) for p in profile.instrumentation.programs.values())
                words.update(re.findall(r"[a-z]+", " ".join(
                    profile.instrumentation.core_instruments).replace("_", " ")))
            out[genre_id] = frozenset(words)
        return out

    @cached_property
    def clue_weights(self) -> dict[str, float]:
        """clue word → log(genres / genres knowing it): rare clues weigh more."""
        count: dict[str, int] = {}
        for words in self.hints.values():
            for word in words:
                count[word] = count.get(word, 0) + 1
        return {w: math.log(len(self.ids) / n) for w, n in count.items()}

    def family(self, genre_id: str) -> str:
        return family_of_genre(genre_id, self.genres)


def family_of_genre(genre_id: str, genres: GenreRegistry) -> str:
    """The family of an installed genre (its profile's) or of a planned one."""
    if genre_id in {g.id for g in genres}:
        family = genres.get(genre_id).family
        if family != OTHER:
            return family
    return family_of(genre_id)


def hint_ranking(context: GenreContext, clues: Sequence[str]) -> list[tuple[str, float]]:
    """Every genre id with a score in [0, 1] from the clue words it knows, each weighted by
    how rare it is among the genres (a clue most genres share says little)."""
    clue_set = set(clues)
    weights = context.clue_weights
    scored = []
    for genre_id in context.ids:
        weight = sum(weights[w] for w in clue_set & context.hints[genre_id])
        scored.append((genre_id, round(weight / (weight + 4.0), 3)))
    return sorted(scored, key=lambda gs: -gs[1])


def _playable(named: str, family: str, context: GenreContext,
              ranking: list[tuple[str, float]]) -> tuple[str, str | None]:
    """(installed genre to play, a note when it is not the named one)."""
    if named in context.installed:
        return named, None
    for genre_id, _score in ranking:  # nearest installed genre of the same family
        if genre_id in context.installed and context.family(genre_id) == family:
            return genre_id, (f"{named} ({family}) is not installed: playing {genre_id}, "
                              "the nearest installed genre of its family")
    for genre_id in NEIGHBOURS.get(family, NEIGHBOURS[OTHER]):
        if genre_id in context.installed:
            return genre_id, (f"{named} ({family}) is not installed and no genre of its "
                              f"family is: playing {genre_id}")
    fallback = next(g for g, _s in ranking if g in context.installed)
    return fallback, f"{named} ({family}) is not installed: playing {fallback}"


def choose_genre(context: GenreContext, votes: dict[str, tuple[float, int]],
                 ranking: list[tuple[str, float]], source: Source, prompt: str,
                 forced: str | None = None) -> GenreDecision:
    """The genre decision from `votes` (genre id → (score, first word index)), else from
    `ranking` (nearest genres, best first, scores in [0, 1]); `forced` (--genre) wins."""
    if not context.installed:
        raise GenreError("No genre is installed: the director has nothing to choose from.")
    order: list[tuple[str, float]] = []
    if forced is not None:
        order.append((context.genres.get(forced).id, 1.0))
        source = "option"
    named_votes = sorted(votes.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    for genre_id, (score, _index) in named_votes:
        if genre_id in FAMILIES and genre_id not in context.ids:  # a family's own name
            genre_id = next(g for g, _s in ranking if context.family(g) == genre_id)
        if genre_id not in (g for g, _s in order):
            order.append((genre_id, min(1.0, score)))
    if not order and ranking and ranking[0][1] > 0:
        order.append(ranking[0])
    if not order:  # no clue at all: a stable draw, never one fixed default
        installed = sorted(context.installed)
        pick = installed[stable_seed("director-genre", prompt.strip().lower()) % len(installed)]
        order.append((pick, 0.0))
        source = "prompt-hash"
    named, confidence = order[0]
    family = context.family(named)
    playing, note = _playable(named, family, context, ranking)
    seen = {named, playing}
    runners: list[GenreChoice] = []
    for genre_id, score in [*order[1:], *ranking]:
        if genre_id not in seen and len(runners) < 2:
            seen.add(genre_id)
            runners.append(GenreChoice(id=genre_id, family=context.family(genre_id),
                                       score=round(min(1.0, score), 3),
                                       playable=genre_id in context.installed))
    if len(order) > 1:  # two genres named: confidence is the winner's margin
        confidence = max(0.0, min(1.0, 0.5 + (order[0][1] - order[1][1]) / 2))
    return GenreDecision(id=playing, family=context.family(playing), named=named,
                         named_family=family, confidence=round(confidence, 3), source=source,
                         runners_up=runners, note=note)
