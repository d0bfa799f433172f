"""The API key is sent (in the Authorization header) and written nowhere: a plan and a
compose with $LIVETIMBRE_LLM_API_KEY set leave no file, log line or output holding it,
even when the server echoes it back in an error."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.director.conftest import needs_llm_extra
from tests.director.tiny_llm import ChatServer

pytestmark = [needs_llm_extra, pytest.mark.timeout(300)]

SCRIPT = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, filename="debug.log")
from livetimbre.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(args: list[str], work: Path, env: dict[str, str], name: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, cwd=work, env=env, timeout=240, check=False)
    (work / f"{name}.out").write_text(done.stdout)
    (work / f"{name}.err").write_text(done.stderr)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_key_is_sent_and_written_nowhere(chat_server: ChatServer, tmp_path: Path) -> None:
    key = "sk-" + secrets.token_urlsafe(24)
    home, work, out = tmp_path / "home", tmp_path / "work", tmp_path / "out"
    for folder in (home, work, out):
        folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LIVETIMBRE_HOME": str(home),
           "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_CONFIG_HOME": str(home / "config"), "LIVETIMBRE_DIRECTOR": "llm",
           "LIVETIMBRE_LLM_URL": chat_server.url, "LIVETIMBRE_LLM_MODEL": "tiny",
           "LIVETIMBRE_LLM_API_KEY": key, "OMP_NUM_THREADS": "1"}
    plan = json.loads(_run(["plan", "sad jazz piano", "--json"], work, env, "plan"))
    assert (plan["spec"]["director"], plan["spec"]["fallbacks"]) == ("llm:tiny", [])
    _run(["compose", "sad jazz piano, slow", "--duration", "8", "-o", str(out / "song.wav")],
         work, env, "compose")
    chat_server.mode = "401"
    refused = json.loads(_run(["plan", "happy house", "--json"], work, env, "refused"))
    assert refused["spec"]["fallbacks"][0].startswith("llm → embedding: HTTP 401 from http://")
    assert "check LIVETIMBRE_LLM_API_KEY" in refused["spec"]["fallbacks"][0]
    assert chat_server.authorization and set(chat_server.authorization) == {f"Bearer {key}"}
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert (work / "debug.log").stat().st_size > 0 and (out / "song.wav.json").is_file()
    assert any(p.is_relative_to(home) for p in written)  # the store and the job folder
    leaks = [str(p.relative_to(tmp_path)) for p in written if key.encode() in p.read_bytes()]
    assert leaks == []
