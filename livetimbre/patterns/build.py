"""From the parse tree to a `Pattern`, with Tidal/Strudel's meaning for each operator."""

from __future__ import annotations

__all__ = ["MAX_COUNT", "build"]

import functools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import lark

from livetimbre.errors import PatternError
from livetimbre.patterns import core
from livetimbre.patterns.core import ONE, Time, rational
from livetimbre.patterns.grammar import caret, parse_with

MAX_COUNT = 1024  # the most copies `!n` makes, and the longest range `a .. b`
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@dataclass(slots=True)  # never changed once made (`replace` makes new ones); not
class Node:              # frozen, whose __init__ costs several times as much
    """A step: its pattern, weight and copies; `literal` when it is a bare value;
    `bad` the column of its first value that is not a number (for factors)."""

    pattern: core.Pattern
    column: int
    weight: Time = ONE
    copies: int = 1
    literal: str | None = None
    bad: int | None = None


@dataclass
class Layer:
    """One sequence (a layer of a stack, a choice or a polymeter); its steps are final
    once made, so its weight and pattern are worked out once (a patterned polymeter
    asks for them again for every value of its step count)."""

    steps: list[Node] = field(default_factory=list)

    @functools.cached_property
    def weight(self) -> Time:
        return sum((s.weight for s in self.steps), rational(0))

    @property
    def bad(self) -> int | None:
        return next((s.bad for s in self.steps if s.bad is not None), None)

    def pattern(self) -> core.Pattern:
        return self._pattern

    @functools.cached_property
    def _pattern(self) -> core.Pattern:
        return core.timecat([(s.weight, s.pattern) for s in self.steps])


@dataclass(frozen=True)
class Body:
    """The inside of brackets: layers stacked (`,`) or chosen between (`|`)."""

    layers: list[Layer]
    site: int | None  # the random site of a choice; None for a stack

    @property
    def bad(self) -> int | None:
        return next((la.bad for la in self.layers if la.bad is not None), None)

    def combine(self, each: Callable[[Layer], core.Pattern]) -> core.Pattern:
        patterns = [each(layer) for layer in self.layers]
        if self.site is None:
            return core.stack(patterns)
        return core.choose(patterns, self.site)


def _fraction(value: str) -> Time:
    return rational(value.split(":", 1)[0])


class _Builder:
    """Builds a pattern bottom up as the parser reduces: each rule's method takes the
    rule's children, built."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sites = 0

    def error(self, column: int, message: str) -> PatternError:
        return PatternError(f"pattern error at column {column}: {message}\n"
                            f"{caret(self.text, column)}", column)

    def site(self) -> int:
        self.sites += 1
        return self.sites

    # --- atoms -----------------------------------------------------------------------
    def value(self, token: lark.Token) -> Node:
        text = str(token)
        number = _NUMBER.fullmatch(text.split(":", 1)[0]) is not None
        return Node(core.pure(text), token.column or 1, literal=text,
                    bad=None if number else token.column)

    def rest(self, token: lark.Token) -> Node:
        return Node(core.silence, token.column or 1)

    def group(self, body: Body) -> Node:
        return Node(body.combine(Layer.pattern), self._column(body), bad=body.bad)

    def alternate(self, body: Body) -> Node:
        return Node(body.combine(lambda la: core.fast(la.pattern(), 1 / la.weight)),
                    self._column(body), bad=body.bad)

    def polymeter(self, body: Body, steps: Node | None = None) -> Node:
        column = self._column(body)
        if steps is None:
            base = body.layers[0].weight
            return Node(body.combine(lambda la: core.fast(la.pattern(), base / la.weight)),
                        column, bad=body.bad)

        def make(values: tuple[str, ...]) -> core.Pattern:
            base = _fraction(values[0])
            return body.combine(lambda la: core.fast(la.pattern(), base / la.weight))

        return Node(self._argument(steps, make, "%"), column, bad=body.bad)

    def poly(self, steps: Node) -> Node:
        return steps

    @staticmethod
    def _column(body: Body) -> int:
        return body.layers[0].steps[0].column if body.layers[0].steps else 1

    # --- operators -------------------------------------------------------------------
    def _argument(self, arg: Node, make: Callable[[tuple[str, ...]], core.Pattern],
                  name: str) -> core.Pattern:
        if arg.bad is not None:
            raise self.error(arg.bad, f"'{name}' needs a number here")
        if arg.literal is not None and arg.copies == 1:
            return make((arg.literal,))
        return core.patterned([arg.pattern], make)

    def step(self, atom: Node, *ops: Callable[[Node], Node]) -> Node:
        for op in ops:
            atom = op(atom)
        return atom

    def fast(self, factor: Node) -> Callable[[Node], Node]:
        def apply(node: Node) -> Node:
            pattern = self._argument(factor, lambda v: core.fast(node.pattern, _fraction(v[0])),
                                     "*")
            return replace(node, pattern=pattern, literal=None)
        return apply

    def slow(self, factor: Node) -> Callable[[Node], Node]:
        def make(node: Node, values: tuple[str, ...]) -> core.Pattern:
            f = _fraction(values[0])
            return core.fast(node.pattern, 1 / f) if f > 0 else core.silence

        def apply(node: Node) -> Node:
            pattern = self._argument(factor, lambda v: make(node, v), "/")
            return replace(node, pattern=pattern, literal=None)
        return apply

    def weight(self, token: lark.Token) -> Callable[[Node], Node]:
        amount = rational(str(token)[1:])
        if amount <= 0 or amount > MAX_COUNT:
            raise self.error(token.column or 1, f"a weight runs from above 0 to {MAX_COUNT}")
        return lambda node: replace(node, weight=amount)

    def replicate(self, token: lark.Token) -> Callable[[Node], Node]:
        digits = str(token)[1:]
        count = int(digits) if digits else None
        if count is not None and not 1 <= count <= MAX_COUNT:
            raise self.error(token.column or 1, f"'!' copies 1 to {MAX_COUNT} times")
        return lambda node: replace(node, copies=node.copies + 1 if count is None else count)

    def degrade(self, token: lark.Token) -> Callable[[Node], Node]:
        digits = str(token)[1:]
        amount = float(digits) if digits else 0.5
        if not 0 <= amount <= 1:
            raise self.error(token.column or 1, "'?' takes a chance from 0 to 1")
        site = self.site()
        return lambda node: replace(node, pattern=core.degrade(node.pattern, amount, site),
                                    literal=None)

    def euclid(self, *layers: Layer) -> Callable[[Node], Node]:
        column = layers[0].steps[0].column if layers[0].steps else 1
        if len(layers) not in (2, 3):
            raise self.error(column, "a euclidean rhythm is (pulses,steps) or "
                                     "(pulses,steps,rotation)")
        bad = next((la.bad for la in layers if la.bad is not None), None)
        if bad is not None:
            raise self.error(bad, "a euclidean rhythm needs numbers")
        literal = all(len(la.steps) == 1 and la.steps[0].literal is not None
                      and la.steps[0].copies == 1 for la in layers)

        def make(node: Node, values: Sequence[str]) -> core.Pattern:
            k, n, *r = (int(_fraction(v).__floor__()) for v in values)
            if n > MAX_COUNT:
                raise self.error(column, f"a euclidean rhythm has at most {MAX_COUNT} steps")
            return core.euclid(node.pattern, k, n, r[0] if r else 0)

        def apply(node: Node) -> Node:
            if literal:
                pattern = make(node, [str(la.steps[0].literal) for la in layers])
            else:
                pattern = core.patterned([la.pattern() for la in layers],
                                         lambda v: make(node, v))
            return replace(node, pattern=pattern, literal=None)
        return apply

    # --- sequences -------------------------------------------------------------------
    def seq(self, *items: Node | lark.Token) -> Layer:
        feet: list[list[Node]] = [[]]
        pending_range: lark.Token | None = None
        for item in items:
            steps = feet[-1]
            if isinstance(item, Node):
                if pending_range is not None:
                    steps.extend(self._range(steps.pop(), item, pending_range))
                    pending_range = None
                else:
                    if item.copies == 1:
                        steps.append(item)
                    else:
                        steps.extend(replace(item, copies=1) for _ in range(item.copies))
                continue
            column = item.column or 1
            if item.type == "DOT":
                if not steps:
                    raise self.error(column, "'.' needs steps on both sides")
                feet.append([])
            elif not steps or pending_range is not None:
                raise self.error(column, f"'{item}' needs a step before it")
            elif item.type == "ELONG":
                steps[-1] = replace(steps[-1], weight=steps[-1].weight + 1)
            else:
                pending_range = item
        if pending_range is not None:
            raise self.error(pending_range.column or 1, "'..' needs a number after it")
        if len(feet) == 1:
            return Layer(feet[0])
        if not feet[-1]:
            raise self.error(len(self.text.rstrip()), "'.' needs steps on both sides")
        return Layer([Node(Layer(foot).pattern(), foot[0].column,
                           bad=Layer(foot).bad) for foot in feet])

    def _range(self, low: Node, high: Node, token: lark.Token) -> list[Node]:
        ends = []
        for node in (low, high):
            if node.literal is None or not re.fullmatch(r"-?\d+", node.literal):
                raise self.error(node.column, "'..' runs between two whole numbers")
            ends.append(int(node.literal))
        a, b = ends
        if abs(b - a) >= MAX_COUNT:
            raise self.error(token.column or 1, f"'..' makes at most {MAX_COUNT} steps")
        step = 1 if b >= a else -1
        return [Node(core.pure(str(v)), low.column, literal=str(v))
                for v in range(a, b + step, step)]

    def stack(self, *layers: Layer) -> Body:
        return Body(list(layers), None)

    def choice(self, *layers: Layer) -> Body:
        return Body(list(layers), self.site())


class _Callbacks:
    """The parser's callback for each rule: the rule's method of the `_Builder` of the
    parse under way on this thread (one parser serves every parse)."""

    def __getattr__(self, rule: str) -> Callable[[list[Any]], Any]:
        method = getattr(_Builder, rule)  # AttributeError: a rule with no method

        def callback(children: list[Any]) -> Any:
            return method(_building.builder, *children)

        return callback


_CALLBACKS = _Callbacks()
_building = threading.local()


def build(text: str) -> core.Pattern:
    """The pattern `text` means; a `PatternError` naming the column when it means none."""
    _building.builder = _Builder(text)
    try:
        body = parse_with(text, _CALLBACKS)
    finally:
        del _building.builder
    assert isinstance(body, Body)
    return body.combine(Layer.pattern)
