"""Someone else's secrets named as a livetimbre file: a shadow-style password list, a PEM
private key, a .pgpass line, given to every command-line surface that reads a file.

Each run is the real console command in a subprocess: it must fail with a one-line
error naming the file, and nothing of the file's content may appear on stdout, stderr,
in the log or in any file it leaves behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from livetimbre.errors import FileProblem
from livetimbre.track.jobs import Job, new_job
from livetimbre.track.request import ComposeRequest
from tests.hardening.secret_files import KINDS, leaks, write_secrets
from tests.live._support import SMALL_PATCH

pytestmark = pytest.mark.timeout(120)
JOB_ID = "20260101-120000-abc123"
Surface = Callable[[Path, Path, Path], list[str]]  # (secret, home, folder) -> arguments


def _play(secret: Path, home: Path, folder: Path) -> list[str]:
    return ["play", str(secret), "--output", "null", "--no-repl", "--osc-port", "0"]


def _render(secret: Path, home: Path, folder: Path) -> list[str]:
    return ["render", str(secret), "-o", str(folder / "out.wav"), "--synth", "basic"]


def _render_unsuffixed(secret: Path, home: Path, folder: Path) -> list[str]:
    return _render(secret.with_suffix(""), home, folder)  # the file itself, not the link


def _controller(secret: Path, home: Path, folder: Path) -> list[str]:
    patch = folder / "good.yaml"
    patch.write_text(SMALL_PATCH, encoding="utf-8")
    return ["play", str(patch), "--controller", str(secret), "--output", "null", "--no-repl",
            "--osc-port", "0"]


def _user_genre(secret: Path, home: Path, folder: Path) -> list[str]:
    (home / "genres").mkdir(parents=True)
    (home / "genres" / secret.name).symlink_to(secret)
    return ["genres"]


def _user_genre_at_play(secret: Path, home: Path, folder: Path) -> list[str]:
    patch = folder / "good.yaml"
    patch.write_text(SMALL_PATCH, encoding="utf-8")
    _user_genre(secret, home, folder)
    return ["play", str(patch), "--output", "null", "--no-repl", "--osc-port", "0"]


def _restore(secret: Path, home: Path, folder: Path) -> list[str]:
    home.mkdir(parents=True, exist_ok=True)
    (home / "autosave.yaml").write_bytes(secret.read_bytes())
    (home / "autosave.json").write_bytes(secret.read_bytes())
    return ["--restore", "--output", "null", "--osc-port", "0"]


def _resume(secret: Path, home: Path, folder: Path) -> list[str]:
    job = home / "jobs" / JOB_ID
    job.mkdir(parents=True)
    (job / "job.json").write_bytes(secret.read_bytes())
    return ["compose", "--resume", JOB_ID]


def _artifact_id(secret: Path, home: Path, folder: Path) -> list[str]:
    return ["artifacts", "show", str(secret)]


SURFACES: dict[str, Surface] = {
    "play": _play, "render": _render, "render-unsuffixed": _render_unsuffixed,
    "controller": _controller, "user-genre": _user_genre,
    "user-genre-at-play": _user_genre_at_play, "restore": _restore, "resume": _resume,
    "artifact-id": _artifact_id,
}


def _every_file(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_secret_file_is_refused_and_never_quoted(tmp_path: Path, surface: str,
                                                   kind: str) -> None:
    secrets_dir, home, folder = tmp_path / "secrets", tmp_path / "home", tmp_path / "work"
    folder.mkdir()
    secret = write_secrets(secrets_dir)[kind]
    args = SURFACES[surface](secret, home, folder)
    before = _every_file(secrets_dir)
    env = {**os.environ, "LIVETIMBRE_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "livetimbre.cli", *args],
                            capture_output=True, text=True, timeout=100, env=env,
                            stdin=subprocess.DEVNULL)
    said = result.stdout + result.stderr
    assert result.returncode == 2, said[-2000:]
    assert "Traceback" not in said
    assert said.count("livetimbre: error:") == 1, said[-2000:]
    written = {p: data for p, data in _every_file(tmp_path).items() if p not in before}
    written_text = "".join(data.decode("utf-8", "replace") for p, data in written.items()
                           if p.parent != home / "jobs" / JOB_ID and p.name != "autosave.yaml"
                           and p.name != "autosave.json")
    assert not (folder / "out.wav").exists() and not (folder / "out.wav.json").exists()
    for target in secrets_dir.iterdir():
        if not target.is_symlink():
            assert leaks(said, target) == [], f"{surface}: quoted {target.name}: {said}"
            assert leaks(written_text, target) == [], f"{surface}: wrote {target.name} out"
    assert _every_file(secrets_dir) == before


def _job(home: Path, folder: Path) -> Job:
    request = ComposeRequest(prompt="warm pads", duration=30, output=str(folder / "t.wav"))
    job = new_job(home, request)
    job.update(state="failed", pid=None, stages=["direction"])
    return job


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_secret_as_a_stage_spec_of_a_resumed_compose_is_never_quoted(
        tmp_path: Path, kind: str) -> None:
    secret = write_secrets(tmp_path / "secrets")[kind]
    home, folder = tmp_path / "home", tmp_path / "work"
    folder.mkdir()
    job = _job(home, folder)
    job.spec_path("direction").write_bytes(secret.read_bytes())
    env = {**os.environ, "LIVETIMBRE_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "livetimbre.cli", "compose", "--resume",
                             job.id], capture_output=True, text=True, timeout=100, env=env,
                            stdin=subprocess.DEVNULL)
    said = result.stdout + result.stderr
    assert result.returncode == 2 and "is damaged" in said, said[-2000:]
    record = (job.folder / "job.json").read_text(encoding="utf-8")
    assert "is damaged" in record  # the job remembers why it failed
    assert leaks(said, secret) == [] and leaks(record, secret) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_secret_as_an_intermediate_audio_file_is_never_quoted(tmp_path: Path,
                                                                kind: str) -> None:
    secret = write_secrets(tmp_path / "secrets")[kind]
    job = _job(tmp_path / "home", tmp_path)
    (job.folder / "audio").mkdir()
    job.array_path("mix").write_bytes(secret.read_bytes())
    with pytest.raises(FileProblem) as caught:
        job.load_array("mix")
    assert "not a NumPy array file" in str(caught.value)
    assert leaks(str(caught.value), secret) == []
