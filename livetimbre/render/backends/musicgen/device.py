"""Which torch device renders: $LIVETIMBRE_DEVICE (cpu, cuda, cuda:N, mps), else the
first of cuda → mps → cpu that this machine has."""

from __future__ import annotations

__all__ = ["choose_device"]

import os
import re
from typing import Any

from livetimbre.render.backends.musicgen.errors import ModelUnavailable

_NAMES = re.compile(r"cpu|mps|cuda(:\d+)?")


def choose_device(torch: Any) -> str:
    """The device name; ModelUnavailable when the one asked for is not there."""
    wanted = os.environ.get("LIVETIMBRE_DEVICE", "").strip().lower()
    mps = getattr(torch.backends, "mps", None)
    has_mps = bool(mps is not None and mps.is_available())
    if wanted in ("", "auto"):
        if torch.cuda.is_available():
            return "cuda"
        return "mps" if has_mps else "cpu"
    if not _NAMES.fullmatch(wanted):
        raise ModelUnavailable(f"LIVETIMBRE_DEVICE={wanted[:20]!r} is not cpu, cuda, cuda:N "
                               "or mps.")
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise ModelUnavailable(f"LIVETIMBRE_DEVICE={wanted}, but torch sees no CUDA device.")
    if wanted == "mps" and not has_mps:
        raise ModelUnavailable("LIVETIMBRE_DEVICE=mps, but torch sees no MPS device.")
    return wanted
