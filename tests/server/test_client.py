"""The client side, through a real server: `render` and `compose` with --render-server
give the bytes a local run gives; a refused token and audio that fails its checksum
send the clip to local rendering, said so in the sidecar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from livetimbre.cli import main
from livetimbre.genres import GenreRegistry
from livetimbre.patch import load_patch
from livetimbre.remote.client import ServerClient
from livetimbre.remote.service import RenderServer
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.offline import render_session
from tests.server.conftest import Served, start_server, stop_server

pytestmark = pytest.mark.timeout(300)

PATCH = """\
session: {genre: synthwave, tempo: 104, key: A minor, seed: 7, bars: 1}
layers:
  bass: {}
  pads: {}
scenes:
  - name: intro
    clips: {bass: "pulsing octave bass", pads: "warm analog pad"}
  - name: drive
    clips: {bass: "driving bass"}
"""
TOKEN = "a-token-of-thirty-two-characters"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A home of its own; the server's soundfont (the system's), no token or server."""
    monkeypatch.setenv("LIVETIMBRE_HOME", str(tmp_path / "home"))
    for name in ("LIVETIMBRE_SOUNDFONT", "LIVETIMBRE_SERVER_TOKEN", "LIVETIMBRE_RENDER_SERVER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server that wants TOKEN."""
    served = start_server(tmp_path_factory.mktemp("guarded-home"), "--burst", "50",
                          token=TOKEN)
    try:
        yield served
    finally:
        stop_server(served)


def _render(tmp_path: Path, name: str, *extra: str) -> tuple[bytes, dict[str, object]]:
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    out = tmp_path / f"{name}.wav"
    assert main(["render", str(patch), "-o", str(out), "--no-cache", "-q", *extra]) == 0
    return out.read_bytes(), json.loads(out.with_name(out.name + ".json").read_text())


def _plans(sidecar: dict[str, object]) -> list[dict[str, object]]:
    plans = sidecar["plans"]
    assert isinstance(plans, list)
    return plans


def test_render_through_the_server_is_the_local_render_byte_for_byte(
        server: Served, tmp_path: Path) -> None:
    local, local_side = _render(tmp_path, "local")
    served, served_side = _render(tmp_path, "served", "--render-server", server.url + "/")
    assert served == local
    assert [p.get("server") for p in _plans(served_side)] == [server.url] * 3
    assert all("server" not in p for p in _plans(local_side))
    assert [p["recipe_hash"] for p in _plans(served_side)] == \
        [p["recipe_hash"] for p in _plans(local_side)]


def test_the_patch_setting_and_the_environment_choose_the_server_the_option_wins(
        server: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH.replace("bars: 1}", f"bars: 1, render_server: '{server.url}'}}"))
    out = tmp_path / "patch.wav"
    monkeypatch.setenv("LIVETIMBRE_RENDER_SERVER", "http://127.0.0.1:1")  # nobody there
    assert main(["render", str(patch), "-o", str(out), "--no-cache", "-q"]) == 0
    plans = _plans(json.loads(out.with_name("patch.wav.json").read_text()))
    assert [p.get("server") for p in plans] == [server.url] * 3  # the patch over the env
    assert main(["render", str(patch), "-o", str(out), "--no-cache", "-q",
                 "--render-server", "http://127.0.0.1:1"]) == 0
    plans = _plans(json.loads(out.with_name("patch.wav.json").read_text()))
    assert all(str(p.get("server_fallback", "")).startswith("rendered locally: server "
                                                             "unreachable") for p in plans)


def test_compose_through_the_server_writes_the_local_track(server: Served,
                                                           tmp_path: Path) -> None:
    args = ["compose", "calm lofi piano at night", "--duration", "10", "--short", "--seed",
            "11", "-q"]
    assert main([*args, "-o", str(tmp_path / "local.wav")]) == 0
    assert main([*args, "-o", str(tmp_path / "served.wav"), "--render-server", server.url]) == 0
    assert (tmp_path / "served.wav").read_bytes() == (tmp_path / "local.wav").read_bytes()
    sidecar = json.loads((tmp_path / "served.wav.json").read_text())
    assert sidecar["server"] == server.url and len(sidecar["job_id"]) == 64


def test_compose_falls_back_to_local_when_the_server_is_down(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "down.wav"
    assert main(["compose", "calm lofi piano at night", "--duration", "10", "--short",
                 "--seed", "11", "-o", str(out), "--render-server", "http://127.0.0.1:1"]) == 0
    assert out.stat().st_size > 0
    err = capsys.readouterr().err
    assert "server unreachable" in err and "composing here instead" in err


def test_a_refused_token_is_reported_and_the_clips_render_locally(
        guarded: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    local, _ = _render(tmp_path, "local")
    monkeypatch.setenv("LIVETIMBRE_SERVER_TOKEN", "not-the-token-at-all-not-at-all")
    patch = tmp_path / "set.yaml"
    out = tmp_path / "refused.wav"
    assert main(["render", str(patch), "-o", str(out), "--no-cache",
                 "--render-server", guarded.url]) == 0
    err = capsys.readouterr().err
    assert "the server refused the token (401)" in err
    assert "not-the-token" not in err
    assert out.read_bytes() == local
    sidecar_text = out.with_name("refused.wav.json").read_text()
    assert "not-the-token" not in sidecar_text
    notes = [p.get("server_fallback") for p in _plans(json.loads(sidecar_text))]
    assert notes[0] == "rendered locally: the server refused the token (401): set " \
                       "LIVETIMBRE_SERVER_TOKEN to the token it was started with"
    assert all(str(n).endswith("(circuit open)") for n in notes[1:])  # not asked again
    monkeypatch.setenv("LIVETIMBRE_SERVER_TOKEN", TOKEN)  # the right one: served
    served, side = _render(tmp_path, "served", "--render-server", guarded.url)
    assert served == local and all(p.get("server") == guarded.url for p in _plans(side))


class _Tampering(httpx.BaseTransport):
    """Passes everything to the real server; flips one byte of each artifact's audio."""

    def __init__(self) -> None:
        self._real = httpx.HTTPTransport()
        self.tampered = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._real.handle_request(request)
        path = request.url.path
        if path.startswith("/artifact/") and not path.endswith("/sidecar"):
            body = bytearray(response.read())
            body[-1] ^= 0x01
            self.tampered += 1
            return httpx.Response(response.status_code, headers=response.headers,
                                  content=bytes(body))
        return response


def test_audio_that_fails_its_checksum_is_refused_and_rendered_locally(
        server: Served, tmp_path: Path, genres: GenreRegistry) -> None:
    patch = tmp_path / "set.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    session = load_patch(patch, genres)
    backends = Backends(BackendContext(48000, genres))
    transport = _Tampering()
    remote = RenderServer(ServerClient(server.url, transport=transport), cooldown=600)
    notes: list[str] = []
    try:
        result = render_session(session, backends, scenes=[0], server=remote,
                                progress=notes.append)
    finally:
        remote.close()
    local = render_session(session, backends, scenes=[0])
    assert transport.tampered == 1  # the first clip; the breaker kept the second here
    assert result.mix.tobytes() == local.mix.tobytes()
    infos = [clip.info for clip in result.clips.values()]
    assert infos[0].server_fallback == ("rendered locally: the server's audio does not "
                                        "match its SHA-256 (ETag): refused")
    assert all(info.server is None for info in infos)
    assert remote.breaker.is_open
