"""`livetimbre pattern "PATTERN"`: the events a mini-notation pattern makes, exactly.

Without `--json`: a table (cycle, begin, end, length, value) and a one-line picture of
each cycle. With it: one JSON array of `{"value", "begin", "end"}`, times as "p/q"
fractions of a cycle (the event's whole span).
"""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import json

from livetimbre.cli.common import Subparsers


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`pattern PATTERN [--cycles N] [--from C] [--seed S] [--json]`."""
    parser = commands.add_parser(
        "pattern", help="show the events of a Tidal/Strudel mini-notation pattern",
        description="Print the events whose onset lies in cycles C … C+N-1 of PATTERN "
                    "(mini-notation, as in TidalCycles and Strudel), with exact fractions "
                    "of a cycle.")
    parser.add_argument("pattern", metavar="PATTERN", help='e.g. "bd*2 [~ sd] <hh oh>"')
    parser.add_argument("--cycles", type=int, default=1, metavar="N",
                        help="how many cycles (default: 1)")
    parser.add_argument("--from", dest="start", type=int, default=0, metavar="C",
                        help="the first cycle (default: 0)")
    parser.add_argument("--seed", type=int, default=0, metavar="S",
                        help="the seed of '?' and '|' (default: 0)")
    parser.add_argument("--json", action="store_true",
                        help='one JSON array of {"value", "begin": "p/q", "end": "p/q"}')
    return parser


def run(args: argparse.Namespace) -> int:
    """Print the events (a `PatternError` names the column and the CLI shows it)."""
    from livetimbre.patterns import events
    from livetimbre.patterns.picture import picture, table

    found = events(args.pattern, args.start, args.cycles, args.seed)
    if args.json:
        print(json.dumps([e.to_json() for e in found]))
        return 0
    print(table(found))
    print()
    for cycle in range(args.start, args.start + args.cycles):
        print(picture(found, cycle))
    return 0
