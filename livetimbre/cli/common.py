"""What the verbs of the command line share: the sub-parser collection's type and the
way livetimbre's own lines reach standard error."""

from __future__ import annotations

__all__ = ["Subparsers", "report"]

import argparse
import sys
from typing import TypeAlias

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def report(text: str) -> None:
    """Lines from livetimbre on standard error, each marked as livetimbre's."""
    for line in text.splitlines():
        print(f"livetimbre: {line}", file=sys.stderr, flush=True)
