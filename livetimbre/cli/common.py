"""What the verbs of the command line share: the sub-parser collection's type and the
way livetimbre's own lines reach standard error."""

from __future__ import annotations

__all__ = ["Subparsers", "add_render_server_option", "report"]

import argparse
import sys
from typing import TypeAlias

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_render_server_option(parser: argparse.ArgumentParser, patch: bool = True) -> None:
    """`--render-server URL`, as play, render and compose (`patch`: False) take it."""
    default = "the patch's session.render_server, else " if patch else ""
    parser.add_argument(
        "--render-server", metavar="URL",
        help="render on this `livetimbre serve` (token from $LIVETIMBRE_SERVER_TOKEN); "
             f"locally when it is unreachable, slow or failing (default: {default}"
             "$LIVETIMBRE_RENDER_SERVER, else none)")


def report(text: str) -> None:
    """Lines from livetimbre on standard error, each marked as livetimbre's."""
    for line in text.splitlines():
        print(f"livetimbre: {line}", file=sys.stderr, flush=True)
