"""Negation in a prompt: which words a 'no', 'not' or 'without' sets aside.

A negator sets aside the phrase after it and the phrases of the same kind joined to it
('without drums or bass'), never past its clause or a word that turns the sentence ('no
drums, just piano'; 'not fast but steady'); 'instead of' and 'rather than' do the same.
A clause of nothing but 'no' (or 'nope', 'nah') after a question or on its own answers
the clause before it: 'fast? no, slow' sets aside 'fast'. A negator that is part of a
known phrase ('no swing', a feel) is that phrase, not a negation.
"""

from __future__ import annotations

__all__ = ["ANSWERS", "NEGATORS", "TURNS", "negation_scopes"]

from collections.abc import Sequence

from livetimbre.director.moods import FILLER
from livetimbre.director.words import Token

# words that set aside what follows them in their clause.
NEGATORS = frozenset((
    "no", "not", "without", "never", "minus", "sans", "nothing", "none", "zero", "avoid",
    "avoiding", "excluding", "except", "dont", "doesnt", "isnt", "shouldnt", "wont", "nor",
    "neither",
    "ditch", "skip", "lacking", "instead", "rather"))
# 'instead' and 'rather' negate only as 'instead of' / 'rather than'.
_PAIRED = {"instead": "of", "rather": "than"}
# a clause of only these answers the clause before it.
ANSWERS = frozenset(("no", "nope", "nah", "not", "scratch", "that", "actually"))
# 'no doubt', 'not only', 'no matter': a negator's word that negates nothing.
_IDIOMS = frozenset(("doubt", "matter", "only", "wonder", "joke", "less", "end", "question",
                     "problem", "worries"))
_JOINS = frozenset(("and", "or", "nor", "n"))
# words a negator reaches over to its phrase ('without any real drums'), at most.
_GAP = 2
# words that end a negation's reach: the sentence turns to what is wanted.
TURNS = frozenset((
    "but", "just", "only", "though", "yet", "however", "with", "plus", "instead", "rather",
    "so", "then", "while", "whereas", "yes"))


def _negator(tokens: Sequence[Token], i: int) -> bool:
    word = tokens[i].text
    if i + 1 < len(tokens) and tokens[i + 1].text in _IDIOMS:
        return False
    if word in _PAIRED:
        return i + 1 < len(tokens) and tokens[i + 1].text == _PAIRED[word]
    return word in NEGATORS


def _gap(tokens: Sequence[Token], pending: list[int]) -> int:
    return sum(tokens[i].text not in FILLER for i in pending)


def negation_scopes(tokens: Sequence[Token], breaks: Sequence[str],
                    phrases: Sequence[tuple[int, int, str]]) -> dict[int, int]:
    """word index → index of the negator that sets it aside. `breaks[c]` is the
    punctuation between clause c and c + 1; `phrases` are the known phrases found, as
    (start, end, kind), never overlapping.

    A negator reaches the first phrase after it (and the words on the way, at most _GAP
    of them not fillers: 'without any real drums'), then the phrases of the same kind
    joined to it by 'and'/'or' ('without drums or bass'); any other phrase ('not too fast
    techno': techno) or a turning word ends it."""
    starts = {start: (end, kind) for start, end, kind in phrases}
    inside = {i for start, end, _kind in phrases for i in range(start, end)}
    out: dict[int, int] = {}
    clauses: dict[int, list[int]] = {}
    for token in tokens:
        clauses.setdefault(token.clause, []).append(token.index)
    for clause, members in clauses.items():
        words = [tokens[i].text for i in members]
        first = members[0]
        before = [c for c in clauses if c < clause]
        asked = 0 < clause <= len(breaks) and "?" in breaks[clause - 1]
        if first not in inside and words[0] in ANSWERS - {"that", "actually"} and before and (
                all(w in ANSWERS for w in words) or asked):
            for i in clauses[max(before)]:  # an answer: the clause before is withdrawn
                out.setdefault(i, first)
            continue
        reach: int | None = None
        kind: str | None = None  # the kind of the first phrase negated
        joined = False
        pending: list[int] = []  # words between a negator and its first phrase
        for i in members:
            if reach is not None and kind is None and _gap(tokens, pending) > _GAP:
                reach, pending = None, []  # too far: 'no' was about something else
            if i in starts:
                end, this = starts[i]
                if reach is not None and (kind is None or (joined and this == kind)):
                    out.update(dict.fromkeys([*pending, *range(i, end)], reach))
                    kind, joined, pending = this, False, []
                else:
                    reach = None
            elif i in inside:
                continue
            elif _negator(tokens, i):
                reach, kind, joined, pending = i, None, False, []
            elif tokens[i].text in TURNS:
                reach, pending = None, []
            elif reach is not None and kind is None:
                pending.append(i)
            elif tokens[i].text in _JOINS:
                joined = True
        if reach is not None and _gap(tokens, pending) <= _GAP:  # 'no autotune'
            out.update(dict.fromkeys(pending, reach))
    return out
