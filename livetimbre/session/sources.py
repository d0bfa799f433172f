"""Checks for the user's own sounds a session names: a loop's file, tempo and key, a
kit's folder. Only the values are checked here; the files themselves are read (and
checked as hostile input) when a clip is planned and rendered."""

from __future__ import annotations

__all__ = ["MAX_PATH", "check_sample_bpm", "check_sample_key", "check_user_path"]

from livetimbre.errors import ValueProblem
from livetimbre.files.read import shown_path
from livetimbre.music.theory import parse_key
from livetimbre.music.values import check_tempo

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
