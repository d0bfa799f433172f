"""Release (AETHER): write the artifacts — the track, its sidecar, the motif, stems, MIDI,
picture, plan and recipe — each atomically, and tell the artifact store about each one.

Files go where the user named them; every file derived from a name (the sidecar, the
motif, a stem) must stay in that name's folder: a name or a symlink leading out of it is
refused. `ArtifactSink` is where an artifact store plugs in (livetimbre artifacts …);
without one, `NO_STORE` keeps nothing.
"""

from __future__ import annotations

__all__ = ["NO_STORE", "ArtifactSink", "contained", "file_record", "midi_tracks"]

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from livetimbre.errors import FileProblem
from livetimbre.files.read import shown_path
from livetimbre.music.notes import Part
from livetimbre.planner.clip import ClipPlan
from livetimbre.planner.longform import CompositionPlan
from livetimbre.track.specs import ReleasedFile


class ArtifactSink(Protocol):
    """Receives every released file (an artifact store records and keeps them)."""

    def add(self, path: Path, kind: str, meta: dict[str, Any]) -> None: ...


class _NoStore:
    def add(self, path: Path, kind: str, meta: dict[str, Any]) -> None:
        return None


NO_STORE: ArtifactSink = _NoStore()


def contained(folder: Path, name: str, what: str) -> Path:
    """`folder/name`, if `name` is a plain file name and the file it leads to (symlinks
    followed) lies in `folder`; FileProblem naming `what` otherwise."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise FileProblem(f"{what}: {shown_path(name)!r} is not a plain file name.")
    path = folder / name
    try:
        base = folder.resolve(strict=True)
        target = path.resolve(strict=False)
    except (OSError, RuntimeError) as exc:
        raise FileProblem(f"{what}: cannot write {shown_path(path)} ({exc}).") from None
    if target.parent != base:
        raise FileProblem(f"{what}: {shown_path(path)} leads out of {shown_path(folder)} "
                          f"(to {shown_path(target)}); refusing to write there.")
    return path


def file_record(path: Path, kind: str) -> ReleasedFile:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return ReleasedFile(kind=kind, path=str(path), bytes=size, sha256=digest.hexdigest())


def midi_tracks(plan: CompositionPlan, clips: Sequence[Sequence[ClipPlan]],
                parts: dict[tuple[int, str], Part]) -> list[tuple[str, float, Part]]:
    """(layer, start beat, part) for every loop pass of every section, the last pass of a
    section cut at its end."""
    beats_per_bar = int(plan.meter.split("/")[0])
    out = []
    for section, section_clips in zip(plan.sections, clips, strict=True):
        for clip in section_clips:
            part = parts.get((section.index, clip.layer))
            if part is None:
                continue
            for offset in range(0, section.bars, clip.bars):
                remaining = (section.bars - offset) * beats_per_bar
                cut = part if remaining >= part.beats else replace(
                    part, beats=float(remaining),
                    notes=tuple(n for n in part.notes if n.start < remaining))
                out.append((clip.layer, float((section.start_bar + offset) * beats_per_bar),
                            cut))
    return out
