"""Reading a prompt with the lexicon: every word's meaning, typos tolerated.

`Lexicon(genres, composer_phrases)` builds one phrase index from the tables (genre
names and the registry's aliases, instruments, tempo, mood, ...); `read(prompt)` returns
a `Reading`: the hits (a phrase, its meaning, who found it) and the words nobody knew.
A later provider (embedding) adds hits for those words.
"""

from __future__ import annotations

__all__ = ["Hit", "Lexicon", "Meaning", "Reading"]

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import cast

from livetimbre.director import moods
from livetimbre.director.genre_choice import family_of_genre
from livetimbre.director.genre_compounds import KNOWN
from livetimbre.director.genre_names import FAMILY_WORDS, NAMES
from livetimbre.director.instrument_brands import CONTEXT_WORDS
from livetimbre.director.instrument_names import (
    LAYER_WORDS,
    Sound,
    gm_program_name,
    instrument_entries,
)
from livetimbre.director.negation import negation_scopes
from livetimbre.director.spec import Source, WordKind
from livetimbre.director.subgenres import SUBGENRES, WEAK_NAMES
from livetimbre.director.words import (
    PhraseIndex,
    Token,
    clause_breaks,
    correct,
    length_buckets,
    phrase_key,
    tokenize,
)
from livetimbre.genres import GenreRegistry
from livetimbre.genres.families import FAMILIES

# Genre words that are weak evidence (they also mean something else).
_WEAK = {"swing": 0.6, "breaks": 0.5, "dance": 0.5, "club": 0.5, "latin": 0.8, "bop": 0.6,
         "indie": 0.8, "western": 0.6, "classic": 0.4, "garage": 0.7, "fusion": 0.6,
         "score": 0.5, "worship": 0.8, "spiritual": 0.4, "urban": 0.5,
         "rave": 0.7, "lounge": 0.7, "drill": 0.8, "shanty": 0.8, "african": 0.8,
         "indian": 0.8, "oriental": 0.7, "soulful": 0.6, "bluesy": 0.7,
         "jazzy": 0.7, "funky": 0.7, "wobble": 0.6, "electro": 0.6, "ballad": 0.5,
         **WEAK_NAMES}
_KEY = re.compile(
    r"(?:\b(?:in|key of|key)\s+)?\b([A-G])\s*(#|♯|b|♭|\s+sharp|\s+flat)?\s*[- ]?"
    r"(major|minor|maj|min|dorian|phrygian|lydian|mixolydian|aeolian|ionian)?\b"
    r"(?:\s+key)?")
_BPM = re.compile(r"\b(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute)\b|"
                  r"\b(?:bpm|tempo)\s*(?:of|:|=)?\s*(\d{2,3}(?:\.\d+)?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Meaning:
    """What a phrase means: its kind and a kind-specific value."""

    kind: WordKind
    value: object


@dataclass(frozen=True)
class Hit:
    """Words `start`..`end` of the prompt, what they mean and who said so."""

    start: int
    end: int
    text: str
    meaning: Meaning
    source: Source = "lexicon"
    score: float | None = None
    read_as: str | None = None
    negated_by: int | None = None


@dataclass
class Reading:
    """A prompt's tokens, the hits found in it and the positions nobody understood."""

    prompt: str
    tokens: list[Token]
    hits: list[Hit] = field(default_factory=list)
    fillers: set[int] = field(default_factory=set)
    negations: dict[int, int] = field(default_factory=dict)

    @property
    def negators(self) -> set[int]:
        """Positions of the words that negate ('no', 'without')."""
        return set(self.negations.values())

    @property
    def unknown(self) -> list[Token]:
        taken = self.fillers | self.negators | set(self.negations) | {
            i for h in self.hits for i in range(h.start, h.end)}
        return [t for t in self.tokens if t.index not in taken]

    def of(self, kind: str) -> list[Hit]:
        """The hits of one kind that no negation sets aside, in prompt order."""
        return sorted((h for h in self.hits if h.meaning.kind == kind and h.negated_by is None),
                      key=lambda h: h.start)

    def negated(self) -> list[Hit]:
        """The hits a negation sets aside ('no drums'), in prompt order."""
        return sorted((h for h in self.hits if h.negated_by is not None), key=lambda h: h.start)


def _table(kind: WordKind, table: Mapping[str, object]) -> list[tuple[str, Meaning]]:
    return [(phrase, Meaning(kind, value)) for phrase, value in table.items()]


class Lexicon:
    """The phrase index for one genre registry (and the composer's own vocabulary)."""

    def __init__(self, genres: GenreRegistry, composer: Mapping[str, str] | None = None
                 ) -> None:
        # compound names first (they settle a registry alias's head), then the registry's
        # own names and aliases, then the name tables
        genre_words: dict[str, tuple[str, float]] = {
            " ".join(phrase_key(n)): (g, 1.0) for n, g in KNOWN.items()}
        for profile in genres:
            for alias in (profile.id.replace("-", " "), profile.name.lower(), *profile.aliases):
                genre_words.setdefault(" ".join(phrase_key(alias)),
                                       (profile.id, _WEAK.get(alias, 1.0)))
        for genre_id, names in [*NAMES.items(), *SUBGENRES.items()]:
            for name in names.split(", "):
                genre_words.setdefault(name, (genre_id, _WEAK.get(name, 1.0)))
        self.genre_words = PhraseIndex(genre_words.items())
        self._family = {g: g if g in FAMILIES else family_of_genre(g, genres)
                        for g, _w in genre_words.values()}
        self.instruments = PhraseIndex([*instrument_entries(), *LAYER_WORDS.items()])
        sounds = {phrase_key(p) for p, _v in self.instruments.phrases()}
        entries: list[tuple[str, Meaning]] = [
            *_table("tempo", moods.TEMPO_WORDS), *_table("quality", moods.QUALITY),
            *_table("key", {w: ("mode", m) for w, m in moods.MODES.items()}),
            *_table("meter", moods.METERS),
            *_table("feel", moods.FEELS), *_table("mood", moods.MOODS),
            # a name that is also an instrument ('chiptune') is the instrument, leaning
            # towards the genre (see _inner)
            *_table("genre", {w: v for w, v in genre_words.items()
                              if phrase_key(w) not in sounds}),
            *_table("genre", {w: (f, 0.5) for w, f in FAMILY_WORDS.items()}),
            *((p, Meaning("instrument", s)) for p, s in instrument_entries()),
            *_table("instrument", LAYER_WORDS), *_table("energy", moods.ENERGY),
            *_table("energy", moods.CURVES), *_table("era", moods.ERAS),
            *_table("production", moods.PRODUCTION), *_table("context", moods.CONTEXT),
            *_table("composer", composer or {}),
        ]
        self.index = PhraseIndex(entries)
        self.fillers = moods.FILLER
        known = self.index.vocabulary | self.fillers
        self._known = frozenset(known)
        self._buckets = length_buckets(known)

    def _inner(self, kind: str, words: list[str], offset: int) -> list[Hit]:
        """What a phrase says besides its own meaning: 'solo piano' (a genre) names a
        piano; 'flamenco guitar' (an instrument) and 'epic' (a mood) lean towards a genre
        at half weight."""
        inner: list[Hit] = []
        if kind in ("genre", "context", "composer") and len(words) > 1:  # not on a phone
            for sound in self.instruments.find(words, set()):
                inner.append(Hit(offset + sound.start, offset + sound.end, sound.text,
                                 Meaning("instrument", sound.value)))
        if kind != "genre":
            for named in self.genre_words.find(words, set()):
                genre_id, weight = named.value
                inner.append(Hit(offset + named.start, offset + named.end, named.text,
                                 Meaning("genre", (genre_id, weight * 0.5))))
        return inner

    def read(self, prompt: str) -> Reading:
        """The hits of `prompt`: explicit key and BPM first, then the longest phrases."""
        tokens = tokenize(prompt)
        reading = Reading(prompt, tokens)
        taken: set[int] = set()
        for pattern, kind in ((_BPM, "tempo"), (_KEY, "key")):
            for match in pattern.finditer(prompt):
                hit = _explicit(prompt, match, kind, tokens)
                if hit is not None and not any(i in taken for i in range(hit.start, hit.end)):
                    reading.hits.append(hit)
                    taken.update(range(hit.start, hit.end))
        words = [t.text for t in tokens]
        fixed = [w if w in self._known else (correct(w, self._known, self._buckets) or w)
                 for w in words]
        for span in self.index.find(fixed, taken, [t.clause for t in tokens]):
            original = " ".join(words[span.start:span.end])
            reading.hits.append(Hit(span.start, span.end, original, span.value,
                                    read_as=span.text if span.text != original else None))
            reading.hits += self._inner(span.value.kind, fixed[span.start:span.end], span.start)
        reading.hits += self._without(fixed, taken)
        self._in_context(reading)
        phrases = {h.start: (h.start, h.end, h.meaning.kind) for h in reading.hits}
        reading.negations = negation_scopes(tokens, clause_breaks(prompt),
                                            sorted(phrases.values()))
        reading.hits = [replace(h, negated_by=reading.negations.get(h.start, h.negated_by))
                        for h in reading.hits]
        negators = reading.negators
        reading.fillers = {i for i, w in enumerate(words) if i not in taken and (
            w in self.fillers or w.isdigit()) and i not in negators}
        reading.hits.sort(key=lambda h: h.start)
        return reading

    def _in_context(self, reading: Reading) -> None:
        """Words read by the genre around them: 'harp' in the blues is a harmonica."""
        families = {self._family.get(cast(tuple[str, float], h.meaning.value)[0])
                    for h in reading.hits if h.meaning.kind == "genre"}
        for k, hit in enumerate(reading.hits):
            senses = CONTEXT_WORDS.get(hit.read_as or hit.text, {})
            family = next((f for f in senses if f in families), None)
            if hit.meaning.kind == "instrument" and family is not None:
                program, note = senses[family]
                sound = Sound("program", program, gm_program_name(program), note=note)
                reading.hits[k] = replace(hit, meaning=Meaning("instrument", sound))

    def _without(self, words: list[str], taken: set[int]) -> list[Hit]:
        """'drumless', 'beatless': an instrument or layer word with '-less', negated by
        itself."""
        hits: list[Hit] = []
        for i, word in enumerate(words):
            stem = word[:-4]
            if i in taken or not word.endswith("less") or len(stem) < 3:
                continue
            for found in self.instruments.find([stem], set()):
                hits.append(Hit(i, i + 1, words[i], Meaning("instrument", found.value),
                                negated_by=i))
                taken.add(i)
        return hits


def _explicit(prompt: str, match: re.Match[str], kind: str, tokens: list[Token]
              ) -> Hit | None:
    """A BPM ('92 bpm') or key ('in F# minor', 'Eb major') hit, or None."""
    if kind == "tempo":
        bpm = float(match.group(1) or match.group(2))
        if not 30 <= bpm <= 300:
            return None
        meaning = Meaning("tempo", ("bpm", bpm))
    else:
        letter, accidental, mode = match.group(1), (match.group(2) or "").strip(), match.group(3)
        lead = match.group(0)[: match.start(1) - match.start()].strip()
        if not mode and not lead:
            return None  # a bare capital letter is not a key
        sign = {"#": "#", "♯": "#", "sharp": "#", "b": "b", "♭": "b", "flat": "b"}.get(
            accidental, "")
        mode_name = {"maj": "major", "min": "minor", "aeolian": "minor", "ionian": "major",
                     None: "major"}.get(mode, mode)
        meaning = Meaning("key", ("key", f"{letter}{sign} {mode_name}"))
    start = len(tokenize(prompt[: match.start()]))
    end = start + len(tokenize(match.group(0)))
    if end <= start or end > len(tokens):
        return None
    text = " ".join(t.text for t in tokens[start:end])
    return Hit(start, end, text, meaning)
