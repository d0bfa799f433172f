"""`livetimbre plan`: what the Creative Director read in a prompt (the SongSpec, word by
word) and the composition plan it leads to, without rendering anything.

`plan "PROMPT"` prints both for a terminal (`--json`: one JSON document); `plan --batch
FILE|-` reads one prompt a line and writes one JSON object a line (a line that fails
gives `{"line": N, "error": ...}` and the batch goes on). Batch files are untrusted:
regular files only, at most BATCH_LIMIT bytes, never echoed back.
"""

from __future__ import annotations

__all__ = ["BATCH_LIMIT", "add_parser", "run"]

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.cli.common import Subparsers
from livetimbre.errors import FileProblem, LivetimbreError, ValueProblem

if TYPE_CHECKING:
    from livetimbre.director.providers import DirectorContext
    from livetimbre.director.spec import SongSpec
    from livetimbre.genres import GenreRegistry
    from livetimbre.planner.trackplan import CompositionPlan

BATCH_LIMIT = 8 * 1024 * 1024  # bytes of a --batch file (or of standard input)


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    """The `plan` subcommand."""
    plan = subparsers.add_parser(
        "plan", help="show what the director reads in a prompt, and its plan (no rendering)",
        description="Read PROMPT with the Creative Director and print its SongSpec (genre, "
                    "tempo, key, instruments, what each word did) and the composition plan, "
                    "without rendering. --batch reads one prompt a line and writes one JSON "
                    "object a line.")
    plan.add_argument("prompt", nargs="?", metavar="PROMPT", help="what the track is")
    plan.add_argument("--duration", type=float, metavar="S",
                      help="length in seconds: 90-180 long-form (default 120), 8 to under "
                           "90 with --short (default 60)")
    plan.add_argument("--short", action="store_true",
                      help="a short-form piece (intro, motif, resolve)")
    plan.add_argument("--json", action="store_true", help="print one JSON document")
    plan.add_argument("--director", metavar="NAME",
                      help="lexicon, embedding or llm[:MODEL] (default: $LIVETIMBRE_DIRECTOR, "
                           "else embedding when installed, else lexicon)")
    plan.add_argument("--batch", metavar="FILE|-",
                      help="read prompts from FILE (or standard input), one a line")
    return plan


def run(args: argparse.Namespace) -> int:
    """Perform `livetimbre plan`."""
    from livetimbre.config import Settings
    from livetimbre.director.names import resolve_director_name
    from livetimbre.director.providers import get_director
    from livetimbre.genres import load_genres
    from livetimbre.planner.form import check_duration
    from livetimbre.planner.summary import plan_summary

    if (args.prompt is None) == (args.batch is None):
        raise ValueProblem("plan needs a PROMPT or --batch FILE|- (not both).")
    check_duration(_duration(args), args.short)  # a bad --duration fails once, up front
    director = get_director(resolve_director_name(args.director))
    genres = load_genres(Settings.from_env().user_genre_dir)
    if args.batch is not None:
        return _batch(args, genres, director)
    spec = _specs([args.prompt], genres, director)[0]
    plan = _plan(spec, genres, args)
    if args.json:
        print(json.dumps({"spec": spec.model_dump(mode="json"),
                          "plan": plan.model_dump(mode="json", exclude={"spec"})}, indent=2))
    else:
        print(plan_summary(spec, plan))
    return 0


def _context(genres: GenreRegistry) -> DirectorContext:
    from livetimbre.director.providers import DirectorContext
    from livetimbre.planner.direction import COMPOSER_PHRASES

    return DirectorContext(genres, COMPOSER_PHRASES)


def _specs(prompts: list[str], genres: GenreRegistry, director: object) -> list[SongSpec]:
    context = _context(genres)
    many = getattr(director, "direct_many", None)
    if many is not None:
        return list(many(prompts, context))
    return [director.direct(p, context) for p in prompts]  # type: ignore[attr-defined]


def _plan(spec: SongSpec, genres: GenreRegistry, args: argparse.Namespace) -> CompositionPlan:
    from livetimbre.planner.longform import plan_track

    return plan_track(spec.prompt, genres, duration=_duration(args), short=args.short,
                      spec=spec)


def _duration(args: argparse.Namespace) -> float:
    return float(args.duration) if args.duration is not None else (
        60.0 if args.short else 120.0)


def _read_batch(source: str) -> str:
    from livetimbre.files.read import read_user_text

    if source != "-":
        return read_user_text(Path(source), "batch file", FileProblem, limit=BATCH_LIMIT)
    data = sys.stdin.buffer.read(BATCH_LIMIT + 1)
    if len(data) > BATCH_LIMIT:
        raise FileProblem(f"Standard input (--batch -) is larger than the limit of "
                          f"{BATCH_LIMIT:,} bytes.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileProblem(f"Standard input (--batch -) is not UTF-8 text (byte "
                          f"{exc.start + 1}).") from None


def _batch(args: argparse.Namespace, genres: GenreRegistry, director: object) -> int:
    lines = [(n, line.strip()) for n, line in enumerate(_read_batch(args.batch).splitlines(),
                                                        start=1) if line.strip()]
    failed = 0
    good: list[tuple[int, str]] = []
    for number, prompt in lines:
        try:
            from livetimbre.music.values import check_prompt

            good.append((number, check_prompt(prompt)))
        except LivetimbreError as exc:
            failed += 1
            print(json.dumps({"line": number, "error": str(exc)}))
    specs = _specs([p for _n, p in good], genres, director) if good else []
    for (number, _prompt), spec in zip(good, specs, strict=True):
        try:
            plan = _plan(spec, genres, args)
        except LivetimbreError as exc:
            failed += 1
            print(json.dumps({"line": number, "error": str(exc)}))
            continue
        print(json.dumps({"line": number, "spec": spec.model_dump(mode="json"),
                          "plan": plan.model_dump(mode="json", exclude={"spec"})}))
    return 1 if failed else 0
