"""The Creative Director: a prompt → a SongSpec, through providers (lexicon → embedding →
llm), each falling back to the one before (see director.providers). Importing this
package loads neither a provider nor wordllama."""

from livetimbre.director.names import check_director_name, resolve_director_name
from livetimbre.director.spec import SongSpec, WordUse

__all__ = ["SongSpec", "WordUse", "check_director_name", "resolve_director_name"]
