"""What guards the API, as one ASGI middleware: the bearer token (compared in constant
time, never logged), the Host header on loopback without a token (no DNS rebinding),
the body size limit (413; a body must come with its Content-Length, which the server
holds it to) and the rate limit of `POST /generate` (429).

Off loopback a token is required: `check_bind` refuses to start without one.
"""

from __future__ import annotations

__all__ = ["MAX_BODY", "MIN_TOKEN", "TOKEN_VAR", "Guard", "RateLimit", "check_bind",
           "is_loopback"]

import hmac
import ipaddress
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from livetimbre.errors import ConfigError

if TYPE_CHECKING:
    from livetimbre.server.metrics import Metrics

TOKEN_VAR = "LIVETIMBRE_SERVER_TOKEN"
MIN_TOKEN = 16
MAX_BODY = 64 * 1024  # a request is a prompt and a few numbers
# A body up to this size is read (and dropped) before the 413, so that a client that sends
# it whole before it reads an answer gets the 413, not a reset connection.
DRAIN_LIMIT = 16 * 1024 * 1024
OPEN_PATHS = ("/health/live", "/health/ready")  # probes need no token
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve off loopback without a token, or with a short one."""
    if token is not None and len(token) < MIN_TOKEN:
        raise ConfigError(f"{TOKEN_VAR} is {len(token)} characters long; use at least "
                          f"{MIN_TOKEN} (e.g. from `openssl rand -hex 32`).")
    if token is None and not is_loopback(host):
        raise ConfigError(f"Serving on {host[:60]!r} (off loopback) needs a bearer token: "
                          f"set {TOKEN_VAR} (at least {MIN_TOKEN} characters); clients send "
                          "it as 'Authorization: Bearer TOKEN'.")


class RateLimit:
    """A token bucket per client address: `burst` requests at once, then `per_minute`."""

    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(1, burst))
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str, now: float | None = None) -> float:
        """0 if `client` may go on; else the seconds until it may."""
        now = time.monotonic() if now is None else now
        level, since = self._buckets.get(client, (self.burst, now))
        level = min(self.burst, level + (now - since) * self.rate)
        if level < 1.0:
            self._buckets[client] = (level, now)
            return (1.0 - level) / self.rate if self.rate > 0 else 3600.0
        self._buckets[client] = (level - 1.0, now)
        if len(self._buckets) > 10_000:  # forget the fullest buckets' owners
            self._buckets = dict(list(self._buckets.items())[-5_000:])
        return 0.0


class Guard:
    """The middleware: token, Host, body size, rate limit, in that order."""

    def __init__(self, app: App, *, token: str | None, loopback: bool, limit: RateLimit,
                 metrics: Metrics, cors: bool = False) -> None:
        self.app = app
        self._cors = cors  # a browser's preflight (OPTIONS) carries no token
        self._token = None if token is None else f"Bearer {token}".encode()
        self._check_host = token is None and loopback
        self.limit = limit
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        path = scope.get("path", "")
        if self._check_host and not _loopback_host(headers.get(b"host", b"")):
            await self._refuse(send, 421, "bad_host", "This server answers on loopback only.")
            return
        open_path = path in OPEN_PATHS or (self._cors and scope.get("method") == "OPTIONS")
        if self._token is not None and not open_path and not hmac.compare_digest(
                headers.get(b"authorization", b""), self._token):
            await self._refuse(send, 401, "unauthorized", "A valid bearer token is needed.",
                               [(b"www-authenticate", b"Bearer")])
            return
        if b"transfer-encoding" in headers:  # a body without a length is refused
            await self._refuse(send, 411, "too_large", "Send the body with a Content-Length.")
            return
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            if length.isdigit() and int(length) <= DRAIN_LIMIT:
                await _drain(receive)  # so the client, still sending, hears the answer
            await self._refuse(send, 413, "too_large",
                               f"The request body is over {MAX_BODY} bytes.")
            return
        if scope.get("method") == "POST" and path == "/generate":
            client = (scope.get("client") or ("?", 0))[0]
            wait = self.limit.allow(client)
            if wait:
                await self._refuse(send, 429, "rate_limited", "Too many generate requests.",
                                   [(b"retry-after", str(int(wait) + 1).encode())])
                return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send, status: int, reason: str, detail: str,
                      headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.metrics.refused.labels(reason).inc()
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *(headers or [])]})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive) -> None:
    while True:
        message = await receive()
        if message.get("type") != "http.request" or not message.get("more_body"):
            return


def _loopback_host(header: bytes) -> bool:
    host = header.decode("latin-1")
    if host.startswith("["):  # [::1]:8000
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return is_loopback(host)
