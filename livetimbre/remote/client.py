"""The worker API over HTTP (httpx, loaded only when a server is used): submit a request,
follow its status, fetch its audio (checked against its SHA-256 ETag) and its sidecar.
Every call has a timeout; every failure is a `RemoteProblem` saying what went wrong,
never the token."""

from __future__ import annotations

__all__ = ["DEFAULT_TIMEOUTS", "RemoteProblem", "ServerClient", "Timeouts"]

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from livetimbre.errors import LivetimbreError
from livetimbre.remote.models import (
    ClipRequest,
    GenerationArtifact,
    GenerationStatus,
    TrackRequest,
    job_id_of,
)

if TYPE_CHECKING:
    import httpx

MAX_AUDIO_BYTES = 1 << 30
MAX_JSON_BYTES = 16 << 20
M = TypeVar("M", bound=BaseModel)


class RemoteProblem(LivetimbreError):
    """A call to the render server failed. `server_fault`: the server is unreachable,
    slow or unwell (the circuit breaker counts it), not just this one request refused."""

    def __init__(self, reason: str, *, server_fault: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.server_fault = server_fault


@dataclass(frozen=True)
class Timeouts:
    """Seconds: to connect, to read an answer, between status polls, without progress
    before a job is given up, and for a whole job."""

    connect: float = 3.0
    read: float = 15.0
    poll: float = 0.2
    stall: float = 60.0
    total: float = 900.0


DEFAULT_TIMEOUTS = Timeouts()


def _shown(text: str, limit: int = 200) -> str:
    """The server's words, one line, printable, bounded."""
    return "".join(c if c.isprintable() else " " for c in " ".join(text.split()))[:limit]


class ServerClient:
    """One render server at `url`, with `token` (Bearer) when given."""

    def __init__(self, url: str, token: str | None = None, timeouts: Timeouts = DEFAULT_TIMEOUTS,
                 transport: httpx.BaseTransport | None = None) -> None:
        import httpx

        self.url = url
        self.timeouts = timeouts
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=url, headers=headers, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect),
            transport=transport)

    def close(self) -> None:
        self._http.close()

    # --- calls ------------------------------------------------------------------------
    def ready(self) -> str | None:
        """None when the server is ready for work; else why not."""
        try:
            response = self._call("GET", "/health/ready")
        except RemoteProblem as problem:
            return problem.reason
        return None if response.status_code == 200 else f"not ready ({response.status_code})"

    def submit(self, request: ClipRequest | TrackRequest) -> GenerationStatus:
        """Send `request`; its status (queued, running or done)."""
        response = self._call("POST", "/generate", json=request.model_dump(mode="json"))
        self._check(response, "POST /generate", (200, 202))
        status = self._model(GenerationStatus, response)
        if status.job_id != job_id_of(request):
            raise RemoteProblem("the server answered for another job than the one sent")
        return status

    def status(self, job_id: str) -> GenerationStatus:
        response = self._call("GET", f"/status/{job_id}")
        self._check(response, "GET /status", (200,))
        return self._model(GenerationStatus, response)

    def follow(self, status: GenerationStatus,
               on_status: Callable[[GenerationStatus], None],
               cancelled: Callable[[], bool] = lambda: False) -> GenerationStatus:
        """Poll until the job is done (its final status); RemoteProblem when it failed,
        made no progress for `timeouts.stall` s, or ran past `timeouts.total` s."""
        started = last_change = time.monotonic()
        seen = (status.state, status.progress, status.queue_position)
        while status.state not in ("done", "failed"):
            if cancelled():
                raise RemoteProblem("cancelled", server_fault=False)
            time.sleep(self.timeouts.poll)
            status = self.status(status.job_id)
            on_status(status)
            now = time.monotonic()
            if (status.state, status.progress, status.queue_position) != seen:
                seen, last_change = (status.state, status.progress, status.queue_position), now
            elif now - last_change > self.timeouts.stall:
                raise RemoteProblem(f"server too slow: no progress for "
                                    f"{self.timeouts.stall:.0f} s")
            if now - started > self.timeouts.total:
                raise RemoteProblem(f"server too slow: not done in {self.timeouts.total:.0f} s")
        if status.state == "failed":
            raise RemoteProblem(f"the server's render failed: {_shown(status.error or '')}",
                                server_fault=False)
        return status

    def audio(self, job_id: str) -> bytes:
        """The job's audio, whose SHA-256 must be its ETag."""
        import httpx

        try:
            with self._http.stream("GET", f"/artifact/{job_id}") as response:
                self._check(response, "GET /artifact", (200,), read=True)
                etag = response.headers.get("etag", "").strip('"')
                data = bytearray()
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) > MAX_AUDIO_BYTES:
                        raise RemoteProblem("the server's audio is larger than 1 GiB")
        except (httpx.HTTPError, RuntimeError) as exc:
            raise _transport_problem(exc) from None
        digest = hashlib.sha256(data).hexdigest()
        if len(etag) != 64 or digest != etag.lower():
            raise RemoteProblem("the server's audio does not match its SHA-256 (ETag): refused")
        return bytes(data)

    def artifact(self, job_id: str) -> GenerationArtifact:
        """What was rendered (the request, the audio's figures, the sidecar)."""
        response = self._call("GET", f"/artifact/{job_id}/sidecar")
        self._check(response, "GET /artifact/…/sidecar", (200,))
        return self._model(GenerationArtifact, response)

    # --- plumbing ---------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            return self._http.request(method, path, **kwargs)
        except (httpx.HTTPError, RuntimeError) as exc:  # RuntimeError: the client closed
            raise _transport_problem(exc) from None

    def _check(self, response: httpx.Response, what: str, ok: tuple[int, ...],
               read: bool = False) -> None:
        code = response.status_code
        if code in ok:
            return
        if read:
            response.read()
        detail = _detail(response)
        if code == 401:
            raise RemoteProblem("the server refused the token (401): set "
                                "LIVETIMBRE_SERVER_TOKEN to the token it was started with")
        if code in (413, 422):
            raise RemoteProblem(f"the server refused the request ({code}: {detail})",
                                server_fault=False)
        busy = " (busy)" if code in (429, 503) else ""
        raise RemoteProblem(f"{what} answered {code}{busy}: {detail}")

    def _model(self, model: type[M], response: httpx.Response) -> M:
        if len(response.content) > MAX_JSON_BYTES:
            raise RemoteProblem("the server's answer is larger than 16 MiB")
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise RemoteProblem(f"the server's answer is not a {model.__name__}") from None


def _detail(response: httpx.Response) -> str:
    try:
        detail = json.loads(response.content[:20_000]).get("detail", "")
    except (ValueError, AttributeError):
        detail = ""
    return _shown(detail if isinstance(detail, str) else json.dumps(detail))


def _transport_problem(exc: Exception) -> RemoteProblem:
    import httpx

    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return RemoteProblem(f"server unreachable ({type(exc).__name__})")
    if isinstance(exc, httpx.TimeoutException):
        return RemoteProblem(f"server too slow ({type(exc).__name__})")
    return RemoteProblem(f"server connection failed ({type(exc).__name__})")
