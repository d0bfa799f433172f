"""Genre profiles: the YAML files beside this module, plus `$LIVETIMBRE_HOME/genres`."""

from livetimbre.genres.profile import GenreProfile
from livetimbre.genres.registry import GenreRegistry, load_genres

__all__ = ["GenreProfile", "GenreRegistry", "load_genres"]
