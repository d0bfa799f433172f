"""`livetimbre artifacts list | show | verify | export | regen | gc`: the artifact store
from the command line (exit 0 when all is well, 1 when `verify` finds problems or
`regen` gives other bytes, 2 for errors)."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.cli.common import Subparsers
from livetimbre.errors import ValueProblem

if TYPE_CHECKING:  # loaded when a command runs: `livetimbre --help` stays quick
    from livetimbre.config import Settings
    from livetimbre.store import Artifact, Store


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """The `artifacts` subcommand and its actions."""
    parser = commands.add_parser(
        "artifacts", help="the artifact store: list, show, verify, export, regen, gc",
        description="Artifacts (rendered clips; composed tracks with their stems, motif, "
                    "MIDI, plan, recipe and QA report) live in "
                    "$LIVETIMBRE_HOME/store: a SQLite database and content-addressed "
                    "blobs. IDs may be shortened to a unique prefix of 6 or more digits.")
    action = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = action.add_parser("list", help="artifacts, oldest first")
    listing.add_argument("--kind", metavar="K", help="only this kind (e.g. clip)")
    listing.add_argument("--tag", metavar="T", help="only with tag KEY or KEY=VALUE")
    show = action.add_parser("show", help="one artifact: metadata, tags, parents, recipe")
    show.add_argument("id", metavar="ID")
    show.add_argument("--json", action="store_true",
                      help="everything as JSON (a track is otherwise shown as a summary)")
    action.add_parser("verify", help="recompute every checksum; report corrupted, missing "
                                     "and orphaned blobs (exit 1 if any)")
    export = action.add_parser("export", help="copy an artifact's blob and a JSON sidecar "
                                              "into DIR (a track: its audio file and its "
                                              "compose sidecar)")
    export.add_argument("id", metavar="ID")
    export.add_argument("folder", type=Path, metavar="DIR")
    regen = action.add_parser("regen", help="render a clip or compose a track again from its "
                                            "recipe and compare (exit 1 if the bytes differ)")
    regen.add_argument("id", metavar="ID")
    collect = action.add_parser("gc", help="remove orphans and evict the render cache to "
                                           "its limit")
    collect.add_argument("--max-mb", type=float, metavar="N",
                         help="evict the render cache to N MB (default: LIVETIMBRE_CACHE_MB)")
    return parser


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
        if artifact.kind == "track":
            tags = _track_line(artifact)
        print(f"{artifact.id[:12]}  {_shown(artifact.kind, 10):10} {_size(artifact.size):>10}  "
              f"{_when(artifact.last_used)}  {_shown(artifact.name, 30):30} {_shown(tags, 60)}")
    total = sum(a.size for a in found)
    print(f"{len(found)} artifacts, {_size(total)}")
    return 0


def _track_line(artifact: Artifact) -> str:
    meta = artifact.meta
    try:
        return (f"{float(meta['duration_s']):.2f} s  {meta['lufs']} LUFS  "
                f"{meta['true_peak_dbtp']} dBTP  {meta['genre']}  {meta['tempo']:g} BPM  "
                f"{meta['key']}  \"{_shown(str(meta['title']), 30)}\"")
    except (KeyError, TypeError, ValueError):
        return "(track without its summary)"


def _show_track(store: Store, artifact: Artifact) -> int:
    meta = artifact.meta
    print(f"track {artifact.id}  {_shown(artifact.name, 60)}  {artifact.media_type}  "
          f"{_size(artifact.size)}  sha256 {artifact.sha256}")
    print(f"  {_track_line(artifact)}")
    print(f"  prompt: {_shown(str(meta.get('prompt', '')), 100)}")
    print(f"  job {meta.get('job')}  seed {meta.get('seed')}  {meta.get('meter')}  "
          f"planned {meta.get('planned_seconds')} s  QA "
          f"{'passed' if meta.get('qa_passed') else 'failed'}")
    for section in meta.get("sections") or []:
        try:
            print(f"  {float(section['start_s']):8.2f} s  {_shown(str(section['name']), 12):12}"
                  f" {section['bars']:>3} bars  {float(section['seconds']):.2f} s")
        except (KeyError, TypeError, ValueError):
            continue
    for transition in meta.get("transitions") or []:
        try:
            print(f"  {float(transition['at_s']):8.2f} s  {transition['mode']} "
                  f"({float(transition['seconds']):g} s)")
        except (KeyError, TypeError, ValueError):
            continue
    print(f"  made from {len(artifact.parents)} stored clips; recipe {artifact.recipe_hash}")
    for child in store.children(artifact.id):
        print(f"  {child.id[:12]}  {_shown(child.kind, 10):10} {_size(child.size):>10}  "
              f"{_shown(child.name, 40)}")
    print(f"  (livetimbre artifacts regen {artifact.id[:12]} composes it again; show --json "
          "shows everything)")
    return 0


def _show(store: Store, artifact: Artifact, as_json: bool) -> int:
    if artifact.kind == "track" and not as_json:
        return _show_track(store, artifact)
    print(json.dumps(artifact.summary(), indent=2, ensure_ascii=True))
    return 0


def _export(store: Store, artifact: Artifact, folder: Path) -> int:
    from livetimbre.errors import StoreError
    from livetimbre.store import export_artifact

    extra = None
    if artifact.kind == "track":
        for sidecar in reversed(store.children(artifact.id, "sidecar")):
            try:
                extra = json.loads(store.read(sidecar))
            except (StoreError, ValueError):
                continue
            if isinstance(extra, dict):
                break
            extra = None
    for path in export_artifact(store, artifact, folder, extra=extra):
        print(f"wrote {path}")
    return 0


def _regen_track(store: Store, artifact: Artifact, settings: Settings) -> int:
    from livetimbre.genres import load_genres
    from livetimbre.track.regen import regenerate_track

    print(f"composing track {artifact.id} again from its recipe…", flush=True)
    result = regenerate_track(store, artifact, load_genres(settings.user_genre_dir),
                              settings.home, settings.soundfont)
    restored = _report_versions(result.changed_versions, result.restored)
    if result.identical:
        print(f"identical: {artifact.id} composed again bit for bit in {result.seconds:.1f} "
              f"s, sha256 {result.sha256}{restored}")
        return 0
    same = ("the same samples in other bytes" if result.same_samples
            else "other samples")
    print(f"differs: {artifact.id} composed again as sha256 {result.sha256} ({same}), "
          f"stored {artifact.sha256}")
    return 1


def _report_versions(changed: Mapping[str, tuple[object, object]], restored: bool) -> str:
    """Print the component versions that changed since the recipe; the note to add when
    a regenerated artifact put its lost blob back."""
    for key, (old, new) in changed.items():
        print(f"version changed: {key}: {old!r} → {new!r}")
    return " (its missing or broken blob is back)" if restored else ""


def _regen(store: Store, artifact: Artifact, settings: Settings) -> int:
    if artifact.kind == "track":
        return _regen_track(store, artifact, settings)
    from livetimbre.genres import load_genres
    from livetimbre.render.regen import regenerate

    result = regenerate(store, artifact, load_genres(settings.user_genre_dir), settings.home,
                        settings.soundfont)
    if result.note:
        print(f"note: {result.note}")
    restored = _report_versions(result.changed_versions, result.restored)
    if result.identical:
        print(f"identical: {artifact.id} regenerated bit for bit, sha256 {result.sha256}"
              f"{restored}")
        return 0
    print(f"differs: {artifact.id} regenerated as sha256 {result.sha256}, stored "
          f"{artifact.sha256}")
    return 1


def run(args: argparse.Namespace) -> int:
    """Perform `livetimbre artifacts ACTION`."""
    from livetimbre.config import Settings
    from livetimbre.store import Store, gc, verify

    settings = Settings.from_env()
    with Store(settings.store_dir) as store:
        if args.action == "list":
            return _list(store, args.kind, args.tag)
        if args.action == "show":
            return _show(store, store.get(args.id), args.json)
        if args.action == "verify":
            report = verify(store)
            for line in report.lines():
                print(line)
            return 0 if report.clean else 1
        if args.action == "export":
            return _export(store, store.get(args.id), args.folder)
        if args.action == "regen":
            return _regen(store, store.get(args.id), settings)
        if args.max_mb is not None and not 0 <= args.max_mb <= 1 << 24:
            raise ValueProblem(f"--max-mb {args.max_mb:g}: use 0 or more megabytes.")
        limit = settings.cache_bytes if args.max_mb is None else int(args.max_mb * 2**20)
        for line in gc(store, limit).lines():
            print(line)
        return 0
