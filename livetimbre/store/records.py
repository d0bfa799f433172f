"""What the store says about one artifact: its row, tags and parents, as a frozen record."""

from __future__ import annotations

__all__ = ["Artifact", "artifact_from_row"]

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from livetimbre.errors import StoreError

COLUMNS = ("id, kind, name, sha256, size, media_type, created, last_used, recipe_hash, "
           "recipe, meta, evictable")


@dataclass(frozen=True)
class Artifact:
    """One artifact: a blob (`sha256`, `size`) and what it is (`kind`, `meta`), how it
    was made (`recipe`, `recipe_hash`) and what it was made from (`parents`)."""

    id: str
    kind: str
    name: str
    sha256: str
    size: int
    media_type: str
    created: float
    last_used: float
    recipe_hash: str | None
    recipe: dict[str, Any] | None
    meta: dict[str, Any]
    evictable: bool
    tags: dict[str, str] = field(default_factory=dict)
    parents: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """Everything as plain data (`show`, the export sidecar)."""
        return {"id": self.id, "kind": self.kind, "name": self.name, "sha256": self.sha256,
                "size": self.size, "media_type": self.media_type, "created": self.created,
                "last_used": self.last_used, "recipe_hash": self.recipe_hash,
                "evictable": self.evictable, "tags": dict(self.tags),
                "parents": list(self.parents), "meta": self.meta, "recipe": self.recipe}


def _json(text: str | None, what: str, artifact_id: str) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise StoreError(f"Artifact {artifact_id}: its {what} is not valid JSON (the "
                         "database was changed by hand?).") from None


def artifact_from_row(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Artifact:
    """The record of a row selected with `COLUMNS`, with its tags and parents."""
    (artifact_id, kind, name, sha256, size, media_type, created, last_used, recipe_hash,
     recipe, meta, evictable) = row
    tags = dict(conn.execute("SELECT key, value FROM artifact_tags WHERE artifact_id = ? "
                             "ORDER BY key", (artifact_id,)).fetchall())
    parents = tuple(p for (p,) in conn.execute(
        "SELECT parent_id FROM artifact_parents WHERE artifact_id = ? ORDER BY parent_id",
        (artifact_id,)))
    meta_data = _json(meta, "metadata", artifact_id)
    recipe_data = _json(recipe, "recipe", artifact_id)
    return Artifact(str(artifact_id), str(kind), str(name), str(sha256), int(size),
                    str(media_type), float(created), float(last_used),
                    None if recipe_hash is None else str(recipe_hash),
                    recipe_data if isinstance(recipe_data, dict) else None,
                    meta_data if isinstance(meta_data, dict) else {}, bool(evictable),
                    tags, parents)
