"""The artifact store in one process: schema and migrations, put/get/dedup, the blob-then-
row order, verify and gc, least-recently-used eviction, hostile files in the store."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from livetimbre.errors import StoreError
from livetimbre.store import Store, gc, verify
from livetimbre.store.blobs import Blobs
from livetimbre.store.db import connect
from livetimbre.store.schema import LATEST, migrate, schema_version

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "store") as opened:
        yield opened


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# --- schema ---------------------------------------------------------------------------------
def test_an_empty_folder_gets_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    Store(tmp_path / "store").close()
    conn = sqlite3.connect(tmp_path / "store" / "store.db")
    assert schema_version(conn) == LATEST == 2
    assert {"artifacts", "artifact_tags", "artifact_parents"} <= _tables(conn)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {row[1] for row in conn.execute("PRAGMA table_info(artifacts)")}
    assert {"id", "kind", "sha256", "size", "created", "last_used", "recipe_hash", "meta",
            "evictable"} <= columns


def test_a_v1_database_is_migrated_keeping_its_rows(tmp_path: Path) -> None:
    root = tmp_path / "store"
    blobs = Blobs(root)
    temp = blobs.write_temp([b"from v1"])
    blobs.publish(temp)
    conn = connect(root / "store.db")
    assert migrate(conn, target=1) == 0 and schema_version(conn) == 1
    conn.execute("INSERT INTO artifacts (id, kind, sha256, size, media_type, created) "
                 "VALUES (?, 'note', ?, ?, 'text/plain', 1000.0)",
                 ("a" * 32, temp.sha256, temp.size))
    conn.execute("INSERT INTO artifact_tags VALUES (?, 'origin', 'v1')", ("a" * 32,))
    conn.close()
    with Store(root) as store:
        artifact = store.get("aaaaaa")
        assert artifact.last_used == artifact.created == 1000.0 and not artifact.evictable
        assert artifact.tags == {"origin": "v1"} and store.read(artifact) == b"from v1"
        assert schema_version(sqlite3.connect(root / "store.db")) == LATEST
        assert verify(store).clean


def test_a_database_from_a_newer_livetimbre_is_refused_untouched(tmp_path: Path) -> None:
    Store(tmp_path / "store").close()
    conn = sqlite3.connect(tmp_path / "store" / "store.db")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(StoreError, match=f"version {LATEST + 1}; this livetimbre knows "
                                         f"versions up to {LATEST}"):
        Store(tmp_path / "store")


# --- put, get, dedup ------------------------------------------------------------------------
def test_put_and_get_with_tags_parents_and_a_content_addressed_blob(store: Store) -> None:
    data = os.urandom(100_000)
    parent = store.put(b"plan", "plan", media_type="application/json")
    artifact = store.put([data[:5000], data[5000:]], "track", name="t", meta={"bpm": 120},
                         recipe={"seed": 7}, recipe_hash="r" * 8, tags={"genre": "house"},
                         parents=[parent.id])
    sha = hashlib.sha256(data).hexdigest()
    assert artifact.sha256 == sha and artifact.size == len(data)
    assert store.blobs.path_for(sha) == store.root / "blobs" / sha[:2] / sha[2:4] / sha
    assert store.read(store.get(artifact.id[:8])) == data
    again = store.get(artifact.id)
    assert again.meta == {"bpm": 120} and again.recipe == {"seed": 7}
    assert again.parents == (parent.id,) and again.tags == {"genre": "house"}
    assert store.find_recipe("r" * 8) == again
    assert [a.id for a in store.artifacts(tag="genre=house")] == [artifact.id]
    assert [a.id for a in store.artifacts(kind="plan")] == [parent.id]
    assert store.artifacts(tag="genre=techno") == []


def test_the_same_content_is_one_blob(store: Store) -> None:
    first = store.put(b"x" * 4096, "clip")
    second = store.put(b"x" * 4096, "clip")
    assert first.id != second.id and first.sha256 == second.sha256
    assert [sha for sha, _ in store.blobs.scan()] == [first.sha256]
    assert list(store.blobs.tmp.iterdir()) == []
    store.delete([first.id])  # the blob stays while another artifact uses it
    assert store.read(store.get(second.id)) == b"x" * 4096
    store.delete([second.id])
    assert list(store.blobs.scan()) == []


def test_a_broken_copy_is_replaced_by_the_next_write_of_the_same_content(store: Store) -> None:
    first = store.put(b"y" * 4096, "clip")
    path = store.blobs.path_for(first.sha256)
    path.write_bytes(b"z" * 4096)  # same size, wrong content
    store.put(b"y" * 4096, "clip")
    assert path.read_bytes() == b"y" * 4096


def test_an_unknown_parent_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(StoreError, match="No artifact 0123456789 to name as a parent"):
        store.put(b"orphan?", "clip", parents=["0123456789"])
    assert store.artifacts() == [] and list(store.blobs.tmp.iterdir()) == []


# --- order of writes --------------------------------------------------------------------------
def test_a_failure_after_the_blob_leaves_an_orphan_never_a_row(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish = Blobs.publish

    def publish_then_fail(self: Blobs, temp: object) -> bool:
        assert publish(self, temp)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Blobs, "publish", publish_then_fail)
    with pytest.raises(StoreError, match="No space left on device"):
        store.put(b"half-way", "clip")
    monkeypatch.undo()
    assert store.artifacts() == []
    report = verify(store)
    assert [p.name for p in report.orphans] == [hashlib.sha256(b"half-way").hexdigest()]
    assert not (report.corrupted or report.missing or report.temps)
    assert gc(store).orphans == 1 and verify(store).clean


def test_a_failing_source_leaves_no_temporary_file(store: Store) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b"part one"
        raise RuntimeError("the renderer died")

    with pytest.raises(RuntimeError):
        store.put(chunks(), "clip")
    assert list(store.blobs.tmp.iterdir()) == [] and list(store.blobs.scan()) == []


# --- verify and gc -----------------------------------------------------------------------------
def test_verify_reports_corrupted_missing_and_orphaned_blobs(store: Store) -> None:
    corrupted = store.put(b"a" * 1000, "clip")
    missing = store.put(b"b" * 1000, "clip")
    fine = store.put(b"c" * 1000, "clip")
    store.blobs.path_for(corrupted.sha256).write_bytes(b"A" * 1000)
    store.blobs.path_for(missing.sha256).unlink()
    store.blobs.publish(store.blobs.write_temp([b"nobody's"]))
    report = verify(store)
    assert [(sha, ids) for sha, _, ids in report.corrupted] == [(corrupted.sha256, [corrupted.id])]
    assert report.missing == [(missing.sha256, [missing.id])]
    assert [p.name for p in report.orphans] == [hashlib.sha256(b"nobody's").hexdigest()]
    assert not report.clean and report.bytes_checked == 1000
    assert any(fine.id not in line for line in report.lines())


def test_gc_removes_orphans_dead_writers_temporary_files_and_cache_rows_without_blobs(
    store: Store,
) -> None:
    cached = store.put(b"d" * 1000, "clip", evictable=True)
    kept = store.put(b"e" * 1000, "track")
    store.blobs.path_for(cached.sha256).unlink()
    store.blobs.path_for(kept.sha256).unlink()
    store.blobs.publish(store.blobs.write_temp([b"orphan"]))
    (store.blobs.tmp / "999999999-abc.tmp").write_bytes(b"half")  # no such process
    (store.blobs.tmp / f"{os.getpid()}-live.tmp").write_bytes(b"being written")
    result = gc(store)
    assert (result.orphans, result.temps, result.forgotten) == (1, 1, [cached.id])
    assert (store.blobs.tmp / f"{os.getpid()}-live.tmp").exists()
    report = verify(store)  # a user's artifact is never dropped: regen may bring it back
    assert report.missing == [(kept.sha256, [kept.id])] and not report.orphans


def test_hostile_entries_in_the_blob_folder_are_refused_not_followed(
    store: Store, tmp_path: Path
) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"s" * 100)
    linked = store.put(b"s" * 100, "clip")
    fifo = store.put(b"f" * 100, "clip")
    store.blobs.path_for(linked.sha256).unlink()
    store.blobs.path_for(linked.sha256).symlink_to(secret)
    store.blobs.path_for(fifo.sha256).unlink()
    os.mkfifo(store.blobs.path_for(fifo.sha256))
    with pytest.raises(StoreError, match="cannot be opened"):
        store.read(store.get(linked.id))
    with pytest.raises(StoreError, match="corrupted: not a regular file"):
        store.read(store.get(fifo.id))  # does not block on the FIFO
    (store.blobs.folder / "zz").mkdir()
    report = verify(store)
    assert {sha for sha, _, _ in report.corrupted} == {linked.sha256, fifo.sha256}
    assert {p.name for p in report.strays} == {"zz", linked.sha256, fifo.sha256}


def test_a_database_path_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    os.mkfifo(tmp_path / "store" / "store.db")
    with pytest.raises(StoreError, match="not a regular file"):
        Store(tmp_path / "store")


# --- eviction ------------------------------------------------------------------------------------
def test_eviction_drops_the_least_recently_used_cache_artifacts_only(store: Store) -> None:
    mine = store.put(b"t" * 3000, "track")  # not evictable
    a, b, c = (store.put(bytes([n]) * 1000, "clip", evictable=True) for n in range(3))
    store.touch(a.id)  # a is now the most recently used
    assert store.evict(2000) == [b.id]
    assert store.usage(evictable_only=True) == 2000
    assert store.evict(0) == [c.id, a.id]
    assert [x.id for x in store.artifacts()] == [mine.id]
    assert [sha for sha, _ in store.blobs.scan()] == [mine.sha256]
