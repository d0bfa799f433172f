"""Reading files a user or a surface names: regular files only, bounded in size, UTF-8,
and never echoed back.

A path from the REPL, OSC or a patch may name a device (`/dev/zero`), a FIFO that
blocks until someone writes to it, a huge or sparse file, a symlink loop, or someone
else's secret. The file is opened without blocking, checked with `fstat` on the open
descriptor (so a file swapped between a check and the open changes nothing), read up
to a limit, and decoded as UTF-8; errors name the path and the reason, and quote at
most a short, escaped excerpt of a value (`excerpt`), never the file's content.
"""

from __future__ import annotations

__all__ = ["LYRICS_LIMIT", "PATCH_LIMIT", "UNTRUSTED_OPEN", "excerpt", "read_user_text",
           "shown_path"]

import os
import stat
from pathlib import Path

from livetimbre.errors import LivetimbreError

PATCH_LIMIT = 4 * 1024 * 1024  # bytes: patches, genre and controller profiles, autosaves
LYRICS_LIMIT = 256 * 1024  # bytes: a lyrics file (a song's words are a few kilobytes)
_CHUNK = 1 << 16


def excerpt(value: object, limit: int = 40) -> str:
    """`value` as a short, escaped quotation for an error message."""
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def shown_path(path: Path | str) -> str:
    """A path as an error message shows it: escaped if it holds control characters,
    shortened if very long."""
    text = str(path)
    if not text.isprintable():
        text = repr(text)[1:-1]
    return text if len(text) <= 200 else text[:97] + "..." + text[-100:]


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"

# How a file a surface names is opened: read-only, never blocking on a FIFO or device,
# never becoming our terminal, never inherited by a child.
UNTRUSTED_OPEN = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                  | getattr(os, "O_CLOEXEC", 0))


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def read_user_text(path: Path, what: str, error: type[LivetimbreError],
                   limit: int = PATCH_LIMIT) -> str:
    """The UTF-8 text of the regular file `path` (at most `limit` bytes); `error` naming
    `what` ('patch file'), the path and the reason otherwise."""
    where = shown_path(path)
    try:
        fd = os.open(path, UNTRUSTED_OPEN)
    except FileNotFoundError:
        raise error(f"{what} not found: {where}.") from None
    except ValueError:  # a NUL byte in the path
        raise error(f"Cannot read {what} {where}: the path holds a NUL byte.") from None
    except OSError as exc:
        raise error(f"Cannot read {what} {where}: {_reason(exc)}.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"Cannot read {what} {where}: it is {_kind(info.st_mode)}, "
                        "not a regular file.")
        if info.st_size > limit:
            raise error(f"Cannot read {what} {where}: it is {info.st_size:,} bytes; the "
                        f"limit is {limit:,}.")
        data = _read_at_most(fd, limit, what, where, error)
    except OSError as exc:
        raise error(f"Cannot read {what} {where}: {_reason(exc)}.") from None
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(f"{where}:{line}:{column}: {what} is not UTF-8 text (byte "
                    f"0x{data[exc.start]:02x}).") from None


def _read_at_most(fd: int, limit: int, what: str, where: str,
                  error: type[LivetimbreError]) -> bytes:
    """Up to `limit` bytes; a file that grew past it since `fstat` is refused."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise error(f"Cannot read {what} {where}: it is larger than the limit of "
                        f"{limit:,} bytes.")
