"""The `llm` provider: an LLM asked for a compact answer (director.llm_answer) held to its
JSON schema, merged with the lexicon's reading into a SongSpec.

`llm[:MODEL]`: an OpenAI-compatible chat endpoint at $LIVETIMBRE_LLM_URL (its
/chat/completions), asking for MODEL or $LIVETIMBRE_LLM_MODEL, with the key in
$LIVETIMBRE_LLM_API_KEY (sent in the Authorization header, written nowhere). `llm:PATH`,
where PATH is a folder: a local transformers model with constrained decoding
(director.llm_local). Each attempt waits at most $LIVETIMBRE_LLM_TIMEOUT seconds (10);
a prompt waits at most twice that in all, retries and backoff included. After 3 failed
prompts in a row the LLM is skipped for 30 s ("circuit open"). Whenever the LLM gives no
usable answer the embedding provider decides and `fallbacks` says why.
"""

from __future__ import annotations

__all__ = ["ATTEMPTS", "COOLDOWN", "DEFAULT_TIMEOUT", "KEY_ENV", "MODEL_ENV", "THRESHOLD",
           "TIMEOUT_ENV", "URL_ENV", "LLMDirector", "LLMSettings", "breaker_for", "llm_director",
           "messages"]

import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livetimbre.director.genre_choice import GenreContext
from livetimbre.director.llm_answer import AnswerError, answer_schema, longest_answer, parse_answer
from livetimbre.director.llm_http import Endpoint, LLMFailure, ask, redact_url
from livetimbre.director.llm_merge import merge_answer
from livetimbre.director.providers import Director, DirectorContext, LexiconDirector, lexicon_for
from livetimbre.director.spec import SongSpec
from livetimbre.music.seeds import stable_seed
from livetimbre.system.resilience import Budget, CircuitBreaker

URL_ENV, MODEL_ENV, KEY_ENV = "LIVETIMBRE_LLM_URL", "LIVETIMBRE_LLM_MODEL", "LIVETIMBRE_LLM_API_KEY"
TIMEOUT_ENV = "LIVETIMBRE_LLM_TIMEOUT"
DEFAULT_TIMEOUT = 10.0  # seconds per attempt; a prompt's whole budget is twice this
ATTEMPTS = 3
THRESHOLD, COOLDOWN = 3, 30.0  # failed prompts in a row that open the circuit; its pause
_LOG = logging.getLogger(__name__)
_BREAKERS: dict[str, CircuitBreaker] = {}
_BREAKERS_LOCK = threading.Lock()
Fallback = Callable[[tuple[str, ...]], Director]


@dataclass(frozen=True)
class LLMSettings:
    """An endpoint or a local model folder, and the per-attempt timeout."""

    endpoint: Endpoint | None
    folder: Path | None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def model(self) -> str:
        return self.endpoint.model if self.endpoint else self.folder.name if self.folder else ""

    @property
    def where(self) -> str:
        return f"{self.endpoint.where} {self.model}" if self.endpoint else f"local {self.model}"

    @classmethod
    def from_env(cls, model: str | None) -> LLMSettings:
        """The settings for `llm[:MODEL]`; a ValueError says what is missing."""
        model = model or os.environ.get(MODEL_ENV, "").strip() or None
        timeout = _timeout(os.environ.get(TIMEOUT_ENV))
        if model and Path(model).expanduser().is_dir():
            return cls(None, Path(model).expanduser(), timeout)
        url = os.environ.get(URL_ENV, "").strip()
        if not url:
            raise ValueError(f"not configured (set {URL_ENV}, or name a model folder: llm:PATH)")
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{URL_ENV} '{redact_url(url)[:80]}' is not an http(s) URL")
        if not model:
            raise ValueError(f"not configured ({MODEL_ENV} is not set; or use llm:MODEL)")
        if not url.rstrip("/").endswith("/chat/completions"):
            url = url.rstrip("/") + "/chat/completions"
        key = os.environ.get(KEY_ENV, "").strip() or None
        return cls(Endpoint(url, model, key), None, timeout)


def _timeout(text: str | None) -> float:
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise ValueError(f"{TIMEOUT_ENV} '{text[:20]}' is not a number of seconds in (0, 600]")
    return value


def messages(prompt: str, genre_ids: Sequence[str], schema: dict[str, Any]
             ) -> list[dict[str, str]]:
    """The chat: what to decide, the schema, and the prompt."""
    system = (
        "You are the creative director of a music generator. Read the user's prompt and "
        f"decide: the genre (one of {', '.join(genre_ids)}), the tempo in BPM, the tonic "
        "and mode, the meter, up to three moods, the energy from 0 (still) to 100 (flat "
        "out), up to four General MIDI instruments the prompt asks for or that suit it (by "
        "their General MIDI program names, such as 'Acoustic Grand Piano') and a one-"
        "sentence brief in plain ASCII. Answer with one JSON object and nothing else, "
        "following this JSON schema: " + json.dumps(schema, separators=(",", ":")))
    return [{"role": "system", "content": system}, {"role": "user", "content": prompt}]


def breaker_for(settings: LLMSettings) -> CircuitBreaker:
    """The circuit breaker of an endpoint (or local model), shared by every prompt."""
    key = settings.where
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault(key, CircuitBreaker(THRESHOLD, COOLDOWN))


class LLMDirector:
    """Asks the LLM; falls back (with the reason) when it gives no usable answer."""

    name = "llm"

    def __init__(self, label: str, settings: LLMSettings, fallback: Fallback) -> None:
        self.label = label
        self.settings = settings
        self.fallback = fallback

    def direct(self, prompt: str, context: DirectorContext) -> SongSpec:
        reading = LexiconDirector().read(prompt, context)  # checks the prompt first
        genres = lexicon_for(context)[1]
        breaker = breaker_for(self.settings)
        refusal = breaker.refusal()
        if refusal is not None:
            return self._fall_back(prompt, context, refusal)
        try:
            answer = parse_answer(self._ask(prompt, genres), genres.installed)
        except (LLMFailure, AnswerError) as exc:
            breaker.failure()
            return self._fall_back(prompt, context, str(exc))
        breaker.success()
        return merge_answer(answer, reading, genres, f"llm:{self.settings.model}", [],
                            genre=context.genre, key=context.key, meter=context.meter)

    def direct_many(self, prompts: Sequence[str], context: DirectorContext) -> list[SongSpec]:
        """One SongSpec per prompt, in order."""
        return [self.direct(p, context) for p in prompts]

    def _ask(self, prompt: str, genres: GenreContext) -> str:
        ids = sorted(genres.installed)
        schema = answer_schema(ids)
        chat = messages(prompt, ids, schema)
        seed = stable_seed("director-llm", prompt.strip().lower())
        most = len(longest_answer(ids).encode()) + 16  # a token is at least a byte
        if self.settings.folder is not None:
            from livetimbre.director.llm_local import local_model

            try:
                return local_model(self.settings.folder).answer(chat, schema, seed=seed,
                                                                max_new_tokens=most)
            except LLMFailure:
                raise
            except Exception as exc:  # a provider's failure is a fallback, never a crash
                raise LLMFailure(f"the local model failed ({type(exc).__name__})") from None
        endpoint, timeout = self.settings.endpoint, self.settings.timeout
        if endpoint is None:
            raise LLMFailure("no endpoint and no model folder")
        return ask(endpoint, chat, schema, seed=seed, max_tokens=most,
                   budget=Budget(2 * timeout), timeout=timeout, attempts=ATTEMPTS)

    def _fall_back(self, prompt: str, context: DirectorContext, reason: str) -> SongSpec:
        key = self.settings.endpoint.key if self.settings.endpoint else None
        if key:
            reason = reason.replace(key, "***")
        _LOG.info("%s fell back to the embedding provider: %s", self.label, reason)
        return self.fallback((f"{self.label} → embedding: {reason}",)).direct(prompt, context)


def llm_director(name: str, fallback: Fallback) -> Director:
    """The LLM provider for `llm[:MODEL]`, or `fallback` saying why it is not configured."""
    model = name.partition(":")[2] or None
    try:
        settings = LLMSettings.from_env(model)
    except ValueError as exc:
        return fallback((f"{name} → embedding: {exc}",))
    if settings.folder is not None:
        from livetimbre.director.llm_local import local_problem

        problem = local_problem()
        if problem is not None:
            return fallback((f"{name} → embedding: {problem}",))
    return LLMDirector(name, settings, fallback)
