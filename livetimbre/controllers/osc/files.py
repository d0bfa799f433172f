"""Which files OSC may name (`--osc-files`): a client on the network must not be able to
read, overwrite or record into files the performer never meant to share.

`none`: no /load, /save, /record or /compose -o from OSC; `patches` (the default): only inside the
patch's folder and `$LIVETIMBRE_HOME` (symlinks resolved first, so a link cannot lead
out); `any`: anywhere the performer's user may write. The REPL is not limited.
"""

from __future__ import annotations

__all__ = ["OSC_FILES", "FilePolicy"]

from collections.abc import Callable
from pathlib import Path

from livetimbre.errors import ValueProblem
from livetimbre.files.read import shown_path
from livetimbre.session import commands as c

OSC_FILES = ("none", "patches", "any")


def _named_path(command: c.Command) -> Path | None:
    match command:
        case c.Load(path) | c.StartRecording(path):
            return path
        case c.Save(path):
            return path  # None: the session's own patch, which is allowed
        case c.Compose(output=path):
            return path  # None: a new file under $LIVETIMBRE_HOME/tracks, which is allowed
    return None


class FilePolicy:
    """Refuses commands from OSC that name a file outside what `--osc-files` allows."""

    def __init__(self, setting: str, roots: Callable[[], list[Path]]) -> None:
        if setting not in OSC_FILES:
            raise ValueProblem(f"--osc-files {setting!r}: choose {', '.join(OSC_FILES)}.")
        self.setting = setting
        self._roots = roots

    def check(self, command: c.Command) -> None:
        """Raise ValueProblem if `command` names a file OSC may not reach."""
        path = _named_path(command)
        if path is None or self.setting == "any":
            return
        shown = shown_path(path)
        if self.setting == "none":
            raise ValueProblem(f"{shown}: OSC may not name files (--osc-files none).")
        try:
            target = path.expanduser().resolve()
            roots = [root.resolve() for root in self._roots()]
        except (OSError, RuntimeError, ValueError):
            raise ValueProblem(f"{shown}: not a usable path.") from None
        if not any(target.is_relative_to(root) for root in roots):
            where = " or ".join(shown_path(root) for root in roots)
            raise ValueProblem(f"{shown}: OSC may only name files in {where} "
                               "(--osc-files any lifts this).")
