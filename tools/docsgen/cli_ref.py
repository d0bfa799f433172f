"""The command-line reference, read from the argparse parsers (`livetimbre.cli.build_parser`)."""

from __future__ import annotations

__all__ = ["cli_reference"]

import argparse

from tools.docsgen.tables import code, table


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    out: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            out += list(action.choices.items())
    return out


def _value(action: argparse.Action) -> str:
    if action.nargs == 0:
        return ""
    if action.metavar is not None:
        return str(action.metavar)
    if action.choices is not None:
        return "|".join(str(choice) for choice in action.choices)
    return str(action.dest).upper()


def _spelling(action: argparse.Action) -> str:
    value = _value(action)
    if not action.option_strings:
        return code(value)
    return ", ".join(code(f"{flag} {value}".rstrip()) for flag in action.option_strings)


def _default(action: argparse.Action) -> str:
    if action.required and action.option_strings:
        return "required"
    if action.default in (None, False, [], argparse.SUPPRESS) or action.nargs == 0:
        return ""
    return code(str(action.default))


def _options(parser: argparse.ArgumentParser) -> str:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        rows.append((_spelling(action), _default(action), action.help or ""))
    return table(("argument", "default", "meaning"), rows) if rows else ""


def _section(parser: argparse.ArgumentParser, level: int) -> list[str]:
    parts = [f"{'#' * level} `{parser.prog}`", ""]
    if parser.description:
        parts += [" ".join(parser.description.split()), ""]
    subcommands = _subcommands(parser)
    if subcommands:
        helps = {choice.dest: choice.help or "" for action in parser._actions
                 if isinstance(action, argparse._SubParsersAction)
                 for choice in action._choices_actions}
        parts += [table(("command", "does"),
                        ((code(sub.prog), helps.get(name, "")) for name, sub in subcommands)),
                  ""]
    options = _options(parser)
    if options:
        parts += [options, ""]
    for _, sub in subcommands:
        parts += _section(sub, min(level + 1, 4))
    return parts


def cli_reference() -> str:
    """Every command and subcommand with its arguments, options and defaults."""
    from livetimbre.cli import build_parser

    return "\n".join(_section(build_parser(), 2))
