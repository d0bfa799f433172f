"""`livetimbre models list | pull | rm`: MusicGen models (in the Hugging Face cache) and
beat_this weights (in `$LIVETIMBRE_HOME/models`) on disk. Renders never download."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse

from livetimbre.cli.common import Subparsers


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`models ACTION` and its actions."""
    models = commands.add_parser(
        "models", help="MusicGen models (and beat_this weights) on disk: list, pull, rm",
        description="Models live in the Hugging Face cache ($HF_HOME); beat_this weights in "
                    "$LIVETIMBRE_HOME/models. Renders never download: pull a model first.")
    action = models.add_subparsers(dest="action", metavar="ACTION", required=True)
    action.add_parser("list", help="the models on disk and their size")
    pull = action.add_parser("pull", help="download a model (e.g. facebook/musicgen-small, "
                                          "beat_this)")
    pull.add_argument("model", metavar="ID")
    remove = action.add_parser("rm", help="delete a model from disk")
    remove.add_argument("model", metavar="ID")
    return models


def _size(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def run(args: argparse.Namespace) -> int:
    """List, pull or remove."""
    from livetimbre.config import Settings
    from livetimbre.render.backends.musicgen import hub

    home = Settings.from_env().home
    if args.action == "list":
        found = hub.list_models(home)
        for model in found:
            print(f"{model.id:40} {_size(model.size):>10}  {model.kind}")
        if not found:
            print("no models on disk: livetimbre models pull facebook/musicgen-small")
        return 0
    if args.action == "pull":
        model = hub.pull(args.model, home)
        print(f"{model.id}: {_size(model.size)} on disk in {model.path}")
        return 0
    freed = hub.remove(args.model, home)
    print(f"removed {args.model} ({_size(freed)} freed)")
    return 0
