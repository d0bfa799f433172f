"""Markdown tables from the code's own tables: slash commands, OSC routes, vocabulary."""

from __future__ import annotations

__all__ = ["code", "osc_table", "param_table", "slash_table", "table", "vocabulary_tables"]

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


def param_table() -> str:
    from livetimbre.music.effects import FX
    from livetimbre.session.params import PARAMS

    def values(name: str) -> str:
        p = PARAMS[name]
        if p.choices:
            return code("|".join(choice for choice, _ in p.choices))
        unit = f" {p.unit}" if p.unit else ""
        travel = ", log" if p.curve == "log" else ""
        return f"{p.low:g} to {p.high:g}{unit}{travel}"

    def default(name: str) -> str:
        others = {"gain": "0", "mute": "off", "solo": "off", "tempo": "the genre's"}
        return PARAMS[name].show(FX[name].default) if name in FX else others[name]

    return table(("parameter", "of", "values (a control's travel)", "default", "sets"),
                 ((code(name), p.scope, values(name), default(name), p.summary)
                  for name, p in PARAMS.items()))


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
