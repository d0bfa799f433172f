"""The `livetimbre` command line: one module per verb, each holding its sub-parser
(`add_parser`) beside what it does (`run`); `build_parser` puts them together.

A verb is registered by adding its module's name to `VERBS`. Verb modules import only
what their parsers need at the top; what a verb runs on loads when it runs, so
`livetimbre --help` stays quick. Errors are one paragraph on standard error (exit 2).
"""

from __future__ import annotations

__all__ = ["VERBS", "Verb", "build_parser", "main"]

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Protocol, cast

from livetimbre import __version__
from livetimbre.cli import play
from livetimbre.cli.common import Subparsers
from livetimbre.errors import LivetimbreError

# The verbs, in the order `livetimbre --help` lists them: the modules of this package.
VERBS = ("play", "render", "compose", "plan", "serve", "farm", "jobs", "artifacts", "models",
         "genres", "devices", "pattern")


class Verb(Protocol):
    """What a verb module provides."""

    def add_parser(self, commands: Subparsers) -> argparse.ArgumentParser:
        """Add the verb's sub-parser to `commands`; return it."""
        ...

    def run(self, args: argparse.Namespace) -> int:
        """Do what the parsed command line asks; the exit status."""
        ...


def _verb(name: str) -> Verb:
    return cast(Verb, importlib.import_module(f"{__name__}.{name}"))


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the options of the REPL without a command, then each verb."""
    parser = argparse.ArgumentParser(
        prog="livetimbre",
        allow_abbrev=False,  # `render --midi` must not be taken for a prefix of --midi-in
        description="Live-coding REPL and MIDI/OSC performance tool for generated music. "
                    "Without a command: the REPL on an empty session (or --restore).",
    )
    parser.add_argument("--version", action="version", version=f"livetimbre {__version__}")
    parser.add_argument("--restore", action="store_true",
                        help="bring back the autosaved session (after a crash)")
    play.add_live_options(parser)
    parser.set_defaults(run=play.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in VERBS:
        verb = _verb(name)
        verb.add_parser(commands).set_defaults(run=verb.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `livetimbre` console script."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except LivetimbreError as exc:
        print(f"livetimbre: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("livetimbre: interrupted", file=sys.stderr)
        return 130
