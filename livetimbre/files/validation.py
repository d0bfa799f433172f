"""Glue between the `check_*` / `parse_*` functions and pydantic models.

The same checks serve slash commands and files; inside a model they must raise
`ValueError` for pydantic to attach the field's location, which these wrappers do.
"""

from __future__ import annotations

__all__ = ["FieldProblem", "accepted_by", "as_validator"]

from collections.abc import Callable
from typing import Any

from livetimbre.errors import ValueProblem


class FieldProblem(ValueError):
    """A validator's error about a value nested below the field being validated.

    `subpath` (keys and indexes) extends the field's location, so the message can point
    at the exact line of, say, one drum voice inside a genre's rhythm section.
    """

    def __init__(self, message: str, *subpath: str | int) -> None:
        super().__init__(message)
        self.subpath = subpath


def as_validator(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap `check` so its ValueProblem reaches pydantic as a ValueError."""

    def run(value: object) -> object:
        try:
            return check(value)
        except ValueProblem as exc:
            raise ValueError(str(exc).rstrip(".")) from None

    return run


def accepted_by(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A validator that keeps the original text when `parse` accepts it ('A minor')."""
    check = as_validator(parse)

    def run(value: object) -> object:
        if not isinstance(value, str):
            raise ValueError(f"expected text such as 'A minor' or '4/4', got {value!r:.40}")
        check(value)
        return value

    return run
