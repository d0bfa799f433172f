"""`livetimbre artifacts …` through `main`: exit codes, one-paragraph errors, and ids and
export paths that try to leave their folder refused with the value named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from livetimbre.cli import main
from livetimbre.config import Settings
from livetimbre.errors import StoreError
from livetimbre.store import Store, check_artifact_id, check_file_stem, export_artifact

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def store() -> Store:
    with Store(Settings.from_env().store_dir) as opened:  # in the tests' LIVETIMBRE_HOME
        yield opened


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["artifacts", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_show_and_export(store: Store, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    artifact = store.put(b"\x93NUMPY...", "clip", name="bass@a", tags={"layer": "bass"},
                         media_type="application/x-npy", meta={"frames": 4})
    store.put(b"other", "track")
    code, out, _ = _run(capsys, "list", "--kind", "clip")
    assert code == 0 and artifact.id[:12] in out and "bass@a" in out and "1 artifacts" in out
    code, out, _ = _run(capsys, "list", "--tag", "layer=bass")
    assert code == 0 and "1 artifacts" in out
    code, out, _ = _run(capsys, "show", artifact.id[:8])
    assert code == 0 and json.loads(out)["meta"] == {"frames": 4}
    code, out, _ = _run(capsys, "export", artifact.id, str(tmp_path))
    assert code == 0
    assert (tmp_path / f"{artifact.id}.npy").read_bytes() == b"\x93NUMPY..."
    sidecar = json.loads((tmp_path / f"{artifact.id}.npy.json").read_text())
    assert sidecar["livetimbre_artifact"]["sha256"] == artifact.sha256


def test_verify_exit_codes_and_gc(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "verify")[0] == 0
    corrupted = store.put(b"a" * 100, "clip")
    missing = store.put(b"b" * 100, "clip")
    store.blobs.path_for(corrupted.sha256).write_bytes(b"!" * 100)
    store.blobs.path_for(missing.sha256).unlink()
    store.blobs.publish(store.blobs.write_temp([b"orphan"]))
    code, out, _ = _run(capsys, "verify")
    assert code == 1
    assert f"corrupted: blob {corrupted.sha256}" in out and corrupted.id in out
    assert f"missing: blob {missing.sha256}" in out and "orphan: " in out
    store.delete([corrupted.id, missing.id])
    code, out, _ = _run(capsys, "gc")
    assert code == 0 and "removed 1 orphan blobs" in out  # delete took the others
    assert _run(capsys, "verify")[0] == 0


def test_gc_evicts_the_cache_to_max_mb(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(3):
        store.put(bytes([n]) * 600_000, "clip", evictable=True)
    code, out, _ = _run(capsys, "gc", "--max-mb", "1")
    assert code == 0 and "evicted 2 cache artifacts" in out
    assert len(store.artifacts()) == 1
    code, _, err = _run(capsys, "gc", "--max-mb", "-1")
    assert code == 2 and "--max-mb -1: use 0 or more megabytes" in err


@pytest.mark.parametrize("bad", ["../etc/passwd", "/etc/passwd", "ab\x00cdef12", "abc",
                                 "zzzzzzzz", "0" * 33, "", "..", "a1b2c3/../x"])
def test_ids_that_are_not_ids_are_refused_with_the_value(
    bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(StoreError, match="Not an artifact id: "):
        check_artifact_id(bad)
    for action in (["show", bad], ["export", bad, "."], ["regen", bad]):
        code, out, err = _run(capsys, *action)
        assert code == 2 and out == ""
        assert err.startswith("livetimbre: error: Not an artifact id: ")
        assert repr(bad)[1:-1][:20] in err and "Traceback" not in err


def test_an_unknown_or_ambiguous_id(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "show", "abcdef")
    assert code == 2 and "No artifact abcdef in the store" in err
    assert check_artifact_id("0F8FAD5B-D9CB-469F-A165-70867728950E") == (
        "0f8fad5bd9cb469fa16570867728950e")


@pytest.mark.parametrize("stem", ["../x", "/tmp/x", "a/b", ".hidden", "a\x00b", "..", "x" * 101])
def test_export_names_that_leave_the_folder_are_refused(
    store: Store, tmp_path: Path, stem: str
) -> None:
    artifact = store.put(b"data", "clip")
    with pytest.raises(StoreError, match="Not a file name livetimbre writes"):
        check_file_stem(stem)
    with pytest.raises(StoreError):
        export_artifact(store, artifact, tmp_path, stem)
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_symlink_out_of_the_folder_and_non_folders(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    artifact = store.put(b"data", "clip")
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / f"{artifact.id}.bin").symlink_to(outside)
    code, _, err = _run(capsys, "export", artifact.id, str(folder))
    assert code == 2 and "is a symlink" in err and outside.read_text() == "precious"
    (folder / f"{artifact.id}.bin").unlink()
    os.mkfifo(folder / f"{artifact.id}.bin.json")
    code, _, err = _run(capsys, "export", artifact.id, str(folder))
    assert code == 2 and "not a regular file" in err
    code, _, err = _run(capsys, "export", artifact.id, str(outside))
    assert code == 2 and "it is not a folder" in err
    code, _, err = _run(capsys, "export", artifact.id, "out\x00put")
    assert code == 2 and "NUL byte" in err


def test_export_refuses_a_corrupted_blob(store: Store, tmp_path: Path) -> None:
    artifact = store.put(b"good data", "clip")
    store.blobs.path_for(artifact.sha256).write_bytes(b"evil data")
    with pytest.raises(StoreError, match="corrupted"):
        export_artifact(store, artifact, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_regen_of_a_kind_it_cannot_build_says_so(store: Store,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    artifact = store.put(b"a stem", "stem")
    code, _, err = _run(capsys, "regen", artifact.id)
    assert code == 2 and "is of kind 'stem': livetimbre cannot regenerate that kind yet" in err
    track = store.put(b"a mix", "track")  # a track, but with no recipe to compose it from
    code, _, err = _run(capsys, "regen", track.id)
    assert code == 2 and "has no usable compose recipe" in err and "Traceback" not in err


def test_the_cache_limit_comes_from_livetimbre_cache_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.config import DEFAULT_CACHE_MB
    from livetimbre.errors import ConfigError

    assert Settings.from_env().cache_bytes == DEFAULT_CACHE_MB * 2**20
    monkeypatch.setenv("LIVETIMBRE_CACHE_MB", "64")
    assert Settings.from_env().cache_bytes == 64 * 2**20
    monkeypatch.setenv("LIVETIMBRE_CACHE_MB", "-5")
    with pytest.raises(ConfigError, match="LIVETIMBRE_CACHE_MB='-5'"):
        Settings.from_env()
