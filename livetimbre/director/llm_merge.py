"""An LLM answer merged with the lexicon's reading into a full SongSpec.

The LLM decides the genre, tempo, key, meter, moods, energy, the instruments it names
and the brief; the lexicon's reading gives the rest (feel, energy curve, era, production,
drums, the genre's sounds for the layers the LLM left free) and the word report, where
every word the LLM's decisions cover says "(llm)". Options (--genre, --key, --meter)
still win.
"""

from __future__ import annotations

__all__ = ["merge_answer"]

from collections.abc import Sequence
from typing import cast

from livetimbre.director.decide import build_spec, clues, genre_votes
from livetimbre.director.genre_choice import GenreContext, hint_ranking
from livetimbre.director.instrument_names import GM_NAMES, Sound, gm_program_name, layer_of
from livetimbre.director.llm_answer import LLMAnswer
from livetimbre.director.moods import Mood
from livetimbre.director.reading import Hit, Reading
from livetimbre.director.spec import (
    InstrumentChoice,
    KeyDecision,
    Layer,
    SongSpec,
    TempoDecision,
    WordUse,
    mode_family,
)
from livetimbre.music.theory import parse_key

_PROGRAMS = {gm_program_name(p): p for p in GM_NAMES}
_REASON = "the LLM's answer"


def merge_answer(answer: LLMAnswer, reading: Reading, genres: GenreContext, director: str,
                 fallbacks: Sequence[str], *, genre: str | None = None, key: str | None = None,
                 meter: str | None = None) -> SongSpec:
    """The SongSpec: the LLM's decisions over the lexicon's reading of the same prompt."""
    ranking = hint_ranking(genres, clues(reading))
    base = build_spec(reading, genres, director, fallbacks, ranking, "llm",
                      genre=genre or answer.genre,
                      key=key or f"{answer.tonic} {answer.mode}", meter=meter or answer.meter)
    decision = base.genre
    if genre is None:
        support = max(genre_votes(reading).get(answer.genre, (0.0, 0))[0],
                      dict(ranking).get(answer.genre, 0.0))
        decision = decision.model_copy(update={
            "source": "llm", "confidence": round(min(1.0, support), 3)})
    key_decision = base.key
    if key is None:
        parsed = parse_key(f"{answer.tonic} {answer.mode}")
        key_decision = KeyDecision(key=str(parsed), mode=parsed.mode,
                                   family=mode_family(parsed.mode), source="llm",
                                   reason=_REASON)
    tempo = TempoDecision(bpm=float(answer.tempo), direction=base.tempo.direction,
                          source="llm", reason=_REASON)
    instruments = _instruments(answer, base.instruments)
    spec = base.model_copy(update={
        "genre": decision, "key": key_decision, "tempo": tempo,
        "mood": list(dict.fromkeys(answer.mood)), "energy": answer.energy / 100,
        "instruments": instruments, "brief": answer.brief})
    hits = {(h.start, h.meaning.kind): h for h in reading.hits}
    words = [_relabel(w, hits.get((w.start, w.kind)), spec) for w in base.words]
    return SongSpec.model_validate({**spec.model_dump(), "words": words})


def _instruments(answer: LLMAnswer, lexicon: list[InstrumentChoice]) -> list[InstrumentChoice]:
    """The LLM's instruments on their preferred free layers, then the lexicon's choices
    (named sounds, drums, the genre's sounds) for the layers left."""
    chosen: list[InstrumentChoice] = []
    taken: set[Layer] = set()
    for name in dict.fromkeys(answer.instruments):
        program = _PROGRAMS[name]
        layers = layer_of(Sound("program", program, name))
        layer = next((la for la in layers if la not in taken), layers[0])
        named = next((i.named for i in lexicon if i.kind == "program" and i.number == program
                      and i.named), None)  # the prompt's words for it, if any
        chosen.append(InstrumentChoice(layer=layer, kind="program", number=program,
                                       gm_name=name, named=named, source="llm"))
        taken.add(layer)
    return chosen + [i for i in lexicon if i.layer not in taken]


def _relabel(word: WordUse, hit: Hit | None, spec: SongSpec) -> WordUse:
    """A word whose meaning the LLM decided on: its effect now, marked (llm)."""
    if hit is None or not word.used:
        return word
    value, effect = hit.meaning.value, None
    if word.kind == "genre":
        genre_id = cast(tuple[str, float], value)[0]
        effect = f"genre {genre_id}" + ("" if genre_id == spec.genre.named else
                                        f" (the LLM chose {spec.genre.named})")
    elif word.kind == "tempo":
        effect = f"tempo {spec.tempo.bpm:g}"
    elif word.kind == "key" and spec.key.source == "llm":
        effect = f"key {spec.key.key}"
    elif isinstance(value, Mood):
        effect = f"mood {value.label}" + ("" if value.label in spec.mood else
                                          " (not the LLM's)")
    elif isinstance(value, Sound) and value.kind == "program":
        kept = any(i.number == value.number and i.kind == "program" for i in spec.instruments)
        if any(i.source == "llm" and i.number == value.number for i in spec.instruments):
            effect = value.gm_name
        elif not kept:
            effect = f"{value.gm_name} (not chosen)"
    if effect is None:
        return word
    return word.model_copy(update={"effect": effect, "source": "llm"})
