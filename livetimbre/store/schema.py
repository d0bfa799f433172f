"""The store's schema and its versioned migrations.

`PRAGMA user_version` holds the version; `migrate` applies the missing migrations in
order, each with its version bump, in one write transaction (a crash leaves the old
version or the new one). A database from a newer livetimbre is refused, never changed.

- v1: artifacts (id, kind, name, sha256, size, media_type, created, recipe_hash, recipe,
  meta), artifact_tags (key → value), artifact_parents (what an artifact was made from).
- v2: the render cache: `last_used` and `evictable`, indexed for least-recently-used
  eviction.
"""

from __future__ import annotations

__all__ = ["LATEST", "MIGRATIONS", "migrate", "schema_version"]

import sqlite3
from collections.abc import Callable

from livetimbre.errors import StoreError
from livetimbre.store.db import write_transaction

Migration = Callable[[sqlite3.Connection], None]

_V1 = (
    """CREATE TABLE artifacts (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        media_type TEXT NOT NULL,
        created REAL NOT NULL,
        recipe_hash TEXT,
        recipe TEXT,
        meta TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX artifacts_kind ON artifacts (kind)",
    "CREATE INDEX artifacts_sha256 ON artifacts (sha256)",
    "CREATE INDEX artifacts_recipe ON artifacts (recipe_hash)",
    """CREATE TABLE artifact_tags (
        artifact_id TEXT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (artifact_id, key)
    )""",
    """CREATE TABLE artifact_parents (
        artifact_id TEXT NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
        parent_id TEXT NOT NULL,
        PRIMARY KEY (artifact_id, parent_id)
    )""",
    "CREATE INDEX artifact_parents_parent ON artifact_parents (parent_id)",
)

_V2 = (
    "ALTER TABLE artifacts ADD COLUMN last_used REAL NOT NULL DEFAULT 0",
    "UPDATE artifacts SET last_used = created",
    "ALTER TABLE artifacts ADD COLUMN evictable INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX artifacts_lru ON artifacts (evictable, last_used)",
)


def _statements(statements: tuple[str, ...]) -> Migration:
    def run(conn: sqlite3.Connection) -> None:
        for statement in statements:  # not executescript: it would commit first
            conn.execute(statement)

    return run


MIGRATIONS: tuple[Migration, ...] = (_statements(_V1), _statements(_V2))
LATEST = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Bring the database to version `target` (default: the latest); returns the version
    it had. StoreError for a database newer than this livetimbre knows."""
    before = schema_version(conn)
    if before == target:
        return before
    with write_transaction(conn):
        before = schema_version(conn)  # another process may have migrated meanwhile
        if before > LATEST:
            raise StoreError(f"The store's database is version {before}; this livetimbre "
                             f"knows versions up to {LATEST}: update livetimbre.")
        for number in range(before, target):
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return before
