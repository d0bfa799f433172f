"""What an error about a user's file may quote of it: the one place that decides.

A path named at the REPL, over OSC or on the command line may be anyone's file (a
`/etc/shadow`-style password list, a private key). Its errors name the file, the line
and the column, and quote only:

- a key when it looks like a field name (`FIELD_NAME`: a short identifier); any other
  key is shown as `HIDDEN`;
- a value only when the file is shaped like the kind of file asked for (`shaped`: a
  mapping whose every top-level key is a field of that kind), and then only an excerpt;
  in any other file, a validator's message that repeats a value has it cut (`unechoed`);
- of a YAML syntax error, the parser's words, with every quoted piece of the file that
  is not a field name or a single character replaced (`yaml_problem`); never the line.
"""

from __future__ import annotations

__all__ = ["FIELD_NAME", "HIDDEN", "looks_like_field", "shaped", "shown_key", "unechoed",
           "yaml_problem"]

import re
from collections.abc import Collection

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,31}")
HIDDEN = "(key not quoted)"
ECHO_RUN = 6  # characters: a run this long of a value in a message quotes it
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_TOKEN = re.compile(r"<[a-z ]{1,40}>")  # PyYAML's token names: '<block end>', '<scalar>'


def looks_like_field(key: object) -> bool:
    """True for a key that may be quoted: a short identifier such as `tempo`."""
    return isinstance(key, str) and FIELD_NAME.fullmatch(key) is not None


def shown_key(key: object) -> str:
    """`key` as an error shows it: `'tempo'`, or `HIDDEN`."""
    return f"'{key}'" if looks_like_field(key) else HIDDEN


def shaped(data: object, fields: Collection[str]) -> bool:
    """True if `data` is a non-empty mapping whose top-level keys are all in `fields`:
    the user's own file of that kind, whose values an error may quote."""
    return isinstance(data, dict) and bool(data) and all(
        isinstance(key, str) and key in fields for key in data)


def unechoed(message: str, value: object) -> str:
    """`message` with every run of `ECHO_RUN` or more characters of `value`'s text (its
    str or its repr) replaced by '...', so it quotes nothing of the value."""
    texts = {str(value), repr(value)}
    marked = [False] * len(message)
    for i in range(len(message) - ECHO_RUN + 1):
        if any(message[i:i + ECHO_RUN] in text for text in texts):
            marked[i:i + ECHO_RUN] = [True] * ECHO_RUN
    if not any(marked):
        return message
    out: list[str] = []
    for char, hide in zip(message, marked, strict=True):
        if not hide:
            out.append(char)
        elif not out or out[-1] != "...":
            out.append("...")
    return "".join(out)


def _keep(quoted: str) -> str:
    inner = quoted[1:-1]
    if len(inner) <= 2 or looks_like_field(inner) or _TOKEN.fullmatch(inner):
        return quoted  # one character ('$', '\\t'), a field name, a token name
    return "'...'"


def yaml_problem(problem: str, limit: int = 200) -> str:
    """A YAML parser's message with the pieces of the file it quotes hidden."""
    text = _QUOTED.sub(lambda m: _keep(m.group(0)), " ".join(problem.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."
