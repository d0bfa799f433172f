"""The exception tree. Every error a user can cause is a `LivetimbreError`.

The CLI prints these as one paragraph, without a traceback; anything else is a bug.
"""

from __future__ import annotations

__all__ = [
    "AudioFileError",
    "ConfigError",
    "FileProblem",
    "GenreError",
    "LivetimbreError",
    "PatchError",
    "PatternError",
    "RenderError",
    "SoundFontError",
    "SourceLocation",
    "StoreError",
    "ValueProblem",
]

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """Where a value came from: a file and a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class LivetimbreError(Exception):
    """Base class of every error caused by input, environment or configuration."""


class ConfigError(LivetimbreError):
    """A setting (environment variable, command-line option) is unusable."""


class ValueProblem(LivetimbreError):
    """A value is out of range or malformed (tempo 0, bars -1, key 'H minor', ...)."""


class PatternError(ValueProblem):
    """A mini-notation pattern cannot be used; `column` (1-based) is where, when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


class PatchError(LivetimbreError):
    """A patch file cannot be used; the message names the file, line and column."""


class GenreError(LivetimbreError):
    """A genre profile is unknown or malformed."""


class SoundFontError(LivetimbreError):
    """No usable SoundFont, or the one asked for cannot be loaded."""


class RenderError(LivetimbreError):
    """A clip or a track could not be rendered."""


class FileProblem(LivetimbreError):
    """A file cannot be read or written (a missing or read-only folder, a device, ...)."""


class AudioFileError(FileProblem):
    """An audio file cannot be written (missing folder, unknown format, ...)."""


class StoreError(LivetimbreError):
    """The artifact store cannot do what was asked (a bad id, a missing or corrupted blob,
    a database from a newer livetimbre, ...)."""
