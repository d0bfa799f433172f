"""The genre reference, read from the shipped genre registry and the example patches:
the families, every genre's tempo range and meters, the patches that play it, and the
listening set (each example patch's genre, key, meter, tempo and layers)."""

from __future__ import annotations

__all__ = ["PATCHES", "genre_summary", "genre_tables", "listening_set", "patches_by_genre"]

import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from tools.docsgen.tables import code, table

if TYPE_CHECKING:
    from livetimbre.genres import GenreRegistry

PATCHES = Path(__file__).resolve().parents[2] / "patches"


def _shipped() -> GenreRegistry:
    """The genres that ship with livetimbre (never a user's folder)."""
    from livetimbre.genres import load_genres

    return load_genres(None)


def patches_by_genre(folder: Path = PATCHES) -> dict[str, list[str]]:
    """Genre id → the example patches (file stems, sorted) whose session names it."""
    out: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        session = data.get("session") if isinstance(data, dict) else None
        genre = session.get("genre") if isinstance(session, dict) else None
        if not isinstance(genre, str):
            raise ValueError(f"{path}: an example patch names no session.genre")
        out.setdefault(genre, []).append(path.stem)
    return out


def _tempo(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


def genre_tables() -> str:
    """The families (with their shipped genres), then one row per genre and its sound."""
    from livetimbre.genres.families import FAMILIES

    registry = _shipped()
    patches = patches_by_genre()
    unknown = sorted(set(patches) - set(registry.genres))
    if unknown:
        raise ValueError(f"patches/ names genre(s) nobody ships: {', '.join(unknown)}")
    shelves: dict[str, list[str]] = {}
    for genre in registry:
        shelves.setdefault(genre.family, []).append(genre.id)
    order = [*FAMILIES, *sorted(set(shelves) - set(FAMILIES))]
    families = table(("family", "shipped genres"),
                     ((family, ", ".join(code(g) for g in shelves.get(family, ())) or
                       "none yet") for family in order))
    rows = []
    for family in order:
        for genre_id in shelves.get(family, ()):
            genre = registry.genres[genre_id]
            rhythm = genre.rhythm
            rows.append((code(genre.id), family, genre.name,
                         f"{_tempo(*rhythm.tempo_range)} ({rhythm.tempo:g})",
                         ", ".join(rhythm.time_signatures),
                         ", ".join(code(p) for p in patches.get(genre.id, ())) or "—"))
    every = table(("id", "family", "name", "tempo, BPM (default)", "meters", "example patches"),
                  rows)
    sounds = table(("id", "what it is", "also called"),
                   ((code(genre.id), genre.description, ", ".join(genre.aliases) or "—")
                    for genre in registry))
    return "\n".join([
        f"{len(registry)} genres ship with livetimbre, on {len(shelves)} of the "
        f"{len(order)} family shelves.", "", "### Families", "", families, "",
        "### Every genre", "", every, "", "### What each one is", "", sounds])


def genre_summary() -> str:
    """The README's sentence on the example patches and the genres they cover."""
    registry = _shipped()
    patches = patches_by_genre()
    count = sum(len(names) for names in patches.values())
    covered = sum(1 for genre in registry if genre.id in patches)
    which = (f"all {len(registry)} shipped genres" if covered == len(registry)
             else f"{covered} of the {len(registry)} shipped genres")
    text = (f"{count} example patches in `patches/` cover {which} "
            f"({', '.join(genre.id for genre in registry)}), several in keys and meters "
            "the genres seldom use: `make render-all` renders them all, and `livetimbre genres` "
            "lists the genres with their families and tempo ranges.")
    kept = re.sub(r"`[^`]*`", lambda m: m.group(0).replace(" ", "\0"), text)  # code unbroken
    return "\n".join(textwrap.wrap(kept, 90, break_on_hyphens=False)).replace("\0", " ")


def listening_set() -> str:
    """One row per example patch, as the patch loads: genre, key, meter, tempo, layers."""
    from livetimbre.patch.load import load_patch

    registry = _shipped()
    rows = []
    for path in sorted(PATCHES.glob("*.yaml")):
        session = load_patch(path, registry)
        rows.append((code(path.stem), session.genre, session.key, session.meter,
                     f"{session.tempo:g}", ", ".join(layer.name for layer in session.layers)))
    return table(("patch", "genre", "key", "meter", "BPM", "layers"), rows)
