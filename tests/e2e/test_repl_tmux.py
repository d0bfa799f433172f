"""The REPL end to end: `livetimbre play` in a real terminal (tmux), audio on JACK."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

PATCH = """
session: {genre: house, tempo: 100, key: A minor, seed: 4, bars: 4}
layers:
  drums: {}
  bass: {}
scenes:
  - name: one
    clips: {bass: "offbeat bass"}
  - name: two
    clips: {bass: "rolling bass"}
"""


class Terminal:
    """A tmux session running one command."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name = name
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        line = f"env {exports} {' '.join(command)}; sleep 60"
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "45", line],
                       check=True)

    def send(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, predicate, what: str, timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], check=False)


def _drums_cell(screen: str) -> str:
    """The text of the drums × scene 1 cell in the grid pane."""
    for line in screen.splitlines():
        if line.startswith("drums "):
            return line[6:].strip().split("  ")[0]
    return ""


def test_tempo_clip_launch_seen_in_the_grid(jack_server: str, tmp_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: 'make test' installs it")
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH)
    env = {"LIVETIMBRE_HOME": str(tmp_path / "home"), "JACK_DEFAULT_SERVER": jack_server,
           "JACK_NO_START_SERVER": "1", "PATH": os.environ["PATH"]}
    terminal = Terminal(f"lt{os.getpid()}", [sys.executable, "-m", "livetimbre.cli", "play",
                                             str(patch), "--output", "device", "--device",
                                             "system"], env)
    try:
        terminal.wait_for(lambda s: "livetimbre>" in s and "underruns" in s, "the prompt")
        terminal.send("F2")
        terminal.wait_for(lambda s: "1 one" in s, "the grid")
        terminal.send("/tempo 120", "Enter")
        terminal.wait_for(lambda s: "120 BPM" in s, "the new tempo in the toolbar")
        terminal.send('/clip drums 1 "driving beat"', "Enter")
        seen: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            cell = _drums_cell(terminal.screen())
            if cell and (not seen or seen[-1] != cell):
                seen.append(cell)
            if cell == "ready":
                break
            time.sleep(0.05)
        assert any(s.startswith("rendering") for s in seen), seen
        assert seen[-1] == "ready", seen
        terminal.send("/launch drums 1", "Enter")
        terminal.wait_for(lambda s: _drums_cell(s).startswith("playing"), "playing")
        clock = re.search(r" (\d+)\.(\d) +120 BPM", terminal.screen())
        assert clock, "no bar.beat clock in the toolbar"
        terminal.wait_for(lambda s: f" {int(clock.group(1)) + 1}." in s, "the clock to run on")
        terminal.send("/quit", "Enter")
        terminal.wait_for(lambda s: "bye" in s, "/quit")
    finally:
        terminal.close()
