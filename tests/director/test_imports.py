"""`import livetimbre` (and the director, the patch schema, `plan --director lexicon`) never
imports wordllama; the embedding provider loads its weights offline from the wheel."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.timeout(120)


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), "LIVETIMBRE_HOME": str(tmp_path),
                   **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=environment, timeout=100, check=False)


def test_no_wordllama_for_import_patch_and_lexicon(tmp_path: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "import livetimbre, livetimbre.director, livetimbre.patch.schema\n"
        "import livetimbre.director.providers\n"
        "from livetimbre.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['plan', 'sad jazz piano', '--director', 'lexicon'])\n"
        "print([m for m in ('wordllama', 'torch') if m in sys.modules])\n")
    done = _python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.skipif(importlib.util.find_spec("wordllama") is None,
                    reason="wordllama (the director extra) not installed")
def test_embedding_loads_offline(tmp_path: Path) -> None:
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from livetimbre.director.providers import DirectorContext, get_director\n"
        "from livetimbre.genres import load_genres\n"
        "spec = get_director('embedding').direct('slowish pianist', "
        "DirectorContext(load_genres()))\n"
        "print(spec.director, spec.fallbacks, spec.tempo.bpm <= 90)\n")
    done = _python(code, tmp_path, HF_HUB_OFFLINE="1", HOME=str(tmp_path),
                   XDG_CACHE_HOME=str(tmp_path / "cache"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "embedding [] True"
    assert not (tmp_path / "cache").exists()


def test_the_llm_provider_loads_nothing_heavy_until_a_local_model_is_used(
        tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import livetimbre.director.llm, livetimbre.director.llm_local\n"
        "from livetimbre.director.providers import get_director\n"
        "director = get_director('llm:some-model')\n"
        "print(type(director).__name__, "
        "[m for m in ('torch', 'transformers', 'xgrammar', 'wordllama', 'httpx', 'requests')"
        " if m in sys.modules])\n")
    done = _python(code, tmp_path, LIVETIMBRE_LLM_URL="http://127.0.0.1:9/v1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "LLMDirector []"
