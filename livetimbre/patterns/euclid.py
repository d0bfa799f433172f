"""Bjorklund's algorithm, as Tidal runs it (so `(3,8)` is `x..x..x.` and `(5,8)` is
`x.xx.xx.`): the pulses spread as evenly as they go over the steps."""

from __future__ import annotations

__all__ = ["bjorklund"]


def bjorklund(pulses: int, steps: int) -> list[bool]:
    """`steps` booleans with `pulses` of them true (0 <= pulses <= steps)."""
    if not 0 <= pulses <= steps:
        raise ValueError(f"bjorklund: pulses {pulses} outside 0..{steps}")
    heads: list[list[bool]] = [[True] for _ in range(pulses)]
    tails: list[list[bool]] = [[False] for _ in range(steps - pulses)]
    while min(len(heads), len(tails)) > 1:
        if len(heads) > len(tails):
            count = len(tails)
            heads, tails = [h + t for h, t in zip(heads[:count], tails, strict=True)], \
                heads[count:]
        else:
            count = len(heads)
            heads, tails = [h + t for h, t in zip(heads, tails[:count], strict=True)], \
                tails[count:]
    return [b for group in heads + tails for b in group]
