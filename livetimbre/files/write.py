"""Atomic file output: write beside the target, then rename over it.

A crash or a bad value never leaves a half-written file where a good one was.
"""

from __future__ import annotations

__all__ = ["atomic_path", "check_output_path", "write_json"]

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from livetimbre.errors import AudioFileError


def check_output_path(path: Path) -> Path:
    """`path` if its folder exists and is writable; else AudioFileError naming it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AudioFileError(
            f"Cannot write {path}: the folder {folder} does not exist (create it first)."
        )
    if not os.access(folder, os.W_OK):
        raise AudioFileError(f"Cannot write {path}: the folder {folder} is not writable.")
    if path.is_dir():
        raise AudioFileError(f"Cannot write {path}: it is a folder, not a file name.")
    return path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`."""
    check_output_path(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=path.suffix or ".tmp", dir=path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Write `data` as indented JSON, atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=False) + "\n", encoding="utf-8")
