"""How much memory a process holds: its resident set size, read from `/proc`."""

from __future__ import annotations

__all__ = ["rss_bytes"]

from pathlib import Path


def rss_bytes(pid: int | None = None) -> int | None:
    """The resident set size of process `pid` (this one by default) in bytes; None where
    `/proc` does not say (not Linux, or the process has gone)."""
    status = Path("/proc") / ("self" if pid is None else str(pid)) / "status"
    try:
        text = status.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            fields = line.split()
            if len(fields) >= 2 and fields[1].isdigit():
                return int(fields[1]) * 1024
    return None
