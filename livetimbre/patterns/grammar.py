"""The mini-notation's grammar (lark, LALR) and its guards: size, nesting, brackets.

Errors are `PatternError`s naming the 1-based column; `caret` draws it under the text.
"""

from __future__ import annotations

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "caret", "parse_tree", "parse_with"]

import functools
import re
from collections.abc import Iterator

import lark

from livetimbre.errors import PatternError

MAX_LENGTH = 4096  # characters in one pattern
MAX_DEPTH = 48  # brackets inside brackets

GRAMMAR = r"""
?start: body
body: seq ("," seq)*      -> stack
    | seq ("|" seq)+      -> choice
seq: item+
?item: step | ELONG | DOT | RANGE
?step: atom op*
?atom: VALUE              -> value
     | REST               -> rest
     | "[" body "]"       -> group
     | "<" body ">"       -> alternate
     | "{" body "}" poly? -> polymeter
poly: "%" atom
op: "*" atom              -> fast
  | "/" atom              -> slow
  | WEIGHT                -> weight
  | REPLICATE             -> replicate
  | DEGRADE               -> degrade
  | "(" seq ("," seq)* ")" -> euclid
VALUE: /(-?\d+(\.\d+)?|[A-Za-z][A-Za-z0-9_#'^]*)(:(-?\d+(\.\d+)?|[A-Za-z][A-Za-z0-9_#'^]*))*/
REST: "~" | "-"
ELONG: "_"
RANGE: ".."
DOT: "."
WEIGHT: /@\d+(\.\d+)?/
REPLICATE: /!\d*/
DEGRADE: /\?(\d*\.?\d+)?/
%ignore /[ \t\r\n]+/
"""

_OPEN = {"[": "]", "<": ">", "{": "}", "(": ")"}
_CLOSE = {v: k for k, v in _OPEN.items()}
_NAMES = {
    "VALUE": "a value", "REST": "a rest", "ELONG": "'_'", "RANGE": "'..'", "DOT": "'.'",
    "WEIGHT": "'@'", "REPLICATE": "'!'", "DEGRADE": "'?'", "LSQB": "'['", "RSQB": "']'",
    "LESSTHAN": "'<'", "MORETHAN": "'>'", "LBRACE": "'{'", "RBRACE": "'}'", "LPAR": "'('",
    "RPAR": "')'", "COMMA": "','", "VBAR": "'|'", "STAR": "'*'", "SLASH": "'/'",
    "PERCENT": "'%'", "$END": "the end",
}


class _Lexer(lark.lexer.Lexer):
    """Lark's basic lexer less its line bookkeeping, which took most of a parse: one
    regex of every terminal, tried in the order lark's own lexer prefers them. Columns
    count characters from the start of the text, as the caret under an error does."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), the text a TextSlice

    def __init__(self, conf: lark.common.LexerConf, comparator: object = None) -> None:
        terminals = sorted(conf.terminals, key=lambda t: (
            -t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        self._match = re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})"
                                          for t in terminals)).match
        self._ignore = frozenset(conf.ignore)
        self._names = conf.terminals_by_name

    def lex(self, lexer_state: lark.lexer.LexerState,
            parser_state: object) -> Iterator[lark.Token]:
        text, pos, end = lexer_state.text.text, lexer_state.text.start, lexer_state.text.end
        while pos < end:
            found = self._match(text, pos, end)
            if found is None:
                raise lark.exceptions.UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text, pos, 1, pos + 1, state=parser_state, terminals_by_name=self._names)
            kind, stop = str(found.lastgroup), found.end()
            if kind not in self._ignore:
                yield lark.Token(kind, found.group(), pos, 1, pos + 1, 1, stop + 1, stop)
            pos = stop


@functools.cache
def _parser(callbacks: object = None) -> lark.Lark:
    """The LALR parser; with `callbacks` (an object with a method per rule, given the
    rule's children), it builds their result as it parses instead of a tree."""
    return lark.Lark(GRAMMAR, parser="lalr", lexer=_Lexer, maybe_placeholders=False,
                     transformer=callbacks)


def caret(text: str, column: int) -> str:
    """Two lines: (a window of) `text` and a caret under `column` (1-based)."""
    start = max(0, column - 40)
    shown = "".join(ch if ch.isprintable() else "?" for ch in text[start:start + 72])
    return f"  {shown}\n  {' ' * (column - 1 - start)}^"


def _fail(text: str, column: int, message: str) -> PatternError:
    return PatternError(f"pattern error at column {column}: {message}\n{caret(text, column)}",
                        column)


def _check_brackets(text: str) -> None:
    opened: list[tuple[str, int]] = []
    for index, ch in enumerate(text):
        if ch in _OPEN:
            opened.append((ch, index + 1))
            if len(opened) > MAX_DEPTH:
                raise _fail(text, index + 1, f"brackets nested deeper than {MAX_DEPTH}")
        elif ch in _CLOSE:
            if not opened or opened[-1][0] != _CLOSE[ch]:
                raise _fail(text, index + 1, f"'{ch}' closes nothing that was opened")
            opened.pop()
    if opened:
        ch, column = opened[-1]
        raise _fail(text, column, f"'{ch}' is never closed (a '{_OPEN[ch]}' is missing)")


def parse_tree(text: str) -> lark.Tree[lark.Token]:
    """The parse tree of `text`; a `PatternError` with the column when it is not one."""
    tree = parse_with(text)
    assert isinstance(tree, lark.Tree)
    return tree


def parse_with(text: str, callbacks: object = None) -> object:
    """`text` parsed: its tree, or with `callbacks` what they build (see `_parser`); a
    `PatternError` with the column when it is not mini-notation."""
    _check_brackets(text)
    if len(text) > MAX_LENGTH:
        raise PatternError(f"pattern error at column {MAX_LENGTH + 1}: the pattern is "
                           f"{len(text)} characters long, more than {MAX_LENGTH}",
                           MAX_LENGTH + 1)
    if not text.strip():
        raise _fail(text, 1, "the pattern is empty")
    try:
        return _parser(callbacks).parse(text)
    except lark.exceptions.UnexpectedCharacters as exc:
        pos = exc.pos_in_stream or 0
        shown = repr(text[pos]) if pos < len(text) else "it"
        raise _fail(text, exc.column, f"{shown} is not part of the mini-notation") from None
    except lark.exceptions.UnexpectedEOF:
        raise _fail(text, len(text) + 1, "the pattern ends where a value is needed") from None
    except lark.exceptions.UnexpectedToken as exc:
        token = exc.token
        if token.type == "$END":
            raise _fail(text, len(text.rstrip()) + 1,
                        "the pattern ends where a value is needed") from None
        wanted = sorted({_NAMES.get(t, t) for t in exc.expected})[:6]
        raise _fail(text, token.column or 1,
                    f"{str(token)!r} is not expected here (expected {', '.join(wanted)})"
                    ) from None
