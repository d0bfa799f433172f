"""The server's guard against hostile clients: a token off loopback (refused at start
without one), 401 for a wrong token, 413 for a big body, 404 naming nothing for a
path-like job id, 429 past the rate limit, no CORS and no foreign Host by default."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from livetimbre.errors import ConfigError
from livetimbre.server.safety import MAX_BODY, RateLimit, check_bind, is_loopback
from tests.server.conftest import REPO, Served, server_env, start_server, stop_server

pytestmark = pytest.mark.timeout(180)
TOKEN = "s3cret-token-for-the-tests-0123456789"


def _raw(served: Served, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request with `path` sent as it is (no client normalises it)."""
    where = urlsplit(served.url)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "::"])
def test_serving_off_loopback_without_a_token_is_refused_at_start(
        host: str, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "livetimbre.cli", "serve", "--host", host,
                           "--port", "0"], cwd=REPO, env=server_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "LIVETIMBRE_SERVER_TOKEN" in done.stderr and "serving on" not in done.stderr


def test_a_short_token_is_refused_and_a_token_is_never_printed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "livetimbre.cli", "serve", "--port", "0"],
                          cwd=REPO, env=server_env(tmp_path, token="short-secret"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "at least 16" in done.stderr
    assert "short-secret" not in done.stderr + done.stdout


def test_the_bind_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.3.4.5") and not is_loopback("0.0.0.0")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(ConfigError, match="needs a bearer token"):
        check_bind("example.org", None)


def test_the_rate_limit_is_a_bucket_per_client() -> None:
    limit = RateLimit(per_minute=60, burst=2)
    assert limit.allow("a", now=0.0) == 0 and limit.allow("a", now=0.0) == 0
    assert limit.allow("a", now=0.0) == pytest.approx(1.0)
    assert limit.allow("b", now=0.0) == 0  # another client has its own
    assert limit.allow("a", now=1.0) == 0  # one more a second


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server asking for a token, allowing two generate requests at once, and web pages
    from https://app.example."""
    served = start_server(tmp_path_factory.mktemp("guarded-home"), "--burst", "2",
                          "--rate", "1", "--cors-origin", "https://app.example", token=TOKEN)
    try:
        yield served
    finally:
        stop_server(served)


def test_a_wrong_or_missing_token_is_401_and_probes_need_none(guarded: Served) -> None:
    for client in (guarded.client(), guarded.client("not-the-token-0123456789")):
        with client:
            for path in ("/status/" + "0" * 64, "/metrics", "/openapi.json", "/nowhere"):
                response = client.get(path)
                assert response.status_code == 401, path
                assert response.headers["www-authenticate"] == "Bearer"
                assert TOKEN not in response.text
            assert client.post("/generate", json={"kind": "clip"}).status_code == 401
            assert client.get("/health/live").status_code == 200
            assert client.get("/health/ready").status_code == 200
    with guarded.client(TOKEN) as client:
        assert client.get("/status/" + "0" * 64).status_code == 404
        assert client.get("/metrics").status_code == 200
    assert not any(TOKEN in line for line in guarded.lines)


def test_generate_past_the_rate_limit_is_429(guarded: Served) -> None:
    with guarded.client(TOKEN) as client:
        codes = [client.post("/generate", json={"kind": "clip"}).status_code
                 for _ in range(4)]
        assert codes[:2] == [422, 422] and codes[2:] == [429, 429]
        response = client.post("/generate", json={"kind": "clip"})
        assert int(response.headers["retry-after"]) >= 1
        assert client.get("/health/live").status_code == 200  # only generate is limited


def test_a_ten_megabyte_body_is_413(server: Served) -> None:
    body = b'{"kind": "clip", "prompt": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    status, answer = _raw(server, "POST", "/generate", body,
                          {"Content-Type": "application/json"})
    assert status == 413 and str(MAX_BODY).encode() in answer
    status, _ = _raw(server, "GET", "/health/live")
    assert status == 200


@pytest.mark.parametrize("path", [
    "/status/..%2F..%2F..%2Fetc%2Fpasswd", "/artifact/..%2Fstore%2Fstore.db",
    "/artifact/../../../etc/passwd", "/events/%2e%2e", "/status/" + "A" * 64,
    "/artifact/" + "0" * 63 + "/", "/status/" + "0" * 64 + "%00", "/artifact/.." + "0" * 62,
    "/status/" + "0" * 64,
])
def test_a_path_like_job_id_is_404_naming_nothing_on_disk(server: Served, path: str) -> None:
    status, answer = _raw(server, "GET", path)
    assert status == 404
    text = answer.decode()
    assert str(server.home) not in text and "store" not in text and "passwd" not in text


def test_no_cors_and_no_foreign_host_by_default(server: Served) -> None:
    with server.client() as client:
        response = client.get("/health/live", headers={"Origin": "https://example.org"})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options("/generate", headers={
            "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers
        rebound = client.get("/health/live", headers={"Host": "evil.example:8000"})
        assert rebound.status_code == 421


def test_cors_when_asked_for_answers_that_origin_only(guarded: Served) -> None:
    with guarded.client() as client:  # a preflight carries no token
        asked = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
        preflight = client.options("/generate", headers=asked)
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        other = client.options("/generate", headers={**asked, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        assert client.get("/metrics", headers={"Origin": "https://app.example"}
                          ).status_code == 401
    with guarded.client(TOKEN) as client:
        response = client.get("/health/live", headers={"Origin": "https://app.example"})
        assert response.headers["access-control-allow-origin"] == "https://app.example"
