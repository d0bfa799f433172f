"""The command line's shape: one module per verb with its parser beside it, `build_parser`
listing them all, and `--help` loading none of what the verbs run on."""

from __future__ import annotations

import argparse
import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from livetimbre.cli import VERBS, build_parser, main

REPO = Path(__file__).resolve().parents[1]


def _verbs_of(parser: argparse.ArgumentParser) -> list[str]:
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


def test_build_parser_lists_every_registered_verb_in_order() -> None:
    assert _verbs_of(build_parser()) == list(VERBS)
    assert {"play", "render", "compose", "jobs", "artifacts", "models", "genres",
            "devices"} <= set(VERBS)


@pytest.mark.parametrize("name", VERBS)
def test_each_verb_is_a_small_module_with_its_parser_and_its_run(name: str) -> None:
    module = importlib.import_module(f"livetimbre.cli.{name}")
    assert callable(module.add_parser) and callable(module.run)
    assert module.__all__ and module.__doc__
    source = Path(module.__file__ or "")
    assert len(source.read_text().splitlines()) < 300, source
    parser = argparse.ArgumentParser()
    sub = module.add_parser(parser.add_subparsers())
    assert isinstance(sub, argparse.ArgumentParser) and sub.prog.endswith(name)


def test_each_verb_dispatches_to_its_own_run(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    argv = {"play": ["play", "p.yaml"], "render": ["render", "p.yaml", "-o", "x.wav"],
            "compose": ["compose", "pads"], "artifacts": ["artifacts", "verify"],
            "models": ["models", "list"], "farm": ["farm", "album.txt"],
            "pattern": ["pattern", "bd sd"]}
    for name in VERBS:
        module = importlib.import_module(f"livetimbre.cli.{name}")
        monkeypatch.setattr(module, "run", lambda args, name=name: called.append(name) or 0)
        assert main(argv.get(name, [name])) == 0
    assert called == list(VERBS)


def test_no_command_is_the_live_session(monkeypatch: pytest.MonkeyPatch) -> None:
    import livetimbre.cli.play as play

    seen: list[argparse.Namespace] = []
    monkeypatch.setattr(play, "run", lambda args: seen.append(args) or 0)
    assert main(["--restore", "--output", "null"]) == 0
    assert seen[0].restore and seen[0].output == "null" and seen[0].command is None


@pytest.mark.timeout(60)
def test_help_loads_nothing_the_verbs_run_on() -> None:
    code = ("import sys, io, contextlib\n"
            "from livetimbre.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('livetimbre', 'numpy', 'pydantic', 'yaml', 'scipy', 'mido', 'torch', 'ray')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=REPO, check=True)
    loaded = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert not [m for m in loaded if not m.startswith("livetimbre")], loaded
    outside = [m for m in loaded if not m.startswith(("livetimbre.cli", "livetimbre.errors",
                                                      "livetimbre.music"))]
    assert outside == ["livetimbre"], outside


@pytest.mark.timeout(60)
def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run([sys.executable, "-m", "livetimbre.cli", "--version"],
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0 and done.stdout.startswith("livetimbre ")
