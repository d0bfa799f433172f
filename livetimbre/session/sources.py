"""The user's own sounds in a session: the changes that put a loop in a slot
(`SetClipSample`, `/sample`) and a kit on a layer (`SetKit`, `/kit`), and the checks of
the values naming them (a loop's file, tempo and key, a kit's folder). Only the values
are checked here; the files themselves are read (and checked as hostile input) when a
clip is planned and rendered."""

from __future__ import annotations

__all__ = ["MAX_PATH", "SetClipSample", "SetKit", "check_sample_bpm", "check_sample_key",
           "check_user_path"]

import shlex
from dataclasses import dataclass

from livetimbre.errors import ValueProblem
from livetimbre.files.read import shown_path
from livetimbre.music.theory import parse_key
from livetimbre.music.values import check_tempo
from livetimbre.session.model import Session

MAX_PATH = 4096


def check_user_path(path: str, what: str) -> str:
    """`path` if it can name a file: not empty, no NUL byte, at most MAX_PATH long."""
    if not path.strip():
        raise ValueProblem(f"The {what} needs a path.")
    if "\x00" in path:
        raise ValueProblem(f"The {what} path {shown_path(path)} holds a NUL byte.")
    if len(path) > MAX_PATH:
        raise ValueProblem(f"The {what} path is {len(path):,} characters; the limit is "
                           f"{MAX_PATH:,}.")
    return path


def check_sample_bpm(value: object) -> float | None:
    """The loop's own tempo (20 to 400 BPM), or None to find it by its beats."""
    if value is None or (isinstance(value, str) and value.lower() == "auto"):
        return None
    return check_tempo(value, "the loop's bpm")


def check_sample_key(value: object) -> str | None:
    """None (no pitch shift), 'auto' (estimate the loop's key) or the loop's key, as
    its normal name ('E minor')."""
    if value is None or value is False:
        return None
    if not isinstance(value, str):
        raise ValueProblem(f"A loop's key is 'auto', 'off' or a key such as 'E minor' "
                           f"(got {value!r:.40}).")
    text = value.strip()
    if text.lower() in ("off", "none", ""):
        return None
    if text.lower() == "auto":
        return "auto"
    return str(parse_key(text))


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)  # normalising a frozen dataclass's own field


@dataclass(frozen=True)
class SetClipSample:
    """Put the audio loop `path` (absolute) in a slot: fitted to the bar grid, and with
    `key` ('auto' or the loop's key) pitch-shifted into the session's key."""

    layer: str
    scene: str | int  # a scene by 1-based number or by name
    path: str
    bpm: float | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        check_user_path(self.path, "loop")
        _set(self, "bpm", check_sample_bpm(self.bpm))
        _set(self, "key", check_sample_key(self.key))

    def slash(self) -> str:
        extra = (f" bpm={self.bpm:g}" if self.bpm else "") + (
            f' key="{self.key}"' if self.key else "")
        return f"/sample {self.layer} {self.scene} {shlex.quote(_shown(self.path))}{extra}"

    def answer(self, new: Session) -> str:
        name = new.scenes[new.scene_index(self.scene)].name
        return f"{self.layer}@{name}: fitting loop {_shown(self.path)}"


@dataclass(frozen=True)
class SetKit:
    """Play `layer`'s drum patterns with the one-shots in folder `path` (absolute);
    None: the SoundFont's kit again."""

    layer: str
    path: str | None

    def __post_init__(self) -> None:
        if self.path is not None:
            check_user_path(self.path, "kit folder")

    def slash(self) -> str:
        return f"/kit {self.layer} {shlex.quote(_shown(self.path)) if self.path else 'off'}"

    def answer(self, new: Session) -> str:
        if self.path is None:
            return f"{self.layer} plays the SoundFont's kit"
        return f"{self.layer} plays the kit in {_shown(self.path)}"


def _shown(path: str) -> str:
    """A path in a reply or an undo label: escaped, and its end when it is long."""
    text = path if path.isprintable() else repr(path)[1:-1]
    return text if len(text) <= 60 else "..." + text[-57:]
