"""Live patches: re-evaluate the patch file on every save; a bad save changes nothing."""

from __future__ import annotations

__all__ = ["watch_patch"]

from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, awatch


async def watch_patch(path: Path, reload: Callable[[Path], None]) -> None:
    """Call `reload(path)` whenever the file is written (editors that save by renaming
    included: the folder is watched). `reload` reports its own errors and must not raise:
    the watch goes on for the whole performance."""
    target = path.resolve()

    def ours(_change: Change, changed: str) -> bool:
        return Path(changed).resolve() == target

    async for _changes in awatch(target.parent, watch_filter=ours, debounce=150, step=30):
        if not target.exists():
            continue
        reload(path)
