"""An OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM, a hosted API),
asked for JSON that follows a schema, over the standard library's HTTP client.

One call is a few attempts inside a time budget: a refused connection, a timeout, a 5xx
or a 429 is tried again after an exponential, jittered wait (a 429's Retry-After when it
fits in the budget); any other failure is final. The API key travels only in the
Authorization header: no message, log line or exception ever holds it, and URLs are shown
without their credentials or query. Redirects are refused (they would carry the key on).
"""

from __future__ import annotations

__all__ = ["MAX_BODY", "Endpoint", "LLMFailure", "ask", "redact_url"]

import base64
import http.client
import json
import random
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from livetimbre.system.resilience import Budget, backoff_delay

MAX_BODY = 1 << 20  # an answer larger than this is refused unread
_RETRIED = {408, 429, 500, 502, 503, 504}


class LLMFailure(Exception):
    """A call that produced no answer; `reason` is safe to show and to store."""

    def __init__(self, reason: str, retry: bool = False, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.wait = wait


def redact_url(url: str) -> str:
    """`url` without user, password, query or fragment: safe to show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    if parts.username or parts.password:
        host = f"***@{host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class Endpoint:
    """Where the chat completions go, the model to ask for and the key (never shown)."""

    url: str
    model: str
    key: str | None = field(default=None, repr=False)

    @property
    def where(self) -> str:
        return redact_url(self.url)

    def request(self, body: bytes) -> urllib.request.Request:
        parts = urlsplit(self.url)
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        elif parts.username or parts.password:
            pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        netloc = parts.hostname or ""
        if parts.port is not None:
            netloc = f"{netloc}:{parts.port}"
        plain = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        return urllib.request.Request(plain, data=body, headers=headers, method="POST")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx becomes an HTTPError: the key never follows a redirect


_OPENER = urllib.request.build_opener(_NoRedirect)


def _attempt(endpoint: Endpoint, body: bytes, wait: float, timeout: float) -> str:
    """One request waiting `wait` s at most (`timeout` s, less when the budget is nearly
    spent); the answer's text, or an LLMFailure saying why not."""
    where = endpoint.where
    try:
        with _OPENER.open(endpoint.request(body), timeout=wait) as response:
            data = response.read(MAX_BODY + 1)
    except urllib.error.HTTPError as exc:
        code, after = exc.code, _retry_after(exc.headers.get("Retry-After"))
        exc.close()
        hint = {401: " (check LIVETIMBRE_LLM_API_KEY)", 403: " (check LIVETIMBRE_LLM_API_KEY)",
                404: " (check the URL and the model name)", 429: " (rate limited)"}
        raise LLMFailure(f"HTTP {code} from {where}{hint.get(code, '')}",
                         retry=code in _RETRIED, wait=after) from None
    except TimeoutError:
        raise LLMFailure(f"no answer from {where} within {timeout:g} s", retry=True) from None
    except urllib.error.URLError as exc:
        why = exc.reason
        if isinstance(why, TimeoutError):
            raise LLMFailure(f"no answer from {where} within {timeout:g} s",
                             retry=True) from None
        what = why.strerror if isinstance(why, OSError) and why.strerror else type(why).__name__
        raise LLMFailure(f"cannot connect to {where} ({str(what).lower()})", retry=True) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise LLMFailure(f"the connection to {where} failed ({type(exc).__name__})",
                         retry=True) from None
    if len(data) > MAX_BODY:
        raise LLMFailure(f"the answer from {where} is larger than {MAX_BODY:,} bytes")
    return _content(data, where)


def _content(data: bytes, where: str) -> str:
    """choices[0].message.content of a chat completion."""
    try:
        content = json.loads(data)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LLMFailure(f"the answer from {where} is not a chat completion") from None
    if not isinstance(content, str):
        raise LLMFailure(f"the answer from {where} has no text")
    return content


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: the backoff decides


def ask(endpoint: Endpoint, messages: list[dict[str, str]], schema: dict[str, Any], *,
        seed: int, max_tokens: int, budget: Budget, timeout: float, attempts: int = 3,
        rng: random.Random | None = None) -> str:
    """The answer's text: up to `attempts` tries, all within `budget`."""
    body = json.dumps({
        "model": endpoint.model, "messages": messages, "temperature": 0.4, "seed": seed,
        "max_tokens": max_tokens,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "song_answer", "strict": True, "schema": schema}},
    }).encode()
    rng = rng or random.Random(seed)
    tries = 0
    while True:
        tries += 1
        try:
            return _attempt(endpoint, body, min(timeout, max(budget.left(), 0.05)), timeout)
        except LLMFailure as failure:
            wait = failure.wait if failure.wait is not None else backoff_delay(
                tries, 0.25, 2.0, rng)
            if not failure.retry or tries >= attempts:
                raise LLMFailure(failure.reason + _tries(tries)) from None
            if wait >= budget.left():
                raise LLMFailure(f"{failure.reason}{_tries(tries)}; no time left for another "
                                 f"try within the {budget.seconds:g} s budget") from None
            budget.pause(wait)


def _tries(tries: int) -> str:
    return "" if tries == 1 else f" ({tries} tries)"
