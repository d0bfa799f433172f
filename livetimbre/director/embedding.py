"""The embedding provider: what the lexicon does not know, matched by similarity.

Words and phrases the lexicon left unread are embedded with WordLlama (256-d static
token embeddings shipped inside its wheel: loaded from the installed package, never
downloaded) and compared with "cards": one per genre (names, aliases, clues,
description), per General MIDI instrument and per mood. A match at or above its card
kind's threshold becomes a hit with its score; a prompt naming no genre gets the genre
whose card is nearest the whole prompt. wordllama is imported on first use only.
"""

from __future__ import annotations

__all__ = ["THRESHOLDS", "EmbeddingDirector", "embedding_problem", "load_model"]

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from livetimbre.director.decide import build_spec
from livetimbre.director.genre_choice import GenreContext
from livetimbre.director.genre_names import HINTS, NAMES
from livetimbre.director.instrument_names import GM_NAMES, Sound
from livetimbre.director.moods import MOODS
from livetimbre.director.providers import DirectorContext, LexiconDirector, lexicon_for
from livetimbre.director.reading import Hit, Meaning, Reading
from livetimbre.director.spec import SongSpec

# minimum cosine similarity for a card kind to take an unknown word or phrase.
THRESHOLDS = {"genre": 0.62, "instrument": 0.66, "mood": 0.6}
_LOCK = threading.Lock()
_MODEL: list[Any] = []


def embedding_problem() -> str | None:
    """Why the embedding provider cannot run here (None: it can)."""
    from importlib.util import find_spec

    if find_spec("wordllama") is None:
        return "wordllama is not installed (pip install 'livetimbre[director]')"
    return None


def load_model() -> Any:
    """The WordLlama model from the weights inside the installed wheel (no download)."""
    with _LOCK:
        if not _MODEL:
            import wordllama

            folder = Path(wordllama.__file__).parent  # holds weights/ and tokenizers/
            _MODEL.append(wordllama.WordLlama.load(cache_dir=folder, disable_download=True))
        return _MODEL[0]


@dataclass(frozen=True)
class _Cards:
    kinds: tuple[str, ...]
    values: tuple[object, ...]
    labels: tuple[str, ...]
    vectors: np.ndarray  # (cards, 256), unit length
    genre_rows: np.ndarray  # indices of the genre cards
    genre_ids: tuple[str, ...]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-9), dtype=np.float32)


_CARDS: dict[int, _Cards] = {}


def _cards(context: GenreContext) -> _Cards:
    key = id(context)
    if key in _CARDS:
        return _CARDS[key]
    kinds: list[str] = []
    values: list[object] = []
    texts: list[str] = []
    labels: list[str] = []
    for genre_id in context.ids:
        words = [NAMES.get(genre_id, genre_id.replace("-", " ")),
                 " ".join(w for w in HINTS.get(genre_id, "").split(", ") if not w.isdigit())]
        if genre_id in context.installed:
            profile = context.genres.get(genre_id)
            words += [profile.name, ", ".join(profile.aliases), profile.description]
        kinds.append("genre")
        values.append((genre_id, 1.0))
        texts.append(". ".join(words))
        labels.append(genre_id)
    for program, text in GM_NAMES.items():
        name, _, others = text.partition(" | ")
        kinds.append("instrument")
        values.append(Sound("program", program, name))
        texts.append(f"{name}, {others}")
        labels.append(name)
    by_label: dict[str, list[str]] = {}
    for word, mood in MOODS.items():
        by_label.setdefault(mood.label, []).append(word)
    for label, words in by_label.items():
        kinds.append("mood")
        values.append(next(m for m in MOODS.values() if m.label == label))
        texts.append(", ".join(words))
        labels.append(label)
    vectors = _unit(np.asarray(load_model().embed(texts), dtype=np.float32))
    rows = np.array([i for i, k in enumerate(kinds) if k == "genre"])
    cards = _Cards(tuple(kinds), tuple(values), tuple(labels), vectors, rows,
                   tuple(labels[i] for i in rows))
    _CARDS.clear()
    _CARDS[key] = cards
    return cards


def _chunks(reading: Reading) -> list[list[int]]:
    """Runs of unknown word positions within a clause."""
    runs: list[list[int]] = []
    last: tuple[int, int] | None = None
    for token in reading.unknown:
        if token.text.isdigit() or len(token.text) < 3:
            continue
        if last is not None and token.index == last[0] + 1 and token.clause == last[1]:
            runs[-1].append(token.index)
        else:
            runs.append([token.index])
        last = (token.index, token.clause)
    return runs


class EmbeddingDirector(LexiconDirector):
    """The lexicon, then similarity to genre, instrument and mood cards."""

    name = "embedding"

    def __init__(self, fallbacks: tuple[str, ...] = ()) -> None:
        super().__init__(fallbacks)

    def direct(self, prompt: str, context: DirectorContext) -> SongSpec:
        return self.direct_many([prompt], context)[0]

    def direct_many(self, prompts: Sequence[str], context: DirectorContext) -> list[SongSpec]:
        """SongSpecs for many prompts, embedding them in one batch."""
        genres = lexicon_for(context)[1]
        cards = _cards(genres)
        readings = [self.read(p, context) for p in prompts]
        pieces: list[tuple[int, list[int]]] = []
        texts: list[str] = []
        for n, reading in enumerate(readings):
            texts.append(" ".join(t.text for t in reading.tokens if t.index not in
                                  reading.fillers) or reading.prompt)
            for run in _chunks(reading):
                for size in sorted({len(run), 1}, reverse=True):
                    for start in range(len(run) - size + 1):
                        pieces.append((n, run[start:start + size]))
                        texts.append(" ".join(reading.tokens[i].text
                                              for i in run[start:start + size]))
        similarity = _unit(np.asarray(load_model().embed(texts), dtype=np.float32)
                           ) @ cards.vectors.T
        specs = []
        for n, reading in enumerate(readings):
            rows = [p for p in range(len(pieces)) if pieces[p][0] == n]
            self._add_hits(reading, [pieces[p][1] for p in rows],
                           similarity[[len(readings) + p for p in rows]], cards)
            genre_sims = similarity[n, cards.genre_rows]
            ranking = sorted(zip(cards.genre_ids, (float(max(0.0, s)) for s in genre_sims),
                                 strict=True), key=lambda gs: -gs[1])
            specs.append(build_spec(reading, genres, self.name, self.fallbacks, ranking,
                                    "embedding", genre=context.genre, key=context.key,
                                    meter=context.meter))
        return specs

    @staticmethod
    def _add_hits(reading: Reading, spans: list[list[int]], sims: np.ndarray,
                  cards: _Cards) -> None:
        taken: set[int] = set()
        order = sorted(range(len(spans)), key=lambda i: -float(sims[i].max()) if len(
            sims) else 0.0)
        for i in order:
            span = spans[i]
            best = int(np.argmax(sims[i]))
            score = float(sims[i][best])
            kind = cards.kinds[best]
            if score < THRESHOLDS[kind] or taken & set(span):
                continue
            taken.update(span)
            text = " ".join(reading.tokens[j].text for j in span)
            reading.hits.append(Hit(span[0], span[-1] + 1, text,
                                    Meaning(kind, cards.values[best]),  # type: ignore[arg-type]
                                    source="embedding", score=score, read_as=cards.labels[best]))
        reading.hits.sort(key=lambda h: h.start)
