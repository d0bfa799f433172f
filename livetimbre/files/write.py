"""Writing user files atomically, and only where a file belongs.

Every file livetimbre writes (autosave, /save, renders, sidecars, stems, MIDI files,
recordings) goes through `atomic_path`: the data goes to a temporary file in the same
folder, which is flushed to disk (fsync), renamed over the target (`os.replace`), and
the folder is flushed too, so a crash at any moment leaves the old file or the new one,
never a broken one. Only a regular file or a new name is ever replaced: a device, a
FIFO, a socket or a folder is refused. A symlink is followed to its target, which must
itself be a regular file or a new name in an existing folder (the link stays, pointing
at the new file). New files get the user's umask, like any other program's; a replaced
file keeps its mode.
"""

from __future__ import annotations

__all__ = ["atomic_path", "check_output_path", "fsync_folder", "write_json"]

import json
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from livetimbre.errors import FileProblem
from livetimbre.files.read import shown_path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _target(path: Path) -> Path:
    """Where writing `path` lands: symlinks followed; FileProblem for a path that
    cannot name a file (a NUL byte, a symlink loop)."""
    if "\0" in str(path):
        raise FileProblem(f"Cannot write {shown_path(path)}: the path holds a NUL byte.")
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError) as exc:  # a symlink loop
        reason = getattr(exc, "strerror", None) or "a symlink loop"
        raise FileProblem(f"Cannot write {shown_path(path)}: {reason}.") from None


def check_output_path(path: Path) -> Path:
    """The file that writing `path` replaces (symlinks followed), if it may be written:
    a regular file or a new name in an existing, writable folder; FileProblem naming the
    path and the reason otherwise."""
    target = _target(path)
    shown = shown_path(path)
    folder = target.parent
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileProblem(f"Cannot write {shown}: {exc.strerror or exc}.") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise FileProblem(f"Cannot write {shown}: it is {kind}; livetimbre only replaces "
                          "regular files.")
    if not folder.is_dir():
        raise FileProblem(f"Cannot write {shown}: the folder {shown_path(folder)} does not "
                          "exist (create it first).")
    if not os.access(folder, os.W_OK):
        raise FileProblem(f"Cannot write {shown}: the folder {shown_path(folder)} is not "
                          "writable.")
    return target


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it, a new subfolder) to disk."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform that cannot open folders: the rename is all there is
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`'s target; when the block ends without an
    error, the file written there is flushed and renamed over the target."""
    target = check_output_path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise FileProblem(f"Cannot write {shown_path(path)}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        mode = os.stat(target).st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
        check_output_path(path)  # what it names may have changed meanwhile
        os.replace(tmp, target)
        fsync_folder(target.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FileProblem(f"Cannot write {shown_path(path)}: {exc.strerror or exc}.") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Write `data` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
