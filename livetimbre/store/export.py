"""Exporting an artifact: its blob and a JSON sidecar copied into a folder, atomically.

The folder is the caller's (it must exist). The files written in it are named from the
artifact's id (or a checked file stem), never from anything stored with it, so nothing
in the database can make an export land outside the folder; a name in the folder that
is a symlink, a FIFO, a device or a folder is refused, not followed or replaced.
"""

from __future__ import annotations

__all__ = ["EXTENSIONS", "export_artifact"]

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from livetimbre.errors import FileProblem, StoreError
from livetimbre.files.read import shown_path
from livetimbre.files.write import atomic_path, write_json
from livetimbre.store.ids import check_file_stem
from livetimbre.store.records import Artifact
from livetimbre.store.store import Store

EXTENSIONS = {
    "application/x-npy": ".npy", "audio/wav": ".wav", "audio/flac": ".flac",
    "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/midi": ".mid",
    "application/json": ".json", "image/png": ".png", "text/plain": ".txt",
}


def _folder(folder: Path) -> Path:
    if "\0" in str(folder):
        raise FileProblem(f"Cannot export into {shown_path(folder)}: the path holds a NUL "
                          "byte.")
    try:
        info = os.stat(folder)
    except OSError as exc:
        raise FileProblem(f"Cannot export into {shown_path(folder)}: "
                          f"{exc.strerror or exc} (create the folder first).") from None
    if not stat.S_ISDIR(info.st_mode):
        raise FileProblem(f"Cannot export into {shown_path(folder)}: it is not a folder.")
    return folder.resolve()


def _inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused if that entry is a symlink or not a regular file."""
    path = folder / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    linked = info is not None and stat.S_ISLNK(info.st_mode)
    if not linked and path.resolve(strict=False).parent != folder:
        raise StoreError(f"Export name {name!r} would leave the folder {shown_path(folder)}.")
    if info is None:
        return path
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem(f"Cannot export to {shown_path(path)}: it is a symlink; export only "
                          "writes new names or replaces regular files.")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"Cannot export to {shown_path(path)}: it is not a regular file.")
    return path


def export_artifact(store: Store, artifact: Artifact, folder: Path,
                    stem: str | None = None, extra: dict[str, Any] | None = None
                    ) -> list[Path]:
    """Copy `artifact`'s blob into `folder` as STEM.EXT (STEM: the id unless given) with
    a STEM.EXT.json sidecar (`extra` merged into it: a track's compose sidecar); the copy
    is hashed on the way and refused if it does not match. Returns the paths written."""
    base = _folder(folder)
    name = check_file_stem(stem if stem is not None else artifact.id)
    extension = EXTENSIONS.get(artifact.media_type, ".bin")
    target = _inside(base, name + extension)
    sidecar = _inside(base, name + extension + ".json")
    with atomic_path(target) as tmp:
        digest = hashlib.sha256()
        with open(tmp, "wb") as out:
            for chunk in store.chunks(artifact):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != artifact.sha256:
            raise StoreError(f"Artifact {artifact.id} is corrupted (its blob does not match "
                             "its SHA-256): not exported. `livetimbre artifacts regen` may "
                             "rebuild it.")
    write_json(sidecar, {**(extra or {}), "livetimbre_artifact": artifact.summary()})
    return [target, sidecar]
