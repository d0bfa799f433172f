"""The render server's client without a server: the breaker on a fake clock, the probe
that closes it, what each failure says, the checksum check, where the URL comes from."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx
import pytest

from livetimbre.errors import ConfigError, PatchError
from livetimbre.genres import GenreRegistry
from livetimbre.patch.dump import session_to_patch
from livetimbre.patch.load import parse_patch
from livetimbre.remote.address import choose_server
from livetimbre.remote.client import RemoteProblem, ServerClient, Timeouts
from livetimbre.remote.models import GenerationStatus, TrackRequest, job_id_of
from livetimbre.remote.service import RenderServer, server_token

pytestmark = pytest.mark.timeout(30)

URL = "http://render-box:8000"
Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Calls:
    """A fake server: answers with `handler`, counts the paths asked for."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return self.handler(request)


def _server(calls: Calls, clock: Clock, cooldown: float = 10.0,
            said: list[str] | None = None) -> RenderServer:
    client = ServerClient(URL, "tok", Timeouts(poll=0.0), transport=httpx.MockTransport(calls))
    return RenderServer(client, cooldown=cooldown, clock=clock,
                        say=said.append if said is not None else None)


def _refused(_request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused")


def _ready(_request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"status": "ready"})


def test_one_failure_opens_the_breaker_and_a_probe_after_the_cooldown_closes_it() -> None:
    clock, said = Clock(), []
    calls = Calls(_refused)
    server = _server(calls, clock, said=said)
    assert server.usable()
    with pytest.raises(RemoteProblem) as caught:
        server.client.submit(TrackRequest(kind="track", prompt="x"))
    server.failed(caught.value)
    assert not server.usable()
    assert said == [f"render server {URL}: server unreachable (ConnectError); rendering "
                    "locally, trying it again in 10 s"]
    assert server.refusal_note() == ("rendered locally: server unreachable (ConnectError) "
                                     "(circuit open)")
    clock.now += 9.9
    assert not server.probe() and calls.paths == ["/generate"]  # cooling down: no call
    clock.now += 0.2
    assert not server.probe()  # the probe fails: open again, for another cooldown
    assert calls.paths == ["/generate", "/health/ready"]
    clock.now += 5
    assert not server.probe() and len(calls.paths) == 2
    calls.handler = _ready
    clock.now += 5
    assert server.probe() and server.usable()
    assert calls.paths[-1] == "/health/ready"
    assert said[-1] == f"render server {URL} is back: rendering there again"


def test_a_probe_while_closed_asks_nothing() -> None:
    calls = Calls(_ready)
    server = _server(calls, Clock())
    assert server.probe() and calls.paths == []


@pytest.mark.parametrize(("code", "words", "server_fault"), [
    (401, "the server refused the token (401): set LIVETIMBRE_SERVER_TOKEN", True),
    (500, "POST /generate answered 500: boom", True),
    (503, "POST /generate answered 503 (busy): full", True),
    (422, "the server refused the request (422: bad)", False),
])
def test_each_refusal_says_what_it_is_and_only_the_servers_faults_open_the_breaker(
        code: int, words: str, server_fault: bool) -> None:
    detail = {401: "no", 500: "boom", 503: "full", 422: "bad"}[code]
    server = _server(Calls(lambda _r: httpx.Response(code, json={"detail": detail})), Clock())
    with pytest.raises(RemoteProblem) as caught:
        server.client.submit(TrackRequest(kind="track", prompt="x"))
    assert caught.value.reason.startswith(words)
    assert caught.value.server_fault is server_fault
    server.failed(caught.value)
    assert server.usable() is not server_fault


def test_a_timeout_is_a_slow_server() -> None:
    def slow(_request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    with pytest.raises(RemoteProblem, match=r"^server too slow \(ReadTimeout\)$"):
        _server(Calls(slow), Clock()).client.status("0" * 64)


def test_audio_is_taken_only_when_it_matches_its_etag() -> None:
    audio = b"RIFF" + bytes(100)
    digest = hashlib.sha256(audio).hexdigest()
    for etag, ok in ((digest, True), (hashlib.sha256(b"other").hexdigest(), False), ("", False)):
        calls = Calls(lambda _r, e=etag: httpx.Response(200, content=audio,
                                                        headers={"ETag": f'"{e}"'}))
        client = _server(calls, Clock()).client
        if ok:
            assert client.audio("0" * 64) == audio
        else:
            with pytest.raises(RemoteProblem, match="does not match its SHA-256"):
                client.audio("0" * 64)


def test_an_answer_for_another_job_is_refused() -> None:
    other = GenerationStatus(job_id="f" * 64, state="queued").model_dump(mode="json")
    client = _server(Calls(lambda _r: httpx.Response(202, json=other)), Clock()).client
    with pytest.raises(RemoteProblem, match="another job"):
        client.submit(TrackRequest(kind="track", prompt="x"))


def test_a_job_without_progress_is_given_up_and_a_failed_one_says_why() -> None:
    request = TrackRequest(kind="track", prompt="x")
    job = job_id_of(request)
    stuck = GenerationStatus(job_id=job, state="running", progress=0.5)
    client = ServerClient(URL, None, Timeouts(poll=0.0, stall=0.0), transport=httpx.MockTransport(
        lambda _r: httpx.Response(200, json=stuck.model_dump(mode="json"))))
    with pytest.raises(RemoteProblem, match="no progress") as caught:
        client.follow(stuck, lambda _s: None)
    assert caught.value.server_fault
    failed = GenerationStatus(job_id=job, state="failed", error="bad\x1b[31m genre")
    client = ServerClient(URL, None, Timeouts(poll=0.0), transport=httpx.MockTransport(
        lambda _r: httpx.Response(200, json=failed.model_dump(mode="json"))))
    with pytest.raises(RemoteProblem) as caught:
        client.follow(stuck, lambda _s: None)
    assert caught.value.reason == "the server's render failed: bad [31m genre"
    assert not caught.value.server_fault


def test_the_token_goes_in_the_header_only() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client = ServerClient(URL, "s3cret-token", transport=httpx.MockTransport(handler))
    assert client.ready() is None
    assert seen[0].headers["authorization"] == "Bearer s3cret-token"
    assert "s3cret" not in str(seen[0].url)
    assert server_token({"LIVETIMBRE_SERVER_TOKEN": "t"}) == "t"
    assert server_token({}) is None


def test_the_option_wins_over_the_patch_over_the_environment() -> None:
    env = {"LIVETIMBRE_RENDER_SERVER": "http://env:1"}
    assert choose_server("https://opt:2/", "http://patch:3", env) == "https://opt:2"
    assert choose_server(None, "http://patch:3", env) == "http://patch:3"
    assert choose_server(None, None, env) == "http://env:1"
    assert choose_server(None, None, {}) is None


@pytest.mark.parametrize(("url", "words"), [
    ("ftp://box", "must start with http:// or https://"),
    ("http://", "names no host"),
    ("http://user:pw@box:8000", "must hold no user or password"),
    ("http://box:8000/?token=x", "must have no query"),
    ("http://box:99999", "is not a URL"),
])
def test_bad_urls_are_refused_naming_where_they_came_from_not_what_they_hold(
        url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        choose_server(None, None, {"LIVETIMBRE_RENDER_SERVER": url})
    text = str(caught.value)
    assert text.startswith("LIVETIMBRE_RENDER_SERVER: the render server's URL") and words in text
    assert "pw" not in text and "token=x" not in text


def test_a_patch_names_its_server_and_a_bad_one_is_refused_by_line_not_echoed(
        genres: GenreRegistry) -> None:
    base = "layers: {a: {}}\nscenes: [{name: one, clips: {a: x}}]\n"
    session = parse_patch("session: {genre: house, render_server: 'http://box:8000/'}\n" + base,
                          "set.yaml", genres)
    assert session.render_server == "http://box:8000"
    assert session_to_patch(session)["session"]["render_server"] == "http://box:8000"
    assert parse_patch("session: {genre: house}\n" + base, "x", genres).render_server is None
    with pytest.raises(PatchError) as caught:
        parse_patch("session:\n  genre: house\n  render_server: 'http://me:pw123@box'\n" + base,
                    "set.yaml", genres)
    text = str(caught.value)
    assert text.startswith("set.yaml:3:18: patch field 'session.render_server': the render "
                           "server's URL must hold no user or password")
    assert "pw123" not in text
