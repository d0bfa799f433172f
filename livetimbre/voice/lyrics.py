"""LyricSpec: the words a song sings, section by section, and who wrote them.

`write_lyrics(song, form, seed=…)` writes lines for a form (one `LyricSlot` a section:
its name, the syllables of each line, a rhyme scheme) from the SongSpec's mood and theme:
by the Director's LLM when it read the prompt (validated against CMUdict, the grammar
when it fails) or by the grammar (voice.lyrics_grammar). Choruses sing the same words
every time; verses move on. `read_lyrics` (voice.lyrics_read) takes the user's words.
"""

from __future__ import annotations

__all__ = ["LyricSection", "LyricSlot", "LyricSpec", "lyric_section", "write_lyrics"]

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from livetimbre.director.spec import SongSpec
from livetimbre.music.seeds import stable_seed
from livetimbre.voice.lyrics_grammar import LineWriter, default_scheme
from livetimbre.voice.lyrics_lexicon import lexicon_for, lyric_mood, lyric_theme

LyricSource = Literal["grammar", "llm", "user"]

# the long-form plan's sections (planner.trackplan) → the lyric section they sing
_SUNG = {"motif": "verse", "verse": "verse", "chorus": "chorus", "bridge": "bridge",
         "resolve": "chorus", "outro": "chorus"}


def lyric_section(name: str) -> str | None:
    """The lyric section a plan section sings (None: instrumental, like an intro)."""
    return _SUNG.get(name.strip().lower())


@dataclass(frozen=True)
class LyricSlot:
    """A section to write: its name (verse, chorus, bridge), the syllables of each line
    (as many as its phrase has notes for syllables), a rhyme scheme, one letter a line
    (None: the section's usual one), and the beats each line's phrase has for its
    stressed syllables (the grammar keeps to them when it can)."""

    section: str
    syllables: tuple[int, ...]
    scheme: str | None = None
    strong: tuple[int, ...] = ()  # the beats of each line's phrase (empty: no limit)
    per_beat: int = 2  # the syllables a beat holds (eighths in it: 3 in 6/8)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LyricSection(_Frozen):
    """One section's lines; `scheme` is its rhyme scheme (None for the user's words)."""

    name: str
    lines: list[str]
    scheme: str | None = None


class LyricSpec(_Frozen):
    """The lyric of a clip or a song (the sidecar's `lyrics`)."""

    source: LyricSource
    mood: str | None = None
    theme: list[str] = []
    sections: list[LyricSection]
    notes: list[str] = []

    def section(self, name: str, occurrence: int = 0) -> LyricSection | None:
        """The `occurrence`-th section called `name` (a chorus comes back the same: the
        last one when there are fewer), else the first section of any name."""
        named = [s for s in self.sections if s.name == name]
        if named:
            return named[min(occurrence, len(named) - 1)] if name == "chorus" else (
                named[occurrence % len(named)])
        return self.sections[0] if self.sections else None


_SUBJECTS = {"verse": (("I",), ("we", "you"), ("I", "we")),
             "chorus": (("we", "you", "I", "", ""),), "bridge": (("you", ""),)}


def _grammar(song: SongSpec | None, form: Sequence[LyricSlot], seed: int,
             notes: Sequence[str] = ()) -> LyricSpec:
    mood = lyric_mood(song)
    theme = lyric_theme(song, mood)
    lexicon = lexicon_for(mood, theme)
    sections: list[LyricSection] = []
    used: set[str] = set()
    seen: dict[str, int] = {}
    written: dict[tuple[str, tuple[int, ...], str | None], LyricSection] = {}
    for slot in form:
        name = slot.section
        occurrence = seen.get(name, 0)
        seen[name] = occurrence + 1
        again = written.get((name, slot.syllables, slot.scheme))  # strong follows syllables
        if name == "chorus" and again is not None:  # the chorus comes back word for word
            sections.append(again)
            continue
        rng = random.Random(stable_seed(seed, "lyrics", name,
                                        0 if name == "chorus" else occurrence))
        scheme = slot.scheme or default_scheme(name, len(slot.syllables), rng)
        subjects = _SUBJECTS.get(name, (("I", "we", "you"),))
        writer = LineWriter(lexicon, rng, subjects[occurrence % len(subjects)])
        writer.used = used
        writer.per_beat = slot.per_beat
        section = LyricSection(name=name, scheme=scheme,
                               lines=writer.section(slot.syllables, scheme, slot.strong))
        written[(name, slot.syllables, slot.scheme)] = section
        sections.append(section)
    return LyricSpec(source="grammar", mood=mood, theme=theme, sections=sections,
                     notes=list(notes))


def write_lyrics(song: SongSpec | None, form: Sequence[LyricSlot], *, seed: int,
                 provider: str | None = None) -> LyricSpec:
    """Lines for every slot of `form`, each of exactly its syllables, rhymed by its
    scheme. `provider`: 'grammar', 'llm[:MODEL]', or None: the LLM when the SongSpec was
    read by one (`song.director` starts with 'llm'), else the grammar. A failing LLM
    falls back to the grammar and the LyricSpec's `notes` say why."""
    wanted = provider or ("llm" if song is not None and song.director.startswith("llm")
                          else "grammar")
    if wanted.startswith("llm"):
        from livetimbre.voice.lyrics_llm import LyricFailure, llm_lyrics

        try:
            return llm_lyrics(song, form, seed=seed, name=wanted)
        except LyricFailure as failure:
            return _grammar(song, form, seed, [f"{wanted} → grammar: {failure.reason}"])
    return _grammar(song, form, seed)
