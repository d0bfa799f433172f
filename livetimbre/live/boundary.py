"""Error boundaries: one input's failure is reported, and the performance goes on.

Every surface runs each input inside `ErrorBoundary.run` (a REPL line, an OSC message, a
MIDI message, a patch reload, a render result). An error the user caused
(`LivetimbreError`) comes back as its own message; anything else is a bug: its
traceback goes to the log file under `$LIVETIMBRE_HOME/logs/`, the user sees one line
naming it and where the traceback is, and the music never stops.
"""

from __future__ import annotations

__all__ = ["ErrorBoundary", "Failure"]

import logging
import logging.handlers
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from livetimbre.errors import LivetimbreError

T = TypeVar("T")
LOG_NAME = "livetimbre.log"


@dataclass(frozen=True)
class Failure:
    """What went wrong with one input: a message for the user; `bug` if it was not the
    user's doing (its traceback is in the log)."""

    message: str
    bug: bool = False


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ErrorBoundary:
    """Runs inputs, turning their exceptions into `Failure`s; logs bugs to a file."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / LOG_NAME
        self._logger = logging.getLogger(f"livetimbre.boundary.{id(self)}")
        self._logger.propagate = False
        self._logger.setLevel(logging.ERROR)
        self._handler: logging.Handler | None = None
        self.bugs = 0

    def _log(self) -> logging.Logger:
        if self._handler is None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._handler = logging.handlers.RotatingFileHandler(
                self.log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
            self._handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            self._logger.addHandler(self._handler)
        return self._logger

    def run(self, what: str, action: Callable[[], T]) -> T | Failure:
        """`action()`'s result, or the Failure it raised; `what` names the input in the log
        and the message ('REPL line /save x', 'OSC /livetimbre/tempo')."""
        try:
            return action()
        except LivetimbreError as exc:
            return Failure(_short(str(exc), 2000))
        except Exception as exc:
            return self.bug(what, exc)

    def bug(self, what: str, exc: BaseException) -> Failure:
        """Log `exc` with its traceback; the Failure tells the user where it is."""
        self.bugs += 1
        where = str(self.log_path)
        try:
            self._log().error("%s failed", what, exc_info=exc)
        except OSError as log_error:  # no log file: still say what happened
            where = f"no log ({log_error.strerror or log_error})"
        return Failure(f"internal error in {_short(what, 80)}: {type(exc).__name__}: "
                       f"{_short(str(exc), 200)} (traceback in {where}); still playing",
                       bug=True)

    def record(self, what: str, traceback_text: str) -> str:
        """Log a bug reported from another process (its traceback as text); returns
        where it was logged, for the message the user sees."""
        self.bugs += 1
        try:
            self._log().error("%s failed\n%s", what, traceback_text.rstrip())
        except OSError as log_error:
            return f"no log ({log_error.strerror or log_error})"
        return str(self.log_path)

    def close(self) -> None:
        if self._handler is not None:
            self._logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None
