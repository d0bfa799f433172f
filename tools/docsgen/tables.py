"""Markdown tables from the code's own tables: slash commands, OSC routes, vocabulary."""

from __future__ import annotations

__all__ = ["code", "osc_table", "slash_table", "table", "vocabulary_tables"]

import html
from collections.abc import Iterable, Sequence


def _cell(text: str) -> str:
    """A table cell: pipes escaped, line breaks folded."""
    return " ".join(text.split()).replace("|", "\\|")


def code(text: str) -> str:
    """`text` as inline code for a table cell. Markdown keeps the backslash of an escaped
    pipe inside a code span, so code with a pipe is written as HTML."""
    if "|" in text:
        return "<code>" + html.escape(text).replace("|", "&#124;") + "</code>"
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def slash_table() -> str:
    from livetimbre.session.slash import COMMANDS

    return table(("command", "does", "example"),
                 ((code(cmd.usage), cmd.summary, code(cmd.example))
                  for cmd in COMMANDS.values()))


def osc_table() -> str:
    from livetimbre.controllers.osc.routes import ROUTES

    def args(usage: str) -> str:
        words = usage.split()[1:]
        return code(" ".join(words)) if words else "—"

    return table(("address", "arguments", "does"),
                 ((code(route.address), args(route.usage), route.summary)
                  for route in ROUTES.values()))


def vocabulary_tables() -> str:
    from livetimbre.planner.vocabulary import GROUPS, VOCABULARY

    every = ("drums", "bass", "chords", "pad", "lead", "arp", "texture")
    parts: list[str] = []
    for group in GROUPS:
        rows = [(entry.name, ", ".join(entry.phrases[1:]),
                 "all" if entry.roles == every else ", ".join(entry.roles), entry.effect)
                for entry in VOCABULARY if entry.group == group]
        parts += [f"### {group.capitalize()}", "", table(("word", "also", "roles", "effect"),
                                                         rows), ""]
    return "\n".join(parts)
