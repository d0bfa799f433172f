"""The Creative Director: a prompt → a SongSpec, through providers (lexicon → embedding →
llm), each falling back to the one before. Importing it never imports wordllama."""

from livetimbre.director.providers import (
    Director,
    DirectorContext,
    get_director,
    resolve_director_name,
)
from livetimbre.director.spec import SongSpec, WordUse

__all__ = ["Director", "DirectorContext", "SongSpec", "WordUse", "get_director",
           "resolve_director_name"]
