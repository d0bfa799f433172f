"""Whether this machine can sing: espeak-ng on the PATH and pyworld importable."""

from __future__ import annotations

__all__ = ["singer_status"]

import importlib.util

from livetimbre.voice.singing.espeak import espeak_missing


def singer_status() -> str | None:
    """None when espeak-ng and pyworld are usable, else a one-line reason."""
    missing = espeak_missing()
    if missing is not None:
        return missing
    if importlib.util.find_spec("pyworld") is None:
        return "pyworld is not installed (pip install 'livetimbre[voice]')"
    return None
