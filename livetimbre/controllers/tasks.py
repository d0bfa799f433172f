"""The one asyncio helper the control surfaces share."""

from __future__ import annotations

__all__ = ["cancel_and_wait"]

import asyncio
import contextlib


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel `task` (if any) and wait until it has ended."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
