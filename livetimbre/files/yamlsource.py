"""YAML loading that remembers where every value came from.

`load_yaml` returns plain data plus a map from each value's path (the tuple of keys
and indexes pydantic reports in `ValidationError.loc`) to its line and column, so a
validation error can point at the exact spot in the file.
"""

from __future__ import annotations

__all__ = ["LocatedYaml", "format_validation_error", "load_yaml", "read_text", "validate_located"]

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from livetimbre.errors import LivetimbreError, SourceLocation
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


def _construct(node: yaml.Node, path: Path_, out: LocatedYaml, loader: yaml.SafeLoader) -> Any:
    out.locations[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            result[key] = _construct(value_node, (*path, key), out, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), out, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, source: str, error: type[LivetimbreError]) -> LocatedYaml:
    """Parse `text` (named `source` in messages); syntax errors raise `error` with the line."""
    out = LocatedYaml(data=None, source=source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        out.data = None if node is None else _construct(node, (), out, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = SourceLocation(source, mark.line + 1, mark.column + 1) if mark else source
        problem = exc.problem or exc.context or "invalid YAML"
        lines = text.splitlines()
        shown = ""
        if mark and mark.line < len(lines):
            shown = f" Line {mark.line + 1} reads: {lines[mark.line].strip()!r}."
        raise error(f"{where}: invalid YAML: {problem}.{shown}") from None
    except yaml.YAMLError as exc:
        raise error(f"{source}: invalid YAML: {exc}.") from None
    finally:
        loader.dispose()
    return out


def format_validation_error(exc: ValidationError, located: LocatedYaml, what: str) -> str:
    """One paragraph naming every problem with its file:line:column and the bad value."""
    lines = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldProblem):
            loc = (*loc, *cause.subpath)
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        message = err["msg"].removeprefix("Value error, ")
        bad = err.get("input")
        hidden = (isinstance(bad, dict | list) or err["type"] == "missing"
                  or repr(bad) in message or str(bad) in message.split())
        shown = "" if hidden else f" (got {bad!r})"
        lines.append(f"{located.where(loc)}: {what} field '{dotted}': {message}{shown}.")
    return " ".join(lines)


def validate_located(
    model: type[M], located: LocatedYaml, what: str, error: type[LivetimbreError]
) -> M:
    """Validate parsed YAML against `model`; problems raise `error` with locations."""
    try:
        return model.model_validate(located.data if located.data is not None else {})
    except ValidationError as exc:
        raise error(format_validation_error(exc, located, what)) from None


def read_text(path: Path, error: type[LivetimbreError], what: str) -> str:
    """Read a UTF-8 text file, turning OS errors into `error` naming the path."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{what} not found: {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"Cannot read {what} {path}: {exc}.") from None
