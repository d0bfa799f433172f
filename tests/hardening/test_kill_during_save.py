"""`kill -9` while autosave and /save write (a real subprocess, 100 times): the patch on
disk is always the old one or the new one, never a broken one."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from livetimbre.genres import load_genres
from livetimbre.patch import load_patch
from tests.live._support import write_patch

KILLS = 100
# A child that saves the session over and over, through SessionFiles (the code /save and
# autosave use), changing the tempo each time so every save differs.
CHILD = """
import sys
from dataclasses import replace
from pathlib import Path
from livetimbre.genres import load_genres
from livetimbre.live.boundary import ErrorBoundary
from livetimbre.live.saving import SessionFiles
from livetimbre.patch import load_patch
from livetimbre.session.state import SessionHistory

target, home = Path(sys.argv[1]), Path(sys.argv[2])
history = SessionHistory(load_patch(target, load_genres()))
files = SessionFiles(history, load_genres(), home, target, print, ErrorBoundary(home),
                     dict)
print("ready", flush=True)
tempo = 60.0
while True:
    tempo = 60.0 + (tempo - 59.0) % 300
    history.replace(replace(history.current, tempo=tempo))
    files.save(None)   # /save
    files.autosave()   # autosave
"""


@pytest.mark.timeout(600)
def test_kill_9_during_save_and_autosave_leaves_a_whole_file(tmp_path: Path) -> None:
    genres = load_genres()
    target = write_patch(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    rng = random.Random(7)
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(target), str(home)],
                                 stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        for path in (target, home / "autosave.yaml"):
            if path.exists():
                session = load_patch(path, genres)  # raises if broken
                assert 60 <= session.tempo <= 400, (kill, path)
    print(f"\n{KILLS} kill -9 during /save and autosave: every file whole")
