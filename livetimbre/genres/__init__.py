"""Genre profiles: the shipped YAML files (the repository's top-level genres/ folder,
installed as `livetimbre.genre_files`), plus `$LIVETIMBRE_HOME/genres`."""

from livetimbre.genres.profile import GenreProfile
from livetimbre.genres.registry import GenreRegistry, load_genres

__all__ = ["GenreProfile", "GenreRegistry", "load_genres"]
