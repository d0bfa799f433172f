"""`livetimbre artifacts list | show | verify | export | regen | gc`: the artifact store
from the command line (exit 0 when all is well, 1 when `verify` finds problems or
`regen` gives other bytes, 2 for errors)."""

from __future__ import annotations

__all__ = ["add_artifacts_parser", "run_artifacts"]

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.errors import ValueProblem

if TYPE_CHECKING:  # loaded when a command runs: `livetimbre --help` stays quick
    from livetimbre.config import Settings
    from livetimbre.store import Artifact, Store


def add_artifacts_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `artifacts` subcommand and its actions."""
    parser = commands.add_parser(
        "artifacts", help="the artifact store: list, show, verify, export, regen, gc",
        description="Artifacts (rendered clips, and later tracks, stems, plans) live in "
                    "$LIVETIMBRE_HOME/store: a SQLite database and content-addressed "
                    "blobs. IDs may be shortened to a unique prefix of 6 or more digits.")
    action = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = action.add_parser("list", help="artifacts, oldest first")
    listing.add_argument("--kind", metavar="K", help="only this kind (e.g. clip)")
    listing.add_argument("--tag", metavar="T", help="only with tag KEY or KEY=VALUE")
    show = action.add_parser("show", help="one artifact: metadata, tags, parents, recipe")
    show.add_argument("id", metavar="ID")
    action.add_parser("verify", help="recompute every checksum; report corrupted, missing "
                                     "and orphaned blobs (exit 1 if any)")
    export = action.add_parser("export", help="copy an artifact's blob and a JSON sidecar "
                                              "into DIR")
    export.add_argument("id", metavar="ID")
    export.add_argument("folder", type=Path, metavar="DIR")
    regen = action.add_parser("regen", help="render a clip again from its recipe and compare "
                                            "(exit 1 if the bytes differ)")
    regen.add_argument("id", metavar="ID")
    collect = action.add_parser("gc", help="remove orphans and evict the render cache to "
                                           "its limit")
    collect.add_argument("--max-mb", type=float, metavar="N",
                         help="evict the render cache to N MB (default: LIVETIMBRE_CACHE_MB)")


def _shown(text: str, limit: int = 40) -> str:
    text = text if text.isprintable() else repr(text)[1:-1]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.1f} KB"


def _list(store: Store, kind: str | None, tag: str | None) -> int:
    found = store.artifacts(kind, tag)
    for artifact in found:
        tags = " ".join(f"{k}={v}" if v else k for k, v in artifact.tags.items())
        print(f"{artifact.id[:12]}  {_shown(artifact.kind, 10):10} {_size(artifact.size):>10}  "
              f"{_when(artifact.last_used)}  {_shown(artifact.name, 30):30} {_shown(tags, 60)}")
    total = sum(a.size for a in found)
    print(f"{len(found)} artifacts, {_size(total)}")
    return 0


def _show(artifact: Artifact) -> int:
    print(json.dumps(artifact.summary(), indent=2, ensure_ascii=True))
    return 0


def _regen(store: Store, artifact: Artifact, settings: Settings) -> int:
    from livetimbre.genres import load_genres
    from livetimbre.render.regen import regenerate

    result = regenerate(store, artifact, load_genres(settings.user_genre_dir), settings.home,
                        settings.soundfont)
    if result.note:
        print(f"note: {result.note}")
    for key, (old, new) in result.changed_versions.items():
        print(f"version changed: {key}: {old!r} → {new!r}")
    if result.identical:
        restored = " (its missing or broken blob is back)" if result.restored else ""
        print(f"identical: {artifact.id} regenerated bit for bit, sha256 {result.sha256}"
              f"{restored}")
        return 0
    print(f"differs: {artifact.id} regenerated as sha256 {result.sha256}, stored "
          f"{artifact.sha256}")
    return 1


def run_artifacts(args: argparse.Namespace) -> int:
    """Perform `livetimbre artifacts ACTION`."""
    from livetimbre.config import Settings
    from livetimbre.store import Store, export_artifact, gc, verify

    settings = Settings.from_env()
    with Store(settings.store_dir) as store:
        if args.action == "list":
            return _list(store, args.kind, args.tag)
        if args.action == "show":
            return _show(store.get(args.id))
        if args.action == "verify":
            report = verify(store)
            for line in report.lines():
                print(line)
            return 0 if report.clean else 1
        if args.action == "export":
            artifact = store.get(args.id)
            for path in export_artifact(store, artifact, args.folder):
                print(f"wrote {path}")
            return 0
        if args.action == "regen":
            return _regen(store, store.get(args.id), settings)
        if args.max_mb is not None and not 0 <= args.max_mb <= 1 << 24:
            raise ValueProblem(f"--max-mb {args.max_mb:g}: use 0 or more megabytes.")
        limit = settings.cache_bytes if args.max_mb is None else int(args.max_mb * 2**20)
        for line in gc(store, limit).lines():
            print(line)
        return 0
