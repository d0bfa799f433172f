"""`verify` and `gc`: every blob checked against its row, and what is left over removed.

`verify` recomputes every blob's SHA-256 and reports corrupted and missing blobs (with
the artifacts that use them), orphans (blobs no row uses, temporary files left by a
writer that died) and strays (anything else in the blob folder). `gc` removes orphans,
forgets cache artifacts whose blob is gone, and evicts the cache to its limit.
"""

from __future__ import annotations

__all__ = ["GcReport", "VerifyReport", "gc", "verify"]

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from livetimbre.errors import StoreError
from livetimbre.store.store import Store


@dataclass
class VerifyReport:
    """What `verify` found."""

    artifacts: int = 0
    blobs: int = 0
    bytes_checked: int = 0
    corrupted: list[tuple[str, str, list[str]]] = field(default_factory=list)  # sha, why, ids
    missing: list[tuple[str, list[str]]] = field(default_factory=list)  # sha, ids
    orphans: list[Path] = field(default_factory=list)  # blobs no row uses
    temps: list[Path] = field(default_factory=list)  # temporary files of dead writers
    strays: list[Path] = field(default_factory=list)  # not blobs at all

    @property
    def clean(self) -> bool:
        return not (self.corrupted or self.missing or self.orphans or self.temps
                    or self.strays)

    def lines(self) -> list[str]:
        """The report as lines for the terminal."""
        out = [f"checked {self.artifacts} artifacts, {self.blobs} blobs, "
               f"{self.bytes_checked:,} bytes"]
        for sha, why, ids in self.corrupted:
            out.append(f"corrupted: blob {sha} ({why}); used by {', '.join(ids)}")
        for sha, ids in self.missing:
            out.append(f"missing: blob {sha}; used by {', '.join(ids)}")
        out += [f"orphan: {path.name} (no artifact uses it; gc removes it)"
                for path in self.orphans]
        out += [f"orphan: temporary file {path.name} (left by a writer that stopped; gc "
                "removes it)" for path in self.temps]
        out += [f"stray: {path} is not a blob (left alone; remove it by hand)"
                for path in self.strays]
        if self.clean:
            out.append("the store is consistent")
        return out


@dataclass
class GcReport:
    """What `gc` removed."""

    orphans: int = 0
    temps: int = 0
    forgotten: list[str] = field(default_factory=list)  # cache artifacts whose blob is gone
    evicted: list[str] = field(default_factory=list)
    usage_after: int = 0

    def lines(self) -> list[str]:
        return [f"removed {self.orphans} orphan blobs and {self.temps} temporary files; "
                f"forgot {len(self.forgotten)} cache artifacts without their blob; evicted "
                f"{len(self.evicted)} cache artifacts; the cache now holds "
                f"{self.usage_after / 2**20:.1f} MB"]


def _leftovers(store: Store, report: VerifyReport) -> set[str]:
    """Orphans, temporary files and strays (call holding `store.locked()`, so that a
    blob whose row is on its way is not taken for an orphan); returns the referenced
    blob names."""
    referenced = store.referenced()
    for sha, path in store.blobs.scan():
        if sha is None:
            report.strays.append(path)
        elif sha not in referenced:
            report.orphans.append(path)
    report.temps = store.blobs.stale_temps()
    return set(referenced)


def verify(store: Store, hashes: bool = True) -> VerifyReport:
    """Check the whole store (every blob's hash too, with `hashes`)."""
    report = VerifyReport()
    with store.locked():
        _leftovers(store, report)
    referenced = store.referenced()  # again: rows written meanwhile are checked too
    report.artifacts = sum(len(ids) for _, ids in referenced.values())
    for sha, (size, ids) in sorted(referenced.items()):
        report.blobs += 1
        try:
            problem = store.blobs.check(sha, size) if hashes else _size_problem(store, sha,
                                                                                   size)
        except StoreError as exc:  # a row whose sha256 is not a blob name
            report.corrupted.append((sha[:64], str(exc), ids))
            continue
        if problem == "missing":
            report.missing.append((sha, ids))
        elif problem:
            report.corrupted.append((sha, problem, ids))
        else:
            report.bytes_checked += size
    return report


def _size_problem(store: Store, sha: str, size: int) -> str:
    """'' if blob `sha` is a regular file of `size` bytes, else what is wrong."""
    try:
        info = os.lstat(store.blobs.path_for(sha))
    except StoreError:
        return "not a blob name"
    except FileNotFoundError:
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return "" if info.st_size == size else f"{info.st_size:,} bytes, not {size:,}"


def gc(store: Store, max_bytes: int | None = None) -> GcReport:
    """Remove orphan blobs and dead writers' temporary files, forget cache artifacts
    whose blob is missing or of the wrong size, then evict the cache to `max_bytes`."""
    result = GcReport()
    with store.locked():
        seen = VerifyReport()
        _leftovers(store, seen)
        for path in seen.orphans:
            path.unlink(missing_ok=True)
            result.orphans += 1
    for path in seen.temps:
        path.unlink(missing_ok=True)
        result.temps += 1
    broken = [artifact.id for artifact in store.artifacts() if artifact.evictable
              and _size_problem(store, artifact.sha256, artifact.size)]
    if broken:
        store.delete(broken)
        result.forgotten = broken
    if max_bytes is not None:
        result.evicted = store.evict(max_bytes)
    result.usage_after = store.usage(evictable_only=True)
    return result
