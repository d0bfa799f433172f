"""Prompt words: tokens with their positions, a phrase index (longest match first) and
typo-tolerant lookup.

Hyphens, slashes between words and '&' are read as spaces ('lo-fi' = 'lo fi',
'r&b' = 'r and b') and accents are dropped ('étude' = 'etude'), so a table phrase
matches however a musician joins its words.
"""

from __future__ import annotations

__all__ = ["PhraseIndex", "Span", "Token", "clause_breaks", "correct", "length_buckets",
           "phrase_key", "tokenize"]

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

T = TypeVar("T")

_TOKEN = re.compile(r"\d+/\d+|\d+(?:\.\d+)?|[a-z]+")
_BREAK = re.compile(r"[,;.!?:\n|]+(?!\d)")


@dataclass(frozen=True)
class Token:
    """A lower-case word, its index among the prompt's words and its clause number."""

    text: str
    index: int
    clause: int


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())  # étude → etude, reggaetón → reggaeton
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ").replace("’", "'")
    text = re.sub(r"(?<=[a-z])'(?=[a-z])", "", text)  # drum'n'bass → drumnbass below
    return text.replace("drumnbass", "drum n bass").replace("rnb", "r and b")


def tokenize(prompt: str) -> list[Token]:
    """The prompt's words, in order; commas and full stops start a new clause."""
    tokens: list[Token] = []
    for clause, part in enumerate(_BREAK.split(_normal(prompt))):
        for match in _TOKEN.finditer(part):
            tokens.append(Token(match.group(), len(tokens), clause))
    return tokens


def clause_breaks(prompt: str) -> list[str]:
    """The punctuation between clause c and c + 1 of `tokenize(prompt)`, for each c."""
    return _BREAK.findall(_normal(prompt))


def phrase_key(phrase: str) -> tuple[str, ...]:
    """A table phrase as the tuple of words a prompt must hold."""
    return tuple(t.text for t in tokenize(phrase))


@dataclass(frozen=True)
class Span(Generic[T]):
    """Words `start`..`end` (exclusive), their text, matched to `value`."""

    start: int
    end: int
    text: str
    value: T


class PhraseIndex(Generic[T]):
    """Phrases → values; finds the longest non-overlapping matches in a token list."""

    def __init__(self, entries: Iterable[tuple[str, T]]) -> None:
        self._phrases: dict[tuple[str, ...], T] = {}
        for phrase, value in entries:
            key = phrase_key(phrase)
            if key:
                self._phrases.setdefault(key, value)
        self.longest = max((len(k) for k in self._phrases), default=0)
        self.vocabulary = frozenset(w for k in self._phrases for w in k)

    def phrases(self) -> list[tuple[str, T]]:
        """Every phrase (its words joined by spaces) with its value."""
        return [(" ".join(k), v) for k, v in self._phrases.items()]

    def find(self, words: Sequence[str], taken: set[int],
             clauses: Sequence[int] | None = None) -> list[Span[T]]:
        """Longest matches first, never over a word in `taken` (which grows) nor across
        two clauses (`clauses[i]`: word i's clause)."""
        found: list[Span[T]] = []
        for size in range(min(self.longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = range(start, start + size)
                if any(i in taken for i in span) or (
                        clauses is not None and clauses[start] != clauses[start + size - 1]):
                    continue
                key = tuple(words[start:start + size])
                if key in self._phrases:
                    taken.update(span)
                    found.append(Span(start, start + size, " ".join(key), self._phrases[key]))
        return sorted(found, key=lambda s: s.start)


# one letter for another as people spell by ear: musik, drumz, ambiant, saxofone.
_SOUNDS_ALIKE = {frozenset(p) for p in ("kc", "zs", "ae", "ie", "iy", "ck", "fv")}
_VOWELS = frozenset("aeiou")
# real words one letter away from a vocabulary word: never "corrected".
_REAL_TEXT = (
    "morning log logs pain sand luck move fair wash quit bland brand grove chile plan "
    "plane lucky bone tone tune lone lead load road said seed feed need hear heat beat "
    "rain ran run sun son sing sign bang bring being coral took cash trash sting sung "
    "wing wine fine mine line lime time")
_REAL_WORDS = frozenset(_REAL_TEXT.split())


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def _typo_like(word: str, target: str) -> bool:
    """A letter dropped or doubled (violn, cheerfull), two neighbours swapped, one
    letter for a like-sounding one (musik, drumz; 'ph' written 'f'), or one vowel for
    another inside a word of seven letters or more (ukelele, saxaphone)."""
    if word == target.replace("ph", "f"):
        return True
    if len(word) != len(target):
        short, long = sorted((word, target), key=len)
        return len(long) - len(short) == 1 and _is_subsequence(short, long)
    diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
    if len(diff) == 2 and diff[1] == diff[0] + 1:
        return word[diff[0]] == target[diff[1]] and word[diff[1]] == target[diff[0]]
    if len(diff) != 1:
        return False
    pair = word[diff[0]] + target[diff[0]]
    # one vowel for another inside a long word: ukelele, saxaphone
    return frozenset(pair) in _SOUNDS_ALIKE or (
        diff[0] > 0 and len(word) >= 7 and all(c in _VOWELS for c in pair))


@lru_cache(maxsize=8192)
def _closest(word: str, candidates: tuple[str, ...]) -> str | None:
    for close in difflib.get_close_matches(word, candidates, n=3, cutoff=0.8):
        if _typo_like(word, close):
            return close
    return None


def correct(word: str, vocabulary: frozenset[str], buckets: dict[int, tuple[str, ...]]
            ) -> str | None:
    """The vocabulary word a typo most likely meant, or None: similar (difflib ≥ 0.8),
    the same first letter (or the rest the same), and typo-like (see `_typo_like`).
    Numbers, words under 3 letters and common words near a vocabulary word are kept."""
    if len(word) < 3 or word in vocabulary or not word.isalpha() or word in _REAL_WORDS:
        return None
    candidates = tuple(c for n in range(len(word) - 2, len(word) + 3)
                       for c in buckets.get(n, ()) if c[0] == word[0] or c[1:] == word[1:])
    return _closest(word, candidates) if candidates else None


def length_buckets(vocabulary: Iterable[str]) -> dict[int, tuple[str, ...]]:
    """Vocabulary words of 4 letters or more, grouped by length (for `correct`)."""
    buckets: dict[int, list[str]] = {}
    for word in sorted(set(vocabulary)):
        if len(word) >= 3 and word.isalpha():
            buckets.setdefault(len(word), []).append(word)
    return {n: tuple(words) for n, words in buckets.items()}
