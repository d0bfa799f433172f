"""The artifact store: `store.db` (SQLite, WAL) and `blobs/` under one folder.

Writing an artifact: the blob goes to a flushed temporary file first (outside any
lock); then, holding the database's write lock, it is renamed to its final name (or
dropped if a whole copy is there: deduplication) and the row, tags and parents are
inserted in the same transaction. A crash leaves at most an orphan blob or a temporary
file (`gc` removes both), never a row without its blob. Writers in several processes
take turns on the write lock (busy timeout); readers never wait (WAL).
"""

from __future__ import annotations

__all__ = ["Store"]

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from livetimbre.errors import StoreError
from livetimbre.files.read import shown_path
from livetimbre.store.blobs import Blobs, TempBlob
from livetimbre.store.db import BUSY_TIMEOUT_S, connect, write_transaction
from livetimbre.store.ids import check_artifact_id, new_id
from livetimbre.store.records import COLUMNS, Artifact, artifact_from_row
from livetimbre.store.schema import migrate

Chunks = bytes | bytearray | memoryview | Iterable[bytes | memoryview]


def _text(data: Any, what: str) -> str:
    try:
        return json.dumps(data, allow_nan=False, separators=(",", ":"))  # key order kept
    except (TypeError, ValueError) as exc:
        raise StoreError(f"The artifact's {what} cannot be stored as JSON: {exc}.") from None


class Store:
    """One artifact store folder; safe to share between threads of a process, and to
    open from several processes at once."""

    def __init__(self, root: Path, timeout: float = BUSY_TIMEOUT_S) -> None:
        self.root = root
        self.blobs = Blobs(root)
        self.db_path = root / "store.db"
        self._conn = connect(self.db_path, timeout)
        self._lock = threading.RLock()
        try:
            migrate(self._conn)
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"Cannot prepare the store database {shown_path(self.db_path)}:"
                             f" {exc}.") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The write lock of the database (and of this process's threads)."""
        with self._lock:
            try:
                with write_transaction(self._conn) as conn:
                    yield conn
            except sqlite3.Error as exc:
                raise StoreError(f"The store database {shown_path(self.db_path)} refused a "
                                 f"change: {exc}.") from None

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise StoreError(f"Cannot read the store database "
                                 f"{shown_path(self.db_path)}: {exc}.") from None

    # --- writing ------------------------------------------------------------------------
    def put(self, data: Chunks, kind: str, *, name: str = "",
            media_type: str = "application/octet-stream",
            meta: Mapping[str, Any] | None = None, recipe: Mapping[str, Any] | None = None,
            recipe_hash: str | None = None, tags: Mapping[str, str] | None = None,
            parents: Sequence[str] = (), evictable: bool = False) -> Artifact:
        """Store `data` (bytes or an iterable of chunks) as a new artifact of `kind`."""
        meta_text = _text(dict(meta or {}), "metadata")
        recipe_text = None if recipe is None else _text(dict(recipe), "recipe")
        parent_ids = [check_artifact_id(p) for p in parents]
        chunks: Iterable[bytes | memoryview] = (
            [memoryview(data)] if isinstance(data, bytes | bytearray | memoryview) else data)
        temp = self.blobs.write_temp(chunks)
        artifact_id = new_id()
        now = time.time()
        try:
            with self._writing() as conn:
                for parent in parent_ids:
                    if conn.execute("SELECT 1 FROM artifacts WHERE id = ?",
                                    (parent,)).fetchone() is None:
                        raise StoreError(f"No artifact {parent} to name as a parent.")
                self._publish(temp)
                conn.execute(
                    "INSERT INTO artifacts (id, kind, name, sha256, size, media_type, created, "
                    "last_used, recipe_hash, recipe, meta, evictable) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (artifact_id, kind, name, temp.sha256, temp.size, media_type, now, now,
                     recipe_hash, recipe_text, meta_text, int(evictable)))
                conn.executemany(
                    "INSERT INTO artifact_tags (artifact_id, key, value) VALUES (?, ?, ?)",
                    [(artifact_id, str(k), str(v)) for k, v in (tags or {}).items()])
                conn.executemany(
                    "INSERT INTO artifact_parents (artifact_id, parent_id) VALUES (?, ?)",
                    [(artifact_id, p) for p in parent_ids])
        finally:
            temp.path.unlink(missing_ok=True)  # still there if it was not published
        return self.get(artifact_id)

    def _publish(self, temp: TempBlob) -> None:
        try:
            self.blobs.publish(temp)
        except OSError as exc:
            raise StoreError(f"Cannot write blob {temp.sha256[:16]}… into the store: "
                             f"{exc.strerror or exc}.") from None

    def restore_blob(self, sha256: str, data: Chunks) -> bool:
        """Put back the blob of `sha256` from `data` (a regenerated copy); False if `data`
        is not that content."""
        chunks: Iterable[bytes | memoryview] = (
            [memoryview(data)] if isinstance(data, bytes | bytearray | memoryview) else data)
        temp = self.blobs.write_temp(chunks)
        try:
            if temp.sha256 != sha256:
                return False
            with self._writing():
                self._publish(temp)
            return True
        finally:
            temp.path.unlink(missing_ok=True)

    def touch(self, artifact_id: str) -> None:
        """Mark an artifact as just used (least-recently-used eviction)."""
        with self._writing() as conn:
            conn.execute("UPDATE artifacts SET last_used = ? WHERE id = ?",
                         (time.time(), artifact_id))

    def delete(self, artifact_ids: Sequence[str]) -> int:
        """Forget artifacts (rows first, then blobs nothing else uses); how many."""
        with self._writing() as conn:
            rows = [conn.execute("SELECT sha256 FROM artifacts WHERE id = ?", (i,)).fetchone()
                    for i in artifact_ids]
            conn.executemany("DELETE FROM artifacts WHERE id = ?", [(i,) for i in artifact_ids])
        self.drop_unreferenced({row[0] for row in rows if row is not None})
        return sum(1 for row in rows if row is not None)

    def drop_unreferenced(self, shas: Iterable[str]) -> int:
        """Remove the blobs among `shas` that no row uses (under the write lock, so a
        writer reusing one cannot lose it); how many were removed."""
        removed = 0
        with self._writing() as conn:
            for sha in shas:
                if conn.execute("SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1",
                                (sha,)).fetchone() is None:
                    try:
                        self.blobs.path_for(sha).unlink()
                        removed += 1
                    except (FileNotFoundError, StoreError):
                        pass
        return removed

    def evict(self, max_bytes: int) -> list[str]:
        """Forget evictable artifacts, least recently used first, until those left take
        at most `max_bytes`; returns the ids forgotten."""
        with self._writing() as conn:
            total = int(conn.execute("SELECT COALESCE(SUM(size), 0) FROM artifacts "
                                     "WHERE evictable = 1").fetchone()[0])
            gone: list[tuple[str, str]] = []
            if total > max_bytes:
                for artifact_id, sha, size in conn.execute(
                        "SELECT id, sha256, size FROM artifacts WHERE evictable = 1 "
                        "ORDER BY last_used, created").fetchall():
                    if total <= max_bytes:
                        break
                    gone.append((artifact_id, sha))
                    total -= int(size)
                conn.executemany("DELETE FROM artifacts WHERE id = ?",
                                 [(i,) for i, _ in gone])
        if gone:
            self.drop_unreferenced({sha for _, sha in gone})
        return [i for i, _ in gone]

    # --- reading ------------------------------------------------------------------------
    def get(self, artifact_id: str) -> Artifact:
        """The artifact with this id, or the only one whose id starts with it."""
        prefix = check_artifact_id(artifact_id)
        with self._reading() as conn:
            rows = conn.execute(f"SELECT {COLUMNS} FROM artifacts WHERE id >= ? AND id < ? "
                                "ORDER BY id LIMIT 2", (prefix, prefix + "g")).fetchall()
            if not rows:
                raise StoreError(f"No artifact {prefix} in the store (livetimbre artifacts "
                                 "list shows them).")
            if len(rows) > 1:
                raise StoreError(f"More than one artifact id starts with {prefix}: give more "
                                 "of it.")
            return artifact_from_row(conn, rows[0])

    def read(self, artifact: Artifact, verify: bool = True) -> bytes:
        """The artifact's content; size always checked, hash too with `verify`."""
        return self.blobs.read(artifact.sha256, artifact.size, verify)

    def chunks(self, artifact: Artifact) -> Iterator[bytes]:
        """The artifact's content in chunks, size checked (hash them to verify)."""
        return self.blobs.chunks(artifact.sha256, artifact.size)

    def find_recipe(self, recipe_hash: str, kind: str | None = None) -> Artifact | None:
        """The newest artifact made by the recipe `recipe_hash` (of `kind`, if given)."""
        query = f"SELECT {COLUMNS} FROM artifacts WHERE recipe_hash = ?"
        values: list[Any] = [recipe_hash]
        if kind is not None:
            query += " AND kind = ?"
            values.append(kind)
        with self._reading() as conn:
            row = conn.execute(query + " ORDER BY created DESC LIMIT 1", values).fetchone()
            return None if row is None else artifact_from_row(conn, row)

    def artifacts(self, kind: str | None = None, tag: str | None = None) -> list[Artifact]:
        """Every artifact (of `kind`; with tag `KEY` or `KEY=VALUE`), oldest first."""
        query = f"SELECT {COLUMNS} FROM artifacts WHERE 1 = 1"
        values: list[Any] = []
        if kind is not None:
            query += " AND kind = ?"
            values.append(kind)
        if tag is not None:
            key, has_value, value = tag.partition("=")
            query += (" AND id IN (SELECT artifact_id FROM artifact_tags WHERE key = ?"
                      + (" AND value = ?)" if has_value else ")"))
            values += [key, value] if has_value else [key]
        with self._reading() as conn:
            rows = conn.execute(query + " ORDER BY created, id", values).fetchall()
            return [artifact_from_row(conn, row) for row in rows]

    def children(self, artifact_id: str, kind: str | None = None) -> list[Artifact]:
        """The artifacts that name `artifact_id` as a parent (of `kind`), oldest first."""
        query = (f"SELECT {COLUMNS} FROM artifacts WHERE id IN (SELECT artifact_id FROM "
                 "artifact_parents WHERE parent_id = ?)")
        values: list[Any] = [check_artifact_id(artifact_id)]
        if kind is not None:
            query += " AND kind = ?"
            values.append(kind)
        with self._reading() as conn:
            rows = conn.execute(query + " ORDER BY created, id", values).fetchall()
            return [artifact_from_row(conn, row) for row in rows]

    def referenced(self) -> dict[str, tuple[int, list[str]]]:
        """sha256 → (size, ids of the artifacts using it)."""
        found: dict[str, tuple[int, list[str]]] = {}
        with self._reading() as conn:
            for artifact_id, sha, size in conn.execute(
                    "SELECT id, sha256, size FROM artifacts ORDER BY id"):
                found.setdefault(str(sha), (int(size), []))[1].append(str(artifact_id))
        return found

    def usage(self, evictable_only: bool = False) -> int:
        """Bytes the artifacts take (a blob shared by several counted for each)."""
        where = " WHERE evictable = 1" if evictable_only else ""
        with self._reading() as conn:
            return int(conn.execute(f"SELECT COALESCE(SUM(size), 0) FROM artifacts{where}"
                                    ).fetchone()[0])

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the write lock (no artifact is written meanwhile): for `verify` and `gc`
        to tell orphans from blobs whose row is on its way."""
        with self._writing():
            yield
