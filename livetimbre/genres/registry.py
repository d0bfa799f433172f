"""Finding, loading and validating genre profiles."""

from __future__ import annotations

__all__ = ["GenreRegistry", "builtin_genre_dir", "load_genre_file", "load_genres"]

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from livetimbre.errors import GenreError
from livetimbre.files.read import excerpt, read_user_text
from livetimbre.files.yamlsource import load_yaml, validate_located
from livetimbre.genres.profile import GenreProfile

SHIPPED_GENRES = "livetimbre.genre_files"
"""The resource package of the shipped profiles: the repository's top-level genres/."""


def builtin_genre_dir() -> Path:
    """The folder of genre profiles shipped with livetimbre.

    Installed (wheel or editable), it is the resource package `livetimbre.genre_files`,
    which pyproject.toml maps to the repository's top-level genres/ folder. A checkout run
    with no install (PYTHONPATH=<checkout>) has no such package; then it is the checkout's
    genres/ beside livetimbre/. That folder also wins over a resource package found
    outside this copy of livetimbre (another checkout's editable install answering in a
    shared virtualenv), so a checkout always reads its own profiles.
    """
    package = Path(__file__).resolve().parents[1]
    checkout = package.parent / "genres"
    try:
        shipped = resources.files(SHIPPED_GENRES)
    except ModuleNotFoundError:
        return checkout
    if not isinstance(shipped, Path):
        raise GenreError(
            f"The shipped genre profiles ({shipped}) are not a folder on disk; "
            "install livetimbre unzipped."
        )
    shipped = shipped.resolve()
    if shipped.is_relative_to(package) or not checkout.is_dir():
        return shipped
    return checkout


def load_genre_file(path: Path) -> GenreProfile:
    """Load one profile; a bad one raises GenreError naming file, line and reason."""
    located = load_yaml(read_user_text(path, "genre profile", GenreError), str(path), GenreError)
    profile = validate_located(GenreProfile, located, "genre", GenreError)
    if profile.id != path.stem:
        where = located.where(("id",))
        raise GenreError(
            f"{where}: genre id '{profile.id}' must match the file name '{path.stem}'."
        )
    return profile


@dataclass(frozen=True)
class GenreRegistry:
    """Every known genre by id; user genres override shipped ones of the same id."""

    genres: dict[str, GenreProfile]
    sources: dict[str, Path]

    def get(self, name: str) -> GenreProfile:
        """The genre `name` (id or display name, any case); unknown names suggest others."""
        key = name.strip().lower().replace(" ", "-").replace("_", "-")
        if key in self.genres:
            return self.genres[key]
        for profile in self.genres.values():
            if profile.name.lower() == name.strip().lower():
                return profile
        close = difflib.get_close_matches(key, list(self.genres), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise GenreError(
            f"Unknown genre {excerpt(name)}.{hint} Known genres: {', '.join(sorted(self.genres))}."
        )

    def __iter__(self) -> Iterator[GenreProfile]:
        return iter(sorted(self.genres.values(), key=lambda g: g.id))

    def __len__(self) -> int:
        return len(self.genres)


def load_genres(user_dir: Path | None = None) -> GenreRegistry:
    """Load shipped genres and, if given and present, the user's genre folder."""
    genres: dict[str, GenreProfile] = {}
    sources: dict[str, Path] = {}
    folders = [builtin_genre_dir()]
    if user_dir is not None and user_dir.is_dir():
        folders.append(user_dir)
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            profile = load_genre_file(path)
            genres[profile.id] = profile
            sources[profile.id] = path
    return GenreRegistry(genres, sources)
