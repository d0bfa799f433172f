"""Why a MusicGen render could not happen (each leads to the procedural fallback)."""

from __future__ import annotations

__all__ = ["ModelUnavailable"]

from livetimbre.errors import RenderError


class ModelUnavailable(RenderError):
    """torch or transformers missing, weights not downloaded, out of memory, a device
    error: the message says which and what to do."""
