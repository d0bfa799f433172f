"""Whether this machine can sing: espeak-ng on the PATH and pyworld importable."""

from __future__ import annotations

__all__ = ["load_pyworld", "singer_status"]

import importlib.util
import warnings
from types import ModuleType

from livetimbre.voice.singing.espeak import espeak_missing


def load_pyworld() -> ModuleType:
    """The WORLD vocoder's module. pyworld 0.3.5 reads its own version through
    pkg_resources (gone from setuptools 81; the voice extra keeps an older setuptools),
    whose deprecation warning is no business of a performer's, so it is not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyworld  # the optional voice extra
    module: ModuleType = pyworld
    return module


def singer_status() -> str | None:
    """None when espeak-ng and pyworld are usable, else a one-line reason."""
    missing = espeak_missing()
    if missing is not None:
        return missing
    if importlib.util.find_spec("pyworld") is None:
        return "pyworld is not installed (pip install 'livetimbre[voice]')"
    try:
        load_pyworld()
    except ImportError as exc:  # e.g. a setuptools without pkg_resources
        return (f"pyworld cannot be loaded ({type(exc).__name__}: {exc}; "
                "pip install 'livetimbre[voice]' again)")
    return None
