"""Director providers: one small interface, chosen by name, each falling back to the one
before it and saying so.

`lexicon` (deterministic, no extra dependency) ← `embedding` (the default when wordllama
is installed: `pip install 'livetimbre[director]'`) ← `llm[:MODEL]` (an OpenAI-compatible
endpoint or a local model folder: director.llm; when it gives no usable answer, the
embedding provider decides and says why). The name comes from an option, else the patch
(`session: {director: ...}`), else `$LIVETIMBRE_DIRECTOR`, else the default.
"""

from __future__ import annotations

__all__ = ["Director", "DirectorContext", "LexiconDirector", "fallback_director", "get_director",
           "lexicon_for"]

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from livetimbre.director.decide import build_spec, clues
from livetimbre.director.genre_choice import GenreContext, hint_ranking
from livetimbre.director.names import resolve_director_name
from livetimbre.director.reading import Lexicon, Reading
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry
from livetimbre.music.values import check_prompt

NO_PHRASES: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class DirectorContext:
    """What a provider may use besides the prompt: the genre registry, the composer's
    vocabulary (phrase → what it does; the planner passes its own) and options that win
    over the prompt (--genre, --key, --meter)."""

    genres: GenreRegistry
    composer_phrases: Mapping[str, str] = field(default_factory=lambda: NO_PHRASES)
    genre: str | None = None
    key: str | None = None
    meter: str | None = None


class Director(Protocol):
    """A provider: a prompt → a SongSpec."""

    name: str

    def direct(self, prompt: str, context: DirectorContext) -> SongSpec: ...


_LEXICONS: dict[tuple[int, int], tuple[Lexicon, GenreContext, Mapping[str, str]]] = {}
_LOCK = threading.Lock()


def lexicon_for(context: DirectorContext) -> tuple[Lexicon, GenreContext]:
    """The phrase index and genre context for a context's registry and phrases, cached
    (by identity) for the last registry used."""
    key = (id(context.genres), id(context.composer_phrases))
    with _LOCK:
        if key not in _LEXICONS:
            _LEXICONS.clear()  # one registry at a time is the common case
            _LEXICONS[key] = (Lexicon(context.genres, context.composer_phrases),
                              GenreContext(context.genres), context.composer_phrases)
        lexicon, genres, _phrases = _LEXICONS[key]  # the cache keeps both keys alive
        return lexicon, genres


class LexiconDirector:
    """The deterministic provider: tables, the registry's aliases, typo tolerance."""

    name = "lexicon"

    def __init__(self, fallbacks: tuple[str, ...] = ()) -> None:
        self.fallbacks = fallbacks

    def read(self, prompt: str, context: DirectorContext) -> Reading:
        check_prompt(prompt)
        return lexicon_for(context)[0].read(prompt)

    def direct(self, prompt: str, context: DirectorContext) -> SongSpec:
        reading = self.read(prompt, context)
        genres = lexicon_for(context)[1]
        return build_spec(reading, genres, self.name, self.fallbacks,
                          hint_ranking(genres, clues(reading)), "lexicon", genre=context.genre,
                          key=context.key, meter=context.meter)


def fallback_director(name: str, fallbacks: tuple[str, ...] = ()) -> LexiconDirector:
    """`embedding` (or `lexicon`, saying why, when it cannot run) or `lexicon`, with the
    fallbacks that led here."""
    if name == "embedding":
        from livetimbre.director.embedding import EmbeddingDirector, embedding_problem

        problem = embedding_problem()
        if problem is None:
            return EmbeddingDirector(fallbacks)
        fallbacks = (*fallbacks, f"embedding → lexicon: {problem}")
    return LexiconDirector(fallbacks)


def get_director(name: str | None = None) -> Director:
    """The provider called `name` (see resolve_director_name), with its fallbacks:
    llm → embedding → lexicon, each recorded in the SongSpec's `fallbacks`."""
    name = resolve_director_name(name)
    if name.startswith("llm"):
        from livetimbre.director.llm import llm_director

        return llm_director(name, lambda reasons: fallback_director("embedding", reasons))
    return fallback_director(name)
