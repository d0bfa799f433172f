"""YAML loading that remembers where every value came from.

`load_yaml` returns plain data plus a map from each value's path (the tuple of keys
and indexes pydantic reports in `ValidationError.loc`) to its line and column, so a
validation error can point at the exact spot in the file. What its errors may quote of
the file is decided in `files.quoting`.
"""

from __future__ import annotations

__all__ = ["SECRET", "LocatedYaml", "format_validation_error", "load_yaml", "validate_located"]

from dataclasses import dataclass, field
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from livetimbre.errors import LivetimbreError, SourceLocation
from livetimbre.files.quoting import (
    HIDDEN,
    looks_like_field,
    shaped,
    shown_key,
    unechoed,
    yaml_problem,
)
from livetimbre.files.read import excerpt, shown_path
from livetimbre.files.validation import FieldProblem

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass
class LocatedYaml:
    """Parsed YAML data and the source location of every node in it."""

    data: Any
    source: str
    locations: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> SourceLocation:
        """The location of `path`, or of its closest ancestor that has one."""
        probe = tuple(path)
        while probe:
            if probe in self.locations:
                line, col = self.locations[probe]
                return SourceLocation(self.source, line, col)
            probe = probe[:-1]
        line, col = self.locations.get((), (1, 1))
        return SourceLocation(self.source, line, col)


def _value(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    """The value of a scalar node (or a key); a value its tag cannot take (`!!int x`,
    `!!timestamp x`, `2024-13-45`, an empty `!!float`) is a YAML error, whose words
    never quote it."""
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, AttributeError, OverflowError, IndexError):
        name = node.tag.removeprefix("tag:yaml.org,2002:")
        tag = f"!!{name}" if name != node.tag and looks_like_field(name) else "its tag"
        raise yaml.constructor.ConstructorError(
            None, None, f"a value that {tag} cannot take", node.start_mark) from None


def _construct(node: yaml.Node, path: Path_, out: LocatedYaml, loader: yaml.SafeLoader) -> Any:
    out.locations[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _value(key_node, loader)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {shown_key(key)}", key_node.start_mark
                )
            result[key] = _construct(value_node, (*path, key), out, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), out, loader) for i, item in enumerate(node.value)]
    return _value(node, loader)


MAX_DEPTH = 32  # nesting of mappings and sequences
MAX_NODES = 200_000  # scalars, mappings and sequences in one file


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (`*name`: a few hundred bytes of them can
    expand to gigabytes, or refer to themselves) and bounding depth and node count."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in livetimbre files",
                self.get_mark())
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"more than {MAX_NODES:,} values in one file", self.get_mark())
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", self.get_mark())
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str, source: str, error: type[LivetimbreError]) -> LocatedYaml:
    """Parse `text` (named `source` in messages); syntax errors raise `error` with the line.

    Aliases are refused and depth and size are bounded (see `_BoundedLoader`)."""
    source = shown_path(source)
    out = LocatedYaml(data=None, source=source)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # its reader refuses control characters at once
        node = loader.get_single_node()
        out.data = None if node is None else _construct(node, (), out, loader)
    except yaml.MarkedYAMLError as exc:  # its str() quotes the line: never shown
        mark = exc.problem_mark or exc.context_mark
        where = SourceLocation(source, mark.line + 1, mark.column + 1) if mark else source
        problem = yaml_problem(exc.problem or exc.context or "invalid YAML")
        raise error(f"{where}: invalid YAML: {problem}.") from None
    except yaml.YAMLError as exc:
        raise error(f"{source}: invalid YAML: {yaml_problem(str(exc))}.") from None
    except RecursionError:
        raise error(f"{source}: invalid YAML: nested too deeply.") from None
    finally:
        if loader is not None:
            loader.dispose()
    return out


MAX_PROBLEMS = 5  # listed in one message; the rest are counted
SECRET = "secret_value"  # the error type of a value never shown back (it may hold a password)


def _shown_loc(loc: Path_) -> str:
    return ".".join(str(p) if not isinstance(p, str) or looks_like_field(p) or p == "[key]"
                    else HIDDEN for p in loc)


def format_validation_error(exc: ValidationError, located: LocatedYaml, what: str,
                            values: bool = False) -> str:
    """One paragraph naming the problems with their file:line:column; keys only as
    `files.quoting` allows, and a short excerpt of each bad scalar only if `values` (the
    file is shaped like the kind asked for: never more of the file, it may not be the
    user's)."""
    lines = []
    errors = exc.errors()
    for err in errors[:MAX_PROBLEMS]:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldProblem):
            loc = (*loc, *cause.subpath)
        message = _short(err["msg"].removeprefix("Value error, "))
        bad = err.get("input")
        if not values:
            message = unechoed(message, bad)
        hidden = (not values or isinstance(bad, dict | list) or "[key]" in loc
                  or err["type"] in ("missing", "extra_forbidden", SECRET)
                  or repr(bad) in message or str(bad) in message.split())
        shown = "" if hidden else f" (got {excerpt(bad)})"
        lines.append(f"{located.where(loc)}: {what} field '{_shown_loc(loc) or '(top level)'}'"
                     f": {message}{shown}.")
    if len(errors) > MAX_PROBLEMS:
        lines.append(f"({len(errors) - MAX_PROBLEMS} more problems.)")
    return " ".join(lines)


def _short(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def validate_located(
    model: type[M], located: LocatedYaml, what: str, error: type[LivetimbreError]
) -> M:
    """Validate parsed YAML against `model`; problems raise `error` with locations."""
    try:
        return model.model_validate(located.data if located.data is not None else {})
    except ValidationError as exc:
        fields = set(model.model_fields) | {
            info.alias for info in model.model_fields.values() if info.alias}
        values = shaped(located.data, fields)
        raise error(format_validation_error(exc, located, what, values)) from None
