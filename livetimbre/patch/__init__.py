"""Patch files: the YAML form of a session (DESIGN §3)."""

from livetimbre.patch.load import load_patch, parse_patch

__all__ = ["load_patch", "parse_patch"]
