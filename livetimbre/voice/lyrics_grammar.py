"""Grammar lyrics: lines of an exact syllable count, rhymed by a scheme, from a mood's
lexicon (voice.lyrics_lexicon). Seeded and deterministic.

A line is a clause and a tail: "[opener] SUBJECT [can|will] VERB" (or a bare VERB, a call
to the listener) then "PREP the [ADJ] NOUN", a line end ("again", "tonight") or "and
watch the NOUN VERB". Lines that share a
scheme letter end on words CMUdict says rhyme; a letter of one line ends freely.
"""

from __future__ import annotations

__all__ = ["LineWriter", "default_scheme", "fits"]

import random
from collections.abc import Sequence

from livetimbre.voice.lyrics_lexicon import Lexicon
from livetimbre.voice.lyrics_words import rhyming_part, syllables, word_syllables, words_of

_PREPS = ("in", "through", "under", "into", "across", "beyond", "beneath", "over",
          "after", "inside")
_MODALS = ("can", "will", "still", "just")
_PERCEIVE = ("watch", "feel", "let", "see")
_TRIES = 400
# line ends that close a clause on their own ("we drift away", not "in the sand away")
_ALONE = frozenset(("away", "apart", "below", "above", "adrift", "ahead", "inside", "back",
                    "around", "along", "undone", "enough", "alive", "anew", "higher", "near",
                    "here", "goodbye"))


def default_scheme(section: str, lines: int, rng: random.Random) -> str:
    """A rhyme scheme, one letter a line: choruses AABB or ABAB, verses ABCB, bridges
    AABB; letters go on (CCDD, ...) past four lines."""
    if section == "chorus":
        block = rng.choice(("AABB", "ABAB"))
    elif section == "verse":
        block = "ABCB"
    else:
        block = "AABB"
    out = ""
    while len(out) < lines:
        shift = len(out) // 4 * 3 if block == "ABCB" else len(out) // 4 * 2
        out += "".join(chr(ord(c) + shift) for c in block)
    return out[:lines]


def fits(text: str, beats: int, per_beat: int) -> bool:
    """Whether a line can be sung with every primary stress on one of `beats` beats and
    at most `per_beat` syllables a beat (a pick-up before the first stress takes a beat
    of its own)."""
    beat, filled = 0, 0
    for word in words_of(text):
        for syllable in word_syllables(word):
            if syllable.stress == 2:
                beat, filled = (beat + 1 if filled else beat), 1
            elif filled >= per_beat:
                beat, filled = beat + 1, 1
            else:
                filled += 1
    return beat < beats


class LineWriter:
    """Writes a section's lines from a lexicon with a private random stream."""

    def __init__(self, lexicon: Lexicon, rng: random.Random, subjects: Sequence[str]) -> None:
        self.lex = lexicon
        self.rng = rng
        self.subjects = tuple(subjects)
        self.used: set[str] = set()
        self.per_beat = 2  # syllables a beat holds comfortably (3 in a compound meter)

    def _kind(self, word: str) -> str:
        if word in self.lex.ends:
            return "end"
        return "verb" if word in self.lex.verbs else "noun"

    def families(self) -> list[list[str]]:
        """Groups of two or more of the lexicon's words that truly rhyme, shuffled."""
        groups: dict[str, list[str]] = {}
        for word in dict.fromkeys([*self.lex.nouns, *self.lex.ends, *self.lex.verbs]):
            part = rhyming_part(word)
            if part is not None:
                groups.setdefault(part, []).append(word)
        out = [g for g in groups.values() if len(g) >= 2]
        self.rng.shuffle(out)
        return out

    def _tail(self, end: str) -> list[str]:
        kind, rng = self._kind(end), self.rng
        if kind == "end":
            if rng.random() < 0.4:
                return [end]
            if end in _ALONE:  # "... beneath the golden light and drift away"
                words = [rng.choice(_PREPS), "the"]
                if rng.random() < 0.5:
                    words.append(rng.choice(self.lex.adjectives))
                return [*words, rng.choice(self.lex.nouns), "and", rng.choice(self.lex.verbs),
                        end]
            return [rng.choice(_PREPS), "the", rng.choice(self.lex.nouns), end]
        if kind == "verb":
            noun = rng.choice(self.lex.nouns)
            return ["and", rng.choice(_PERCEIVE), "the", noun, end]
        words = [rng.choice(_PREPS), "the"]
        if rng.random() < 0.5:
            words.append(rng.choice(self.lex.adjectives))
        return [*words, end]

    def _draw(self, end: str, subject: str) -> list[str]:
        rng = self.rng
        head = []
        if rng.random() < 0.45:
            head.append(rng.choice(self.lex.openers))
        if subject:  # none: a call to the listener ("rise into the light")
            head.append(subject)
            if rng.random() < 0.4:
                head.append(rng.choice([m for m in _MODALS if m not in head]))
        if self._kind(end) == "verb" and rng.random() < 0.4:  # "so we will drift"
            return [*head, end]
        head.append(rng.choice([v for v in self.lex.verbs if v != end] or self.lex.verbs))
        return [*head, *self._tail(end)]

    def line(self, target: int, end: str, beats: int = 0) -> str | None:
        """A new line of exactly `target` syllables ending on `end` that `fits` `beats`
        beats for most of the tries (0: any number), or None."""
        for attempt in range(_TRIES):
            words = self._draw(end, self.rng.choice(self.subjects))
            text = " ".join(words)
            if syllables(text) != target or text in self.used:
                continue
            if not beats or attempt >= _TRIES * 3 // 4 or fits(text, beats, self.per_beat):
                self.used.add(text)
                return text[0].upper() + text[1:]
        return self._padded(target, end)

    def _padded(self, target: int, end: str) -> str | None:
        """'oh' repeated before a short tail: what a singer does with too many notes."""
        for tail in (self._tail(end), [end]):
            tail = tail[1:] if tail[0] == "and" else tail
            room = target - syllables(" ".join(tail))
            if room >= 0:
                text = " ".join(["oh"] * room + tail)
                return text[0].upper() + text[1:]
        return None

    def _free_end(self, target: int, strong: int) -> tuple[str, str] | None:
        pool = [*self.lex.nouns, *self.lex.ends, *self.lex.verbs]
        for end in self.rng.sample(pool, min(len(pool), 8)):
            text = self.line(target, end, strong)
            if text is not None:
                return end, text
        return None

    def section(self, targets: Sequence[int], scheme: str, strong: Sequence[int] = ()
                ) -> list[str]:
        """Lines for `targets` (syllables each) rhymed by `scheme` (one letter a line),
        each with at most `strong[i]` stressed syllables when it can."""
        lines: list[str | None] = [None] * len(targets)
        beats = [strong[i] if i < len(strong) else 0 for i in range(len(targets))]
        taken: set[str] = set()
        families = self.families()
        for letter in dict.fromkeys(scheme):
            where = [i for i, c in enumerate(scheme) if c == letter]
            if len(where) == 1:
                free = self._free_end(targets[where[0]], beats[where[0]])
                lines[where[0]] = free[1] if free else "Oh" + " oh" * (targets[where[0]] - 1)
                continue
            for family in families:
                if taken & set(family) or len(family) < len(where):
                    continue
                words = self.rng.sample(family, len(where))
                written = [self.line(targets[i], w, beats[i])
                           for i, w in zip(where, words, strict=True)]
                if all(written):
                    for i, text in zip(where, written, strict=True):
                        lines[i] = text
                    taken.update(family)
                    break
            else:  # no rhyme fits: the lines are written unrhymed rather than not at all
                for i in where:
                    free = self._free_end(targets[i], beats[i])
                    lines[i] = free[1] if free else "Oh" + " oh" * (targets[i] - 1)
        return [text or "" for text in lines]
