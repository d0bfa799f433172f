"""Reading and writing user files: regular files only, bounded, atomic, with the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from livetimbre.errors import FileProblem, PatchError
from livetimbre.files.read import excerpt, read_user_text
from livetimbre.files.write import atomic_path, check_output_path, write_json
from livetimbre.files.yamlsource import MAX_DEPTH, load_yaml


def _read(path: Path, limit: int = 1 << 20) -> str:
    return read_user_text(path, "patch file", PatchError, limit)


def test_reads_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("session: {genre: house}\n", encoding="utf-8")
    assert _read(path) == "session: {genre: house}\n"


@pytest.mark.parametrize(("name", "make", "says"), [
    ("device", lambda d: Path("/dev/zero"), "character device"),
    ("folder", lambda d: d, "a folder"),
    ("fifo", lambda d: (os.mkfifo(d / "f"), d / "f")[1], "FIFO"),
    ("missing", lambda d: d / "nope.yaml", "not found"),
    ("nul", lambda d: Path(f"{d}/a\x00b"), "NUL byte"),
])
def test_refuses_what_is_not_a_regular_file(tmp_path: Path, name: str, make, says: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PatchError, match=says):
        _read(make(tmp_path))


def test_refuses_a_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(PatchError, match="Cannot read patch file"):
        _read(tmp_path / "a")


def test_refuses_a_big_sparse_file_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as handle:
        handle.truncate(1 << 30)
    with pytest.raises(PatchError, match=r"1,073,741,824 bytes; the limit is 1,048,576"):
        _read(path)


def test_undecodable_text_names_line_and_column_not_content(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"session:\n  genre: h\xffouse secret-stuff\n")
    with pytest.raises(PatchError) as info:
        _read(path)
    assert f"{path}:2:11: patch file is not UTF-8 text (byte 0xff)" in str(info.value)
    assert "secret" not in str(info.value)


def test_excerpts_are_short_and_escaped() -> None:
    assert excerpt("a\nb") == "'a\\nb'"
    long = excerpt("x" * 5_000_000)
    assert len(long) <= 40 and long.endswith("...'")


def test_yaml_aliases_depth_and_recursion_are_refused() -> None:
    for text, says in (("a: &a [*a]", "aliases"), ("x: &x 1\ny: *x", "aliases"),
                       ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "nested deeper")):
        with pytest.raises(PatchError, match=says):
            load_yaml(text, "p.yaml", PatchError)


def test_atomic_write_replaces_a_file_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "set.yaml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["set.yaml"]  # no temp file left


def test_a_new_file_gets_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_json(tmp_path / "x.json", {"a": 1})
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.json").stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "set.yaml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["set.yaml"]


def test_a_symlink_is_followed_to_its_regular_target(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    with atomic_path(link) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize(("make", "says"), [
    (lambda d: Path("/dev/null"), "not a regular file"),
    (lambda d: d, "a folder"),
    (lambda d: (os.mkfifo(d / "f"), d / "f")[1], "not a regular file"),
    (lambda d: d / "missing" / "x.yaml", "does not exist"),
    (lambda d: Path(f"{d}/a\x00b"), "NUL byte"),
])
def test_refuses_to_replace_anything_but_a_regular_file(tmp_path: Path, make, says: str) -> None:  # type: ignore[no-untyped-def]
    target = make(tmp_path)
    with pytest.raises(FileProblem, match=says):
        check_output_path(target)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_loop_is_refused_for_writing(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(FileProblem):
        check_output_path(tmp_path / "a")
