"""The store's SQLite connection: WAL mode (readers never wait for the writer), a busy
timeout (writers from several processes take turns), full sync, foreign keys; and the
write transaction every change runs in (`BEGIN IMMEDIATE`: the write lock up front)."""

from __future__ import annotations

__all__ = ["BUSY_TIMEOUT_S", "connect", "write_transaction"]

import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from livetimbre.errors import StoreError
from livetimbre.files.read import shown_path

BUSY_TIMEOUT_S = 60.0


def _check_regular(path: Path) -> None:
    """A database path that exists must be a regular file (not a FIFO, device, link)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"Cannot open the store database {shown_path(path)}: "
                         f"{exc.strerror or exc}.") from None
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"Cannot open the store database {shown_path(path)}: it is not a "
                         "regular file.")


def connect(path: Path, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open (or create) the database at `path` in WAL mode, in autocommit mode: changes
    happen inside `write_transaction` only."""
    for suffix in ("", "-wal", "-shm"):
        _check_regular(path.with_name(path.name + suffix))
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        _wal(conn, timeout)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open the store database {shown_path(path)}: {exc}.") from None
    return conn


def _wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Switch to WAL (kept in the file); another process doing the same may hold the lock."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
            continue
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"journal mode {mode}, not WAL")
        return


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block holding the database's write lock; commit if it ends without an
    error, roll back otherwise."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
