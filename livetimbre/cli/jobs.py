"""`livetimbre jobs`: the compose runs under `$LIVETIMBRE_HOME/jobs` and their state
(running, stopped — its process is gone —, interrupted, failed, qa-failed, done)."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse

from livetimbre.cli.common import Subparsers


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`jobs` (no options)."""
    return commands.add_parser("jobs", help="list compose runs and their state")


def run(args: argparse.Namespace) -> int:
    """One line per run, oldest first."""
    from livetimbre.config import Settings
    from livetimbre.system.processes import pid_alive
    from livetimbre.track.jobs import STAGES, list_jobs

    records = list_jobs(Settings.from_env().home)
    if not records:
        print("no compose runs yet")
    for record in records:
        state: str = record.state
        if state == "running" and record.pid is not None and not pid_alive(record.pid):
            state = "stopped"
        prompt = record.request.prompt
        shown = prompt if len(prompt) <= 40 else prompt[:37] + "..."
        print(f"{record.id}  {state:11} next {record.next_stage or '-':12} "
              f"{len(record.stages)}/{len(STAGES)} stages  {len(record.sections)} sections  "
              f"{shown!r}")
    return 0
