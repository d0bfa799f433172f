"""`livetimbre play --no-repl` end to end, as a subprocess: recording, SIGTERM, kill -9 and
--restore."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import soundfile

from livetimbre.patch import load_patch
from tests.live._support import SMALL_PATCH, genres, underrun_note, write_patch

RATE = 48000


class Cli:
    """`python -m livetimbre.cli ARGS` in its own session, stderr to a file."""

    def __init__(self, args: list[str], folder: Path, name: str) -> None:
        self.err_path = folder / f"{name}.stderr"
        with self.err_path.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "livetimbre.cli", *args], cwd=folder,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                env=dict(os.environ), start_new_session=True,
            )

    @property
    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.stderr)
            if found:
                return found
            if self.proc.poll() is not None:
                pytest.fail(f"exited {self.proc.returncode} before {pattern!r}:\n{self.stderr}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {pattern!r} after {timeout:g} s:\n{self.stderr}")
            time.sleep(0.05)

    def terminate(self, timeout: float = 20.0) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def group_gone(self, timeout: float = 10.0) -> bool:
        """True once no process of this run's session (workers, tracker) is left."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.1)
        return False

    def cleanup(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # any render worker left behind


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[list[Cli]]:
    started: list[Cli] = []
    yield started
    for process in started:
        process.cleanup()


def _run(cli: list[Cli], tmp_path: Path, name: str, *args: str) -> Cli:
    process = Cli(list(args), tmp_path, name)
    cli.append(process)
    return process


def _home() -> Path:
    return Path(os.environ["LIVETIMBRE_HOME"])


def test_headless_play_records_and_stops_cleanly_on_sigterm(
    tmp_path: Path, cli: list[Cli]
) -> None:
    patch = write_patch(tmp_path)
    out = tmp_path / "out.wav"
    play = _run(cli, tmp_path, "play", "play", str(patch), "--output", "null", "--no-repl",
                "--record", str(out))
    play.wait_for(r"running headless")
    time.sleep(8.0)
    assert play.terminate() == 0, play.stderr
    err = play.stderr
    assert "Traceback" not in err, err
    assert "null output" in err
    assert f"recording to {out}" in err and f"recording saved to {out}" in err
    for slot in ("drums@one", "bass@one", "drums@two", "chords@two"):
        assert f"✓ {slot} ready" in err
    stopped = re.search(r"stopped after ([0-9.]+) s of audio, (\d+) underruns", err)
    assert stopped, err
    played = float(stopped.group(1))
    assert 7.0 <= played <= 15.0, err
    assert int(stopped.group(2)) == 0, underrun_note(int(stopped.group(2)))

    info = soundfile.info(str(out))
    assert info.samplerate == RATE and info.channels == 2
    assert abs(info.frames / RATE - played) <= 1.0, (info.frames, played)
    sidecar = json.loads(out.with_name("out.wav.json").read_text())
    assert sidecar["kind"] == "recording"
    assert sidecar["frames"] == info.frames
    assert sidecar["sample_rate"] == RATE
    assert sidecar["underruns"] <= int(stopped.group(2))  # written just before the end
    assert sidecar["dropped_frames"] == 0
    assert sidecar["patch"]["session"]["genre"] == "house"
    assert not list(tmp_path.glob(".out.wav*")), "temporary recording file left"
    # The autosave written on the way out is the patch's session.
    assert load_patch(_home() / "autosave.yaml", genres()) == load_patch(patch, genres())
    assert play.group_gone(), "render workers outlived the app"


# Adds scene three, so the restored run must render a clip the first run never had.
EDITED = SMALL_PATCH.replace("tempo: 124", "tempo: 118") + (
    '  - name: three\n    clips: {bass: "rolling bassline"}\n')


def test_kill_9_then_restore_brings_back_the_autosaved_session(
    tmp_path: Path, cli: list[Cli]
) -> None:
    patch = write_patch(tmp_path)
    autosave = _home() / "autosave.yaml"
    play = _run(cli, tmp_path, "play", "play", str(patch), "--output", "null", "--no-repl")
    play.wait_for(r"running headless")
    play.wait_for(r"✓ chords@two ready")  # the patch watcher is surely up by now
    edited = write_patch(tmp_path, EDITED, "edited.yaml")
    expected = load_patch(edited, genres())
    patch.write_text(EDITED, encoding="utf-8")  # hot reload → a change → autosave
    play.wait_for(r"↻ loaded")

    deadline = time.monotonic() + 10
    while not (autosave.exists() and load_patch(autosave, genres()) == expected):
        assert time.monotonic() < deadline, f"no autosave of the edited session:\n{play.stderr}"
        time.sleep(0.1)
    play.proc.send_signal(signal.SIGKILL)
    assert play.proc.wait(10) == -signal.SIGKILL
    assert play.group_gone(), "render workers outlived a killed app"
    assert load_patch(autosave, genres()) == expected

    restore = _run(cli, tmp_path, "restore", "--restore", "--output", "null", "--no-repl")
    restore.wait_for(r"running headless")
    restore.wait_for(r"✓ bass@three ready")
    time.sleep(0.5)
    assert restore.terminate() == 0, restore.stderr
    err = restore.stderr
    assert f"restored the session autosaved in {autosave}" in err
    assert f"watching {patch} again (the patch it came from)" in err
    assert "Traceback" not in err, err
    stopped = re.search(r"stopped after [0-9.]+ s of audio, (\d+) underruns", err)
    assert stopped, err
    assert int(stopped.group(1)) == 0, underrun_note(int(stopped.group(1)))
    assert load_patch(autosave, genres()) == expected


def test_a_crashed_sessions_autosave_is_kept_when_a_new_one_starts(
    tmp_path: Path, cli: list[Cli]
) -> None:
    edited = write_patch(tmp_path, EDITED, "edited.yaml")
    autosave = _home() / "autosave.yaml"
    crashed = _run(cli, tmp_path, "crashed", "play", str(edited), "--output", "null",
                   "--no-repl")
    crashed.wait_for(r"running headless")
    deadline = time.monotonic() + 10
    while not autosave.exists():
        assert time.monotonic() < deadline, crashed.stderr
        time.sleep(0.1)
    crashed.proc.send_signal(signal.SIGKILL)
    crashed.proc.wait(10)
    patch = write_patch(tmp_path)
    # --output auto: with no sound card (as in CI), a bounded recording is announced
    play = _run(cli, tmp_path, "play", "play", str(patch), "--output", "auto", "--no-repl")
    play.wait_for(r"running headless")
    assert play.terminate() == 0, play.stderr
    kept = _home() / "autosave.1.yaml"
    assert f"its autosave is kept as {kept} (livetimbre play {kept} brings it back)" in (
        play.stderr)
    assert load_patch(kept, genres()) == load_patch(edited, genres())
    if "playing on a real-time null output" in play.stderr:  # no sound card here
        assert "(the first 60 minutes) (--no-record plays without recording)" in play.stderr
        assert list((_home() / "recordings").glob("livetimbre-*.flac"))
    assert load_patch(autosave, genres()) == load_patch(patch, genres())
    assert not (_home() / "session.pid").exists()  # this one stopped cleanly


def test_autosave_follows_the_played_patch_soon_after_start(
    tmp_path: Path, cli: list[Cli]
) -> None:
    stale = write_patch(tmp_path, EDITED, "earlier.yaml")
    autosave = _home() / "autosave.yaml"
    autosave.write_text(stale.read_text())  # left by an earlier performance
    patch = write_patch(tmp_path)
    play = _run(cli, tmp_path, "play", "play", str(patch), "--output", "null", "--no-repl")
    play.wait_for(r"running headless")
    time.sleep(3.0)
    play.proc.send_signal(signal.SIGKILL)
    play.proc.wait(10)
    assert load_patch(autosave, genres()) == load_patch(patch, genres())
