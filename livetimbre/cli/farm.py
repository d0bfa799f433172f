"""`livetimbre farm FILE`: many composes or patch renders on a Ray cluster (server.farm).
Each non-empty line of FILE (not a `#` comment) is a job: a compose prompt with the
compose verb's options (`"night drive" --duration 30 --seed 3`), or a patch file (.yaml)
with the render verb's. Lines are checked by those verbs' own parsers before anything
runs; a bad line is named by its number and its bad token only."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, cast

from livetimbre.cli.common import Subparsers
from livetimbre.errors import ConfigError, LivetimbreError, ValueProblem

if TYPE_CHECKING:
    from livetimbre.remote.models import TrackRequest
    from livetimbre.server.farm_jobs import FarmJob

FARM_LIMIT = 4 * 1024 * 1024  # bytes of the farm file
MAX_JOBS = 100_000
# The compose and render options a line may give (the rest are the farm's or make files).
_COMPOSE = {"prompt", "duration", "short", "genre", "key", "meter", "seed", "backend",
            "format", "quiet"}
_RENDER = {"patch", "output", "scenes", "bars", "seed", "quiet"}
_PATCH_SUFFIXES = (".yaml", ".yml")


def _retries(text: str) -> int:
    if not text.isdigit() or int(text) > 10:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a whole number from 0 to 10")
    return int(text)


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`farm FILE` and its options."""
    farm = commands.add_parser(
        "farm", help="many composes or patch renders on a Ray cluster, with resume",
        description="Run every line of FILE on a Ray cluster as a task: a compose prompt with "
                    "compose options, or a patch file with render options (--scenes, --bars, "
                    "--seed). One line of progress per job; results go into the artifact "
                    "store and the output folder, with a journal there: run it again after "
                    "a stop and it resumes. Needs the cluster extra.")
    add = farm.add_argument
    add("file", type=Path, metavar="FILE", help="the jobs, one a line")
    add("--address", metavar="ADDR",
        help="the Ray cluster (default: $RAY_ADDRESS, a cluster running here, else a new "
             "local one)")
    add("--out", type=Path, metavar="DIR",
        help="output folder and its journal (default: $LIVETIMBRE_HOME/farm/FILE's name)")
    add("--retries", type=_retries, default=2, metavar="N",
        help="times a task is sent again when its worker dies (default 2)")
    add("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
        help="sound source of the procedural backend")
    return farm


class _LineParser(argparse.ArgumentParser):
    """A verb's parser for one line: problems raise instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise ValueProblem(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise ValueProblem("help is not a job")


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    from livetimbre.cli import compose, render

    commands = cast(Subparsers, _LineParser(prog="farm").add_subparsers(
        parser_class=_LineParser))
    return compose.add_parser(commands), render.add_parser(commands)


def _jobs(path: Path) -> list[FarmJob]:
    from livetimbre.errors import FileProblem
    from livetimbre.files.read import read_user_text
    from livetimbre.server.farm_jobs import patch_job, track_job

    text = read_user_text(path, "farm file", FileProblem, FARM_LIMIT)
    compose, render = _parsers()
    jobs: list[FarmJob] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name} line {number}"
        try:
            tokens = shlex.split(line)
        except ValueError as exc:
            raise ValueProblem(f"{where}: {exc}.") from None
        try:
            if tokens[0].endswith(_PATCH_SUFFIXES):
                patch = path.parent / tokens[0]
                if "-o" in tokens or "--output" in tokens:
                    raise ValueProblem("--output is not for a farm line (the farm names "
                                       "the files)")
                args = render.parse_args([*tokens, "-o", "farm.wav"])
                _only(args, render, _RENDER)
                patch_text = read_user_text(patch, "patch file", FileProblem)
                jobs.append(patch_job(number, patch, patch_text, tuple(tokens[1:])))
            else:
                args = compose.parse_args(tokens)
                _only(args, compose, _COMPOSE)
                jobs.append(track_job(number, _track_request(args)))
        except LivetimbreError as exc:
            raise ValueProblem(f"{where}: {str(exc)[:300]}") from None
        if len(jobs) > MAX_JOBS:
            raise ValueProblem(f"{path.name}: more than {MAX_JOBS:,} jobs.")
    if not jobs:
        raise ValueProblem(f"{path.name} holds no job (one compose prompt or patch a line).")
    return jobs


def _only(args: argparse.Namespace, parser: argparse.ArgumentParser,
          allowed: set[str]) -> None:
    """A line gives only the options the farm takes from it."""
    for action in parser._actions:
        dest = action.dest
        if dest in allowed or dest == "help":
            continue
        if getattr(args, dest, None) != action.default:
            flag = action.option_strings[-1] if action.option_strings else dest
            raise ValueProblem(f"{flag} is not for a farm line (the farm names the files; "
                               "give its own options on its command line)")


def _track_request(args: argparse.Namespace) -> TrackRequest:
    from pydantic import ValidationError

    from livetimbre.remote.models import TrackRequest
    from livetimbre.render.backends import split_spec

    if args.prompt is None:
        raise ValueProblem("a compose line needs a PROMPT")
    backend, model = split_spec(args.backend)
    try:
        return TrackRequest(kind="track", prompt=args.prompt, duration=args.duration,
                            short=args.short, genre=args.genre, key=args.key,
                            meter=args.meter, seed=args.seed, backend=backend, model=model,
                            format=args.format or "wav")
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        raise ValueProblem(f"{field}: {problem['msg']}") from None


def run(args: argparse.Namespace) -> int:
    """Check every line, then run the jobs not done yet on the cluster."""
    from importlib.util import find_spec

    from livetimbre.cli.common import report
    from livetimbre.config import Settings
    from livetimbre.server.farm import run_farm
    from livetimbre.server.farm_jobs import FarmSetup

    jobs = _jobs(args.file)
    if find_spec("ray") is None:
        raise ConfigError("livetimbre farm needs the cluster extra (ray is missing): "
                          "pip install 'livetimbre[cluster]'.")
    settings = Settings.from_env()
    out = args.out or settings.home / "farm" / args.file.stem
    return run_farm(jobs, FarmSetup(settings, args.synth), out, args.address, args.retries,
                    report)
