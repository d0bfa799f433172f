"""`livetimbre models list | pull | rm` against a Hugging Face cache built by hand (the
layout huggingface_hub's scan_cache_dir reads: models--ORG--NAME with blobs, snapshots
linking into them and refs/main) in a private HF_HOME, and beat_this weights in
$LIVETIMBRE_HOME/models/beat_this. Each command runs as its own process, as a user runs
it, so HF_HOME is read the way huggingface_hub reads it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.timeout(60)
# Both cached models have this commit: a copy of a model under a second id shares its
# history, and `rm` of one must not delete the other.
REVISION = "0123456789abcdef0123456789abcdef01234567"


def _cached_model(hub: Path, repo_id: str, files: dict[str, int]) -> Path:
    """A model in the cache: each file a symlink from the snapshot to its blob."""
    repo = hub / f"models--{repo_id.replace('/', '--')}"
    snapshot = repo / "snapshots" / REVISION
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for name, size in files.items():
        data = (name.encode() * size)[:size]
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / name).symlink_to(Path("..") / ".." / "blobs" / blob.name)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(REVISION)
    return repo


@pytest.fixture()
def hf_home(tmp_path: Path) -> Path:
    hub = tmp_path / "hf" / "hub"
    _cached_model(hub, "acme/musicgen-tiny", {"config.json": 1000,
                                              "model.safetensors": 3096})  # 4.0 KB
    _cached_model(hub, "acme/other-model", {"config.json": 2048})  # 2.0 KB
    weights = Path(os.environ["LIVETIMBRE_HOME"]) / "models" / "beat_this" / "final0.ckpt"
    weights.parent.mkdir(parents=True)
    weights.write_bytes(b"\0" * 512)
    return tmp_path / "hf"


def _python(code: str, hf_home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HUB_OFFLINE")}
    environment.update(PYTHONPATH=str(REPO), HF_HOME=str(hf_home), **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=50, env=environment)


def _models(hf_home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    code = ("from livetimbre.cli import main\n"
            f"raise SystemExit(main(['models', *{list(args)!r}]))")
    return _python(code, hf_home, **env)


def _one_paragraph_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("livetimbre: error: ")
    assert done.stderr.count("\n") == 1, f"not one paragraph: {done.stderr!r}"
    return done.stderr


def _listing(hf_home: Path) -> dict[str, list[str]]:
    done = _models(hf_home, "list")
    assert done.returncode == 0 and not done.stderr, done.stderr
    return {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()}


def test_list_shows_each_model_and_its_size_on_disk(hf_home: Path) -> None:
    assert _listing(hf_home) == {
        "acme/musicgen-tiny": ["4.0", "KB", "musicgen"],
        "acme/other-model": ["2.0", "KB", "model"],
        "beat_this:final0": ["512", "B", "beat", "tracker"],
    }


def test_rm_deletes_that_model_and_nothing_else(hf_home: Path) -> None:
    repo = hf_home / "hub" / "models--acme--musicgen-tiny"
    done = _models(hf_home, "rm", "acme/musicgen-tiny")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "removed acme/musicgen-tiny (4.0 KB freed)"
    assert not repo.exists()
    assert (hf_home / "hub" / "models--acme--other-model").is_dir()
    assert set(_listing(hf_home)) == {"acme/other-model", "beat_this:final0"}
    done = _models(hf_home, "rm", "beat_this")
    assert done.returncode == 0 and "removed beat_this (512 B freed)" in done.stdout
    assert set(_listing(hf_home)) == {"acme/other-model"}


def test_rm_of_a_model_not_on_disk_is_one_clear_paragraph(hf_home: Path) -> None:
    error = _one_paragraph_error(_models(hf_home, "rm", "acme/not-here"))
    assert "acme/not-here is not in the model cache" in error
    assert "livetimbre models list" in error
    error = _one_paragraph_error(_models(hf_home, "rm", "beat_this:final1"))
    assert "beat_this:final1 is not on disk" in error


HOSTILE = ["../x", "acme/../../x", "/etc/passwd", "~/x", "", "  ", "beat_this:../../victim",
           "beat_this:/tmp/victim", "beat_this:", "a/b/c", "acme/x:y"]


def test_hostile_ids_are_refused_and_touch_nothing(hf_home: Path) -> None:
    # A .ckpt the traversal 'beat_this:../../victim' would reach from models/beat_this.
    victim = Path(os.environ["LIVETIMBRE_HOME"]) / "victim.ckpt"
    victim.write_bytes(b"keep me")
    before = sorted(p.relative_to(hf_home) for p in hf_home.rglob("*"))
    # One process runs every command (main() once per id), to keep the test quick.
    code = ("import contextlib, io, json\n"
            "from livetimbre.cli import main\n"
            "out = []\n"
            f"for argv in {[[a, h] for h in HOSTILE for a in ('rm', 'pull')]!r}:\n"
            "    err = io.StringIO()\n"
            "    with contextlib.redirect_stderr(err):\n"
            "        code = main(['models', *argv])\n"
            "    out.append([argv, code, err.getvalue()])\n"
            "print(json.dumps(out))\n")
    done = _python(code, hf_home, HF_HUB_OFFLINE="1")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    results = json.loads(done.stdout)
    assert len(results) == 2 * len(HOSTILE)
    for argv, code, stderr in results:
        assert code == 2, argv
        assert stderr.startswith("livetimbre: error: ") and stderr.count("\n") == 1, argv
        assert "is not a model id" in stderr, (argv, stderr)
    assert victim.read_bytes() == b"keep me"
    assert sorted(p.relative_to(hf_home) for p in hf_home.rglob("*")) == before


@pytest.mark.parametrize("model", ["facebook/musicgen-small", "beat_this"])
def test_pull_offline_names_the_pull_command(hf_home: Path, model: str) -> None:
    error = _one_paragraph_error(_models(hf_home, "pull", model, HF_HUB_OFFLINE="1"))
    assert "offline" in error and f"livetimbre models pull {model}" in error
    assert not (hf_home / "hub" / "models--facebook--musicgen-small").exists()


def test_list_of_an_empty_cache_says_how_to_get_a_model(tmp_path: Path) -> None:
    done = _models(tmp_path / "no-such-hf-home", "list")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("no models on disk: livetimbre models pull "
                                   "facebook/musicgen-small")
