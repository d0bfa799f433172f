"""A progress bar per section on the terminal (standard error); silent when quiet."""

from __future__ import annotations

__all__ = ["SectionProgress"]

import sys
import time
from typing import TextIO

_WIDTH = 24


class SectionProgress:
    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._label = ""
        self._started = 0.0

    def stage(self, name: str) -> None:
        """A stage of the pipeline begins (for watchers; the terminal shows sections)."""

    def section(self, number: int, count: int, name: str) -> None:
        """Sound design begins section `number` of `count` (from 1)."""

    def say(self, text: str) -> None:
        if not self.quiet:
            print(f"livetimbre: {text}", file=self.stream, flush=True)

    def warn(self, text: str) -> None:
        """Said even when quiet: something the run could not do (it went on without)."""
        print(f"livetimbre: warning: {text}", file=self.stream, flush=True)

    def start(self, label: str) -> None:
        self._label, self._started = label, time.perf_counter()
        self.update(0.0)

    def update(self, fraction: float) -> None:
        if self.quiet or not self._tty:
            return
        filled = round(_WIDTH * min(1.0, max(0.0, fraction)))
        bar = "█" * filled + "░" * (_WIDTH - filled)
        print(f"\rlivetimbre: {self._label:<28} {bar} {fraction:4.0%}", end="",
              file=self.stream, flush=True)

    def done(self, extra: str = "") -> None:
        if self.quiet:
            return
        seconds = time.perf_counter() - self._started
        bar = "█" * _WIDTH
        line = f"livetimbre: {self._label:<28} {bar} 100% {seconds:.1f} s{extra}"
        print(("\r" if self._tty else "") + line, file=self.stream, flush=True)
