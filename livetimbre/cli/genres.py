"""`livetimbre genres`: the known genres (shipped and the user's), one a line."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse

from livetimbre.cli.common import Subparsers


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`genres` (no options)."""
    return commands.add_parser("genres", help="list the known genres, one a line")


def run(args: argparse.Namespace) -> int:
    """Id, family, name, tempo range and description of each genre."""
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres

    for genre in load_genres(Settings.from_env().user_genre_dir):
        low, high = genre.rhythm.tempo_range
        print(f"{genre.id:16} {genre.family:12} {genre.name:18} {low:g}-{high:g} BPM  "
              f"{genre.description}")
    return 0
