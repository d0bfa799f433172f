"""Content-addressed blob files: `blobs/ab/cd/abcd…` named by their SHA-256.

A blob is written to `tmp/PID-….tmp`, hashed as it goes, flushed (fsync), and only then
renamed to its final name (and its folder flushed): a blob under its final name is
always whole. Readers open without following a symlink, check that it is a regular
file of the recorded size and, by default, its hash.
"""

from __future__ import annotations

__all__ = ["Blobs", "TempBlob"]

import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from livetimbre.errors import StoreError
from livetimbre.files.read import shown_path
from livetimbre.files.write import fsync_folder
from livetimbre.store.ids import check_sha256
from livetimbre.system.processes import pid_alive

_CHUNK = 1 << 20
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
               | getattr(os, "O_CLOEXEC", 0))
STALE_TEMP_S = 24 * 3600  # a temporary file this old is left over, whoever wrote it


@dataclass(frozen=True)
class TempBlob:
    """A blob written and flushed under a temporary name, not yet published."""

    path: Path
    sha256: str
    size: int


class Blobs:
    """The blob folder (`blobs/`) and its temporary folder (`tmp/`) under `root`."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "blobs"
        self.tmp = root / "tmp"
        for folder in (self.folder, self.tmp):
            _make_folder(folder)

    def path_for(self, sha256: str) -> Path:
        sha = check_sha256(sha256)
        return self.folder / sha[:2] / sha[2:4] / sha

    # --- writing ------------------------------------------------------------------------
    def write_temp(self, chunks: Iterable[bytes | memoryview]) -> TempBlob:
        """Write `chunks` to a flushed temporary file, hashing them on the way."""
        fd, name = tempfile.mkstemp(prefix=f"{os.getpid()}-", suffix=".tmp", dir=self.tmp)
        path = Path(name)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return TempBlob(path, digest.hexdigest(), size)

    def publish(self, temp: TempBlob) -> bool:
        """Rename `temp` to its final name (call with the database's write lock held, so
        no `gc` removes it before its row exists). A copy already there whose size and
        hash are right is kept and `temp` removed (deduplication); a broken one is
        replaced. True if renamed."""
        final = self.path_for(temp.sha256)
        if self._whole(final, temp.size) and not self.check(temp.sha256, temp.size):
            temp.path.unlink(missing_ok=True)
            return False
        for folder in (final.parent.parent, final.parent):
            if not folder.is_dir():
                _make_folder(folder)
                fsync_folder(folder.parent)
        os.replace(temp.path, final)
        fsync_folder(final.parent)
        return True

    @staticmethod
    def _whole(path: Path, size: int) -> bool:
        try:
            info = os.lstat(path)
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and info.st_size == size

    # --- reading ------------------------------------------------------------------------
    def open(self, sha256: str, size: int) -> int:
        """A file descriptor on blob `sha256`, checked to be a regular file of `size`
        bytes; StoreError saying it is missing or broken otherwise."""
        path = self.path_for(sha256)
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except FileNotFoundError:
            raise StoreError(f"Blob {sha256[:16]}… is missing from the store.") from None
        except OSError as exc:
            raise StoreError(f"Blob {sha256[:16]}… cannot be opened: "
                             f"{exc.strerror or exc} (a symlink?).") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            os.close(fd)
            shown = "not a regular file" if not stat.S_ISREG(info.st_mode) else (
                f"{info.st_size:,} bytes, not {size:,}")
            raise StoreError(f"Blob {sha256[:16]}… is corrupted: {shown}.")
        return fd

    def read(self, sha256: str, size: int, verify: bool = True) -> bytes:
        """The content of blob `sha256`; with `verify`, its hash is checked too."""
        fd = self.open(sha256, size)
        try:
            data = bytearray(size)
            view = memoryview(data)
            done = 0
            while done < size:
                count = os.readv(fd, [view[done:]])
                if count == 0:
                    raise StoreError(f"Blob {sha256[:16]}… is corrupted: it shrank while "
                                     "being read.")
                done += count
        finally:
            os.close(fd)
        if verify and hashlib.sha256(data).hexdigest() != sha256:
            raise StoreError(f"Blob {sha256[:16]}… is corrupted: its content does not match "
                             "its SHA-256.")
        return bytes(data)

    def chunks(self, sha256: str, size: int) -> Iterator[bytes]:
        """The content of blob `sha256` in chunks (unverified: hash them as they come)."""
        fd = self.open(sha256, size)
        try:
            while chunk := os.read(fd, _CHUNK):
                yield chunk
        finally:
            os.close(fd)

    def check(self, sha256: str, size: int) -> str:
        """'' if blob `sha256` is whole (size and hash), else what is wrong with it
        ('missing', or why it is corrupted)."""
        digest = hashlib.sha256()
        try:
            for chunk in self.chunks(sha256, size):
                digest.update(chunk)
        except StoreError as exc:
            return "missing" if "missing" in str(exc) else str(exc).split(": ", 1)[-1]
        if digest.hexdigest() != sha256:
            return "its content does not match its SHA-256"
        return ""

    # --- scanning -----------------------------------------------------------------------
    def scan(self) -> Iterator[tuple[str | None, Path]]:
        """(sha256, path) of every entry under `blobs/`; sha256 is None for an entry that
        is not a blob (a wrong name or place, a symlink, a folder where a blob belongs)."""
        for first in sorted(_entries(self.folder)):
            if not _plain_folder(first) or not _shard(first.name):
                yield None, first
                continue
            for second in sorted(_entries(first)):
                if not _plain_folder(second) or not _shard(second.name):
                    yield None, second
                    continue
                for entry in sorted(_entries(second)):
                    name = entry.name
                    good = (len(name) == 64 and name.startswith(first.name + second.name)
                            and _is_sha(name) and stat.S_ISREG(os.lstat(entry).st_mode))
                    yield (name if good else None), entry

    def stale_temps(self, now: float | None = None) -> list[Path]:
        """Temporary files left by writers that are gone (killed, crashed), or old."""
        now = time.time() if now is None else now
        stale = []
        for entry in _entries(self.tmp):
            pid_text = entry.name.split("-", 1)[0]
            try:
                age = now - os.lstat(entry).st_mtime
            except OSError:
                continue
            alive = pid_text.isdigit() and pid_alive(int(pid_text))
            if not alive or age > STALE_TEMP_S:
                stale.append(entry)
        return sorted(stale)


def _shard(name: str) -> bool:
    return len(name) == 2 and all(c in "0123456789abcdef" for c in name)


def _is_sha(name: str) -> bool:
    try:
        check_sha256(name)
    except StoreError:
        return False
    return True


def _entries(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder)]
    except FileNotFoundError:
        return []


def _plain_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise StoreError(f"Cannot create the store folder {shown_path(folder)}: "
                         f"{reason}.") from None
    if not folder.is_dir():
        raise StoreError(f"The store folder {shown_path(folder)} is not a folder.")
