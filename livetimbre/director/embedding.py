"""The embedding provider: what the lexicon does not know, matched by similarity.

Words and phrases the lexicon left unread are embedded with WordLlama's 256-d static
token embeddings (shipped inside its wheel: read from the installed package, never
downloaded) and take the meaning of the nearest lexicon phrase when the cosine
similarity reaches THRESHOLD ('slowish' → 'slow', 'pianist' → 'piano'), recorded with
its score. A prompt naming no genre gets the genre whose card (names, aliases, clues,
description) is nearest the whole prompt, blended with the lexicon's clue ranking.
Nothing is loaded before the first prompt.
"""

from __future__ import annotations

__all__ = ["SINGLE_WORD_TO_PHRASE", "THRESHOLD", "Embedder", "EmbeddingDirector",
           "embedding_problem", "load_model"]

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from livetimbre.director.decide import build_spec, clues
from livetimbre.director.genre_choice import GenreContext, hint_ranking
from livetimbre.director.genre_names import HINTS, NAMES
from livetimbre.director.providers import DirectorContext, LexiconDirector, lexicon_for
from livetimbre.director.reading import Hit, Lexicon, Meaning, Reading
from livetimbre.director.spec import SongSpec
from livetimbre.errors import ConfigError

# the cosine similarity an unknown word or phrase needs to take its nearest phrase's meaning.
THRESHOLD = 0.82
SINGLE_WORD_TO_PHRASE = 0.9  # a lone word taking a multi-word phrase's meaning needs more
_LOCK = threading.Lock()
_CARDS_LOCK = threading.Lock()
_MODEL: list[Embedder] = []


WEIGHTS = ("weights", "l2_supercat_256.safetensors")
TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")


def _wordllama_folder() -> Path | None:
    """The installed wordllama package's folder, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def embedding_problem() -> str | None:
    """Why the embedding provider cannot run here (None: it can)."""
    folder = _wordllama_folder()
    if folder is None:
        return "wordllama is not installed (pip install 'livetimbre[director]')"
    for parts in (WEIGHTS, TOKENIZER):
        if not folder.joinpath(*parts).is_file():
            return f"wordllama's {parts[1]} is missing from its installed package"
    return None


class Embedder:
    """WordLlama's static embeddings: the mean of a text's token vectors.

    The weights and tokenizer are read from the installed wheel: the package itself is
    never imported (its import configures the root logger and pulls in an HTTP client).
    """

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.table = np.ascontiguousarray(
            load_file(str(folder.joinpath(*WEIGHTS)))["embedding.weight"], dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(folder.joinpath(*TOKENIZER)))
        self.tokenizer.enable_padding()
        self.tokenizer.no_truncation()

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, shape (len(texts), 256)."""
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for start in range(0, len(texts), 256):
            encoded = self.tokenizer.encode_batch(texts[start:start + 256],
                                                  add_special_tokens=False)
            ids = np.clip(np.array([e.ids for e in encoded], dtype=np.int64), 0,
                          len(self.table) - 1)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
            summed = np.einsum("btd,bt->bd", self.table[ids], mask)
            out[start:start + len(encoded)] = summed / np.maximum(mask.sum(1), 1.0)[:, None]
        return _unit(out)


def load_model() -> Embedder:
    """The embedder, loaded once from wordllama's installed files (never downloaded)."""
    with _LOCK:
        if not _MODEL:
            folder = _wordllama_folder()
            problem = embedding_problem()
            if folder is None or problem is not None:
                raise ConfigError(f"The embedding director cannot start: {problem}.")
            _MODEL.append(Embedder(folder))
        return _MODEL[0]


@dataclass(frozen=True)
class _Cards:
    phrases: tuple[str, ...]  # every lexicon phrase (its meaning in `meanings`)
    meanings: tuple[Meaning, ...]
    vectors: np.ndarray  # (phrases, 256), unit length
    genre_ids: tuple[str, ...]
    genre_vectors: np.ndarray  # one card per genre: names, aliases, clues, description
    multiword: np.ndarray  # (phrases,) bool: the phrase has two words or more


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-9), dtype=np.float32)


_CARDS: dict[int, tuple[Lexicon, _Cards]] = {}


def _genre_card(genre_id: str, context: GenreContext) -> str:
    words = [NAMES.get(genre_id, genre_id.replace("-", " ")),
             " ".join(w for w in HINTS.get(genre_id, "").split(", ") if not w.isdigit())]
    if genre_id in context.installed:
        profile = context.genres.get(genre_id)
        words += [profile.name, ", ".join(profile.aliases), profile.description]
    return ". ".join(words)


def _cards(lexicon: Lexicon, context: GenreContext) -> _Cards:
    with _CARDS_LOCK:
        return _cards_unlocked(lexicon, context)


def _cards_unlocked(lexicon: Lexicon, context: GenreContext) -> _Cards:
    cached = _CARDS.get(id(lexicon))
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    entries = [(p, m) for p, m in lexicon.index.phrases()
               if m.kind not in ("composer", "context")]
    model = load_model()
    phrases = tuple(p for p, _m in entries)
    cards = _Cards(
        phrases, tuple(m for _p, m in entries), model.embed(list(phrases)), context.ids,
        model.embed([_genre_card(g, context) for g in context.ids]),
        np.array([" " in p for p in phrases], dtype=bool))
    _CARDS.clear()
    _CARDS[id(lexicon)] = (lexicon, cards)
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
        lexicon, genres = lexicon_for(context)
        cards = _cards(lexicon, genres)
        readings = [self.read(p, context) for p in prompts]
        pieces: list[tuple[int, list[int]]] = []
        texts = [" ".join(t.text for t in r.tokens if t.index not in r.fillers) or r.prompt
                 for r in readings]
        for n, reading in enumerate(readings):
            for run in _chunks(reading):
                for size in sorted({len(run), 2, 1}, reverse=True):
                    for start in range(len(run) - size + 1) if size <= len(run) else ():
                        pieces.append((n, run[start:start + size]))
                        texts.append(" ".join(reading.tokens[i].text
                                              for i in run[start:start + size]))
        vectors = load_model().embed(texts)
        near = vectors[len(readings):] @ cards.vectors.T
        specs = []
        for n, reading in enumerate(readings):
            rows = [p for p in range(len(pieces)) if pieces[p][0] == n]
            self._add_hits(reading, [pieces[p][1] for p in rows], near[rows], cards)
            hints = dict(hint_ranking(genres, clues(reading)))
            sims = vectors[n] @ cards.genre_vectors.T
            ranking = sorted(((g, round(0.5 * hints.get(g, 0.0) + 0.5 * max(0.0, float(s)), 3))
                              for g, s in zip(cards.genre_ids, sims, strict=True)),
                             key=lambda gs: -gs[1])
            specs.append(build_spec(reading, genres, self.name, self.fallbacks, ranking,
                                    "embedding", genre=context.genre, key=context.key,
                                    meter=context.meter))
        return specs

    @staticmethod
    def _add_hits(reading: Reading, spans: list[list[int]], sims: np.ndarray,
                  cards: _Cards) -> None:
        """The unknown spans whose nearest lexicon phrase is close enough, best first."""
        taken: set[int] = set()
        sims = sims.copy()
        for i, span in enumerate(spans):
            if len(span) == 1:  # a lone word: multi-word phrases must be very close
                sims[i, cards.multiword & (sims[i] < SINGLE_WORD_TO_PHRASE)] = 0.0
        best = sims.argmax(axis=1) if len(spans) else np.zeros(0, dtype=int)
        order = sorted(range(len(spans)), key=lambda i: -float(sims[i, best[i]]))
        for i in order:
            span, score = spans[i], float(sims[i, best[i]])
            if score < THRESHOLD or taken & set(span):
                continue
            taken.update(span)
            text = " ".join(reading.tokens[j].text for j in span)
            reading.hits.append(Hit(span[0], span[-1] + 1, text, cards.meanings[best[i]],
                                    source="embedding", score=score,
                                    read_as=cards.phrases[best[i]],
                                    negated_by=reading.negations.get(span[0])))
        reading.hits.sort(key=lambda h: h.start)
