"""The user's own words (`--lyrics FILE`, `/lyrics`, a patch's `lyrics:`) → a LyricSpec.

Sections start at a `[verse]`, `[chorus]`, `[bridge]` (also `[verse 2]`, `[pre-chorus]`,
`[intro]`, `[outro]`) header; without headers, blank lines separate stanzas: a stanza
that comes back is the chorus, the others verses. Letters with accents are sung plain;
a word in another script, with digits, a control character, an unknown header or too
much text is refused with a `ValueProblem` naming `where` and the line number (and the
word, shortened), never the file's content at large.
"""

from __future__ import annotations

__all__ = ["MAX_CHARS", "MAX_LINES", "MAX_LINE_SYLLABLES", "read_lyrics"]

import re
import unicodedata

from livetimbre.errors import ValueProblem
from livetimbre.voice.lyrics import LyricSection, LyricSpec
from livetimbre.voice.lyrics_words import is_singable, syllables, words_of

MAX_CHARS = 100_000  # a long song's lyric is a few thousand characters
MAX_LINES = 2_000
MAX_LINE_SYLLABLES = 32  # more than a phrase can carry: split the line
_HEADER = re.compile(r"^\[\s*([A-Za-z][A-Za-z -]*?)\s*(\d+)?\s*\]$")
_NAMES = {"verse": "verse", "chorus": "chorus", "refrain": "chorus", "hook": "chorus",
          "bridge": "bridge", "pre-chorus": "pre-chorus", "prechorus": "pre-chorus",
          "pre chorus": "pre-chorus", "intro": "intro", "outro": "outro",
          "middle eight": "bridge", "middle 8": "bridge"}
_INVISIBLE = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060"}


def _short(word: str) -> str:
    """A word fit to quote in an error: at most 24 characters, escapes for the unsafe."""
    shown = word if len(word) <= 24 else word[:23] + "…"
    return ascii(shown) if not shown.isprintable() else f"'{shown}'"


def _clean(line: str, number: int, where: str) -> str:
    for char in line:
        if char in "\t" or char in _INVISIBLE:
            continue
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") or char in "\u2028\u2029":
            raise ValueProblem(f"{where}, line {number}: a control character "
                               f"(U+{ord(char):04X}); lyrics are plain text.")
    text = "".join(" " if c == "\t" else c for c in line if c not in _INVISIBLE)
    return " ".join(text.replace("&", " and ").split())


def _check_words(line: str, number: int, where: str) -> None:
    for word in words_of(line):
        if any(c.isdigit() for c in word):
            raise ValueProblem(f"{where}, line {number}: {_short(word)} has digits; write "
                               "numbers as words (twenty-four).")
        if not is_singable(word):
            raise ValueProblem(f"{where}, line {number}: {_short(word)} is not written in "
                               "English letters; livetimbre sings English words.")
    count = syllables(line)
    if count > MAX_LINE_SYLLABLES:
        raise ValueProblem(f"{where}, line {number}: {count} syllables, more than a phrase "
                           f"carries ({MAX_LINE_SYLLABLES}); split the line.")


def _stanzas_to_sections(stanzas: list[list[str]]) -> list[LyricSection]:
    """No headers: a stanza sung more than once is the chorus, the others verses."""
    texts = ["\n".join(s) for s in stanzas]
    repeated = {t for t in texts if texts.count(t) > 1}
    return [LyricSection(name="chorus" if t in repeated else "verse", lines=s)
            for s, t in zip(stanzas, texts, strict=True)]


def read_lyrics(text: str, where: str) -> LyricSpec:
    """The lyric in `text` (see the module docstring); `where` names the file or command
    in errors. A ValueProblem for anything that cannot be sung clearly."""
    if len(text) > MAX_CHARS:
        raise ValueProblem(f"{where}: {len(text):,} characters of lyrics; at most "
                           f"{MAX_CHARS:,} are read.")
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(raw) > MAX_LINES:
        raise ValueProblem(f"{where}: {len(raw):,} lines of lyrics; at most {MAX_LINES:,}.")
    headed: list[tuple[str, list[str]]] = []
    stanzas: list[list[str]] = [[]]
    for number, line in enumerate(raw, 1):
        clean = _clean(line, number, where)
        header = _HEADER.match(clean)
        if header:
            name = _NAMES.get(" ".join(header.group(1).lower().split()))
            if name is None:
                raise ValueProblem(f"{where}, line {number}: unknown section header; use "
                                   "[verse], [chorus], [bridge], [pre-chorus], [intro] or "
                                   "[outro].")
            headed.append((name, []))
            continue
        if not words_of(clean):  # a blank line (or only punctuation): a stanza break
            if stanzas[-1]:
                stanzas.append([])
            continue
        _check_words(clean, number, where)
        if headed:
            headed[-1][1].append(clean)
        else:
            stanzas[-1].append(clean)
    stanzas = [s for s in stanzas if s]
    if headed and stanzas:
        headed.insert(0, ("verse", [line for s in stanzas for line in s]))
    sections = ([LyricSection(name=n, lines=lines) for n, lines in headed if lines] if headed
                else _stanzas_to_sections(stanzas))
    if not sections:
        raise ValueProblem(f"{where}: no words to sing.")
    return LyricSpec(source="user", sections=sections)
