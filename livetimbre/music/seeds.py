"""Deterministic seeds: a stable SHA-256 of the inputs, never Python's salted `hash()`."""

from __future__ import annotations

__all__ = ["derive_seed", "stable_seed"]

import hashlib

from livetimbre.music.values import MAX_SEED


def stable_seed(*parts: object) -> int:
    """A seed in [0, 2**31) from the text of `parts`; the same on every machine and run."""
    text = "\x1f".join(str(p) for p in parts)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % (MAX_SEED + 1)


def derive_seed(explicit: int | None, *parts: object) -> int:
    """`explicit` when given (explicit seeds win), else a stable seed of `parts`."""
    if explicit is not None:
        return explicit
    return stable_seed(*parts)
