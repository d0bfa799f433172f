"""`livetimbre devices`: the audio devices and their backend."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse

from livetimbre.cli.common import Subparsers


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`devices` (no options)."""
    return commands.add_parser("devices", help="list audio devices and their backend")


def run(args: argparse.Namespace) -> int:
    """Print what the audio system reports."""
    from livetimbre.system.devices import describe_devices

    print(describe_devices())
    return 0
