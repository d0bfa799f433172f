"""A render server behind a circuit breaker: the first failure the server is to blame
for (unreachable, too slow, 5xx, a refused token, audio that fails its checksum) opens
the breaker, and jobs render locally; after the cool-down one probe of /health/ready
decides whether the server is used again."""

from __future__ import annotations

__all__ = ["DEFAULT_COOLDOWN", "RenderServer", "server_token"]

import os
import threading
import time
from collections.abc import Callable, Mapping

from livetimbre.remote.client import DEFAULT_TIMEOUTS, RemoteProblem, ServerClient, Timeouts
from livetimbre.system.resilience import CircuitBreaker

TOKEN_ENV = "LIVETIMBRE_SERVER_TOKEN"
DEFAULT_COOLDOWN = 15.0


def server_token(env: Mapping[str, str] = os.environ) -> str | None:
    """The Bearer token for the render server: LIVETIMBRE_SERVER_TOKEN, from nowhere else."""
    return env.get(TOKEN_ENV) or None


class RenderServer:
    """The render server at `url` and what the client knows of its health."""

    def __init__(self, client: ServerClient, *, cooldown: float = DEFAULT_COOLDOWN,
                 clock: Callable[[], float] = time.monotonic,
                 say: Callable[[str], None] | None = None) -> None:
        self.client = client
        self.url = client.url
        self.breaker = CircuitBreaker(threshold=1, cooldown=cooldown, clock=clock)
        self.last_problem = ""
        self._say = say or (lambda _message: None)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, url: str, *, cooldown: float = DEFAULT_COOLDOWN,
             timeouts: Timeouts = DEFAULT_TIMEOUTS,
             say: Callable[[str], None] | None = None) -> RenderServer:
        """A client of `url`, with the token from the environment."""
        return cls(ServerClient(url, server_token(), timeouts), cooldown=cooldown, say=say)

    def close(self) -> None:
        self.client.close()

    def usable(self) -> bool:
        """Jobs may go to the server (its breaker is closed)."""
        return not self.breaker.is_open

    def probe(self) -> bool:
        """With the breaker open and its cool-down over: ask /health/ready (blocking, so
        never on the audio or control thread). True when the server is usable."""
        if not self.breaker.is_open:
            return True
        if self.breaker.refusal() is not None:
            return False  # cooling down, or another probe decides
        reason = self.client.ready()
        if reason is None:
            self.breaker.success()
            self._say(f"render server {self.url} is back: rendering there again")
            return True
        with self._lock:
            self.last_problem = reason
        self.breaker.failure()
        return False

    def succeeded(self) -> None:
        self.breaker.success()

    def failed(self, problem: RemoteProblem) -> None:
        """Count `problem`, if the server is to blame (the first opens the breaker)."""
        if not problem.server_fault:
            return
        was_open = self.breaker.is_open
        self.breaker.failure()
        with self._lock:
            self.last_problem = problem.reason
        if not was_open:
            self._say(f"render server {self.url}: {problem.reason}; rendering locally, "
                      f"trying it again in {self.breaker.cooldown:g} s")

    def refusal_note(self) -> str:
        """The note of a job rendered locally because the breaker is open."""
        with self._lock:
            reason = self.last_problem or "server unavailable"
        return f"rendered locally: {reason} (circuit open)"
