"""How words are sung: syllables, stresses, ARPAbet phonemes and rhymes, from CMUdict
(the `pronouncing` package), with a vowel-group syllabifier for words it lacks.

A word is letters with inner apostrophes or hyphens ("don't", "heart-shaped"). Latin
letters with accents are sung as their plain letters (café → cafe); a word in another
script or with digits has no English pronunciation and is refused by the callers.
"""

from __future__ import annotations

__all__ = [
    "FUNCTION_WORDS",
    "Syllable",
    "is_singable",
    "plain",
    "rhymes",
    "rhyming_part",
    "syllables",
    "word_syllables",
    "words_of",
]

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pronouncing

# Words a singer leaves unstressed when they are one syllable long (CMUdict stresses
# many of them when read alone).
_FUNCTION_TEXT = (
    "a an the and or but nor so if as at by for from in into of off on onto out to up "
    "with i me my mine we us our you your he him his she her it its they them their this "
    "that these those is am are was were be been being do does did have has had will "
    "would shall should can could may might must not no than then there where when while "
    "what who how oh through like just")
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())

_VOWELS = "aeiouy"
_DIGRAPHS = frozenset(("wh", "th", "sh", "ch", "ph", "ck", "ng", "gh"))
_WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*'?$")


@dataclass(frozen=True, slots=True)
class Syllable:
    """One syllable of a word: its letters (for the score), ARPAbet phonemes (empty when
    the word is not in CMUdict) and stress (0 none, 1 secondary or a plain
    monosyllable, 2 primary)."""

    text: str
    phonemes: tuple[str, ...]
    stress: int


def plain(word: str) -> str:
    """`word` in lower case with accents taken off its Latin letters (é → e, ß → ss)."""
    folded = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def is_singable(word: str) -> bool:
    """Whether `plain(word)` is English letters (inner apostrophes and hyphens allowed)."""
    return bool(_WORD.match(plain(word).replace("’", "'")))


@cache
def _phones(word: str) -> str | None:
    found: list[str] = pronouncing.phones_for_word(word)
    return found[0] if found else None


def _vowel_groups(word: str) -> list[tuple[int, int]]:
    """(start, end) letter spans of the vowel groups a reader would voice: a silent final
    'e' (not '-le') and a final 'es'/'ed' after most consonants are not voiced."""
    groups = [(m.start(), m.end()) for m in re.finditer(f"[{_VOWELS}]+", word)]
    silent_e = word.endswith("e") and not word.endswith(("le", "ee", "ye")) and \
        groups[-1] == (len(word) - 1, len(word))
    silent_ending = bool(re.search(r"[^aeiouytd]e[sd]$", word)) and \
        groups[-1][0] == len(word) - 2
    if len(groups) > 1 and (silent_e or silent_ending):
        groups.pop()
    return groups or [(0, len(word))]


def _split(word: str, count: int) -> list[str]:
    """`word`'s letters cut into `count` non-empty pieces at vowel-group boundaries
    (V-CV, VC-CV), merged or cut further to make `count`."""
    letters = word.replace("'", "").replace("-", "") or word
    count = max(1, min(count, len(letters)))
    groups = _vowel_groups(letters)
    cuts: list[int] = []
    for (_s1, e1), (s2, _e2) in itertools.pairwise(groups):
        consonants = s2 - e1
        pair = letters[e1:e1 + 2] in _DIGRAPHS
        cuts.append(e1 + (1 if consonants >= 2 and not pair else 0))
    while len(cuts) + 1 > count:
        cuts.pop()
    bounds = [0, *cuts, len(letters)]
    while len(bounds) - 1 < count:  # cut the longest piece in two
        widest = max(range(len(bounds) - 1), key=lambda i: bounds[i + 1] - bounds[i])
        bounds.insert(widest + 1, (bounds[widest] + bounds[widest + 1]) // 2)
    return [letters[a:b] for a, b in itertools.pairwise(bounds)]


def _phone_syllables(phones: list[str]) -> list[tuple[tuple[str, ...], int]]:
    """ARPAbet phones cut into syllables, one vowel each: a lone consonant between vowels
    starts the next syllable, a cluster gives its first consonant to the one before."""
    vowels = [i for i, p in enumerate(phones) if p[-1].isdigit()]
    if not vowels:
        return [(tuple(phones), 1)]
    starts = [0]
    for a, b in itertools.pairwise(vowels):
        between = b - a - 1
        starts.append(a + 1 + (1 if between >= 2 else 0))
    starts.append(len(phones))
    out = []
    for (lo, hi), v in zip(itertools.pairwise(starts), vowels, strict=True):
        stress = {"1": 2, "2": 1, "0": 0}[phones[v][-1]]
        out.append((tuple(phones[lo:hi]), stress))
    return out


@cache
def word_syllables(word: str) -> tuple[Syllable, ...]:
    """The syllables of one word (see the module docstring for what a word is)."""
    key = plain(word).replace("’", "'").strip("'-")
    phones = _phones(key) or _phones(key.replace("-", ""))
    if phones is None:
        count = len(_vowel_groups(key.replace("'", "").replace("-", "")))
        pieces = _split(key, count)
        stresses = [2 if i == 0 else 0 for i in range(len(pieces))]
        if len(pieces) == 1:
            stresses = [0 if key in FUNCTION_WORDS else 1]
        return tuple(Syllable(p, (), s) for p, s in zip(pieces, stresses, strict=True))
    sounds = _phone_syllables(phones.split())
    pieces = _split(key, len(sounds))
    if len(pieces) < len(sounds):  # fewer letters than syllables: sing what the letters say
        sounds = sounds[: len(pieces)]
    if len(sounds) == 1:
        stress = 0 if key in FUNCTION_WORDS else max(1, sounds[0][1])
        sounds = [(sounds[0][0], stress)]
    return tuple(Syllable(p, s, st) for p, (s, st) in zip(pieces, sounds, strict=True))


def syllables(text: str) -> int:
    """How many syllables `text` (words separated by spaces) has."""
    return sum(len(word_syllables(w)) for w in words_of(text))


def words_of(text: str) -> list[str]:
    """The words of a line, punctuation dropped (apostrophes and hyphens inside kept)."""
    cleaned = re.sub(r"[^\w'’-]+", " ", text.replace("_", " "))
    return [w.strip("'’-") for w in cleaned.split() if w.strip("'’-")]


def rhyming_part(word: str) -> str | None:
    """CMUdict's rhyming part of `word` (its last stressed vowel onwards), or None."""
    phones = _phones(plain(word))
    return pronouncing.rhyming_part(phones) if phones else None


def rhymes(a: str, b: str) -> bool:
    """Whether two different words rhyme truly in CMUdict (any of their pronunciations)."""
    a, b = plain(a), plain(b)
    if a == b:
        return False
    parts_a = {pronouncing.rhyming_part(p) for p in pronouncing.phones_for_word(a)}
    parts_b = {pronouncing.rhyming_part(p) for p in pronouncing.phones_for_word(b)}
    return bool(parts_a & parts_b)
