"""The lexicon director's reading of one prompt, with the composer's phrases, for tests."""

from __future__ import annotations

from livetimbre.director.providers import DirectorContext, LexiconDirector
from livetimbre.director.spec import SongSpec
from livetimbre.genres import GenreRegistry
from livetimbre.planner.direction import COMPOSER_PHRASES


def lexicon_spec(prompt: str, genres: GenreRegistry, **options: str) -> SongSpec:
    """The SongSpec the lexicon reads in `prompt` (`options`: DirectorContext's, e.g. genre)."""
    return LexiconDirector().direct(prompt, DirectorContext(genres, COMPOSER_PHRASES,
                                                            **options))
