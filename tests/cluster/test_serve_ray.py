"""`livetimbre serve --ray` on a real local Ray cluster: the same API, byte-identical
clips, and a render whose replica is killed mid-way is sent again and completes."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest

from livetimbre.genres import load_genres
from livetimbre.remote.models import ClipRequest
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.server.clips import clip_plan, render_clip
from tests.cluster.conftest import Cluster, start_cluster, stop_cluster
from tests.cluster.serving import (
    TINY_ID,
    replica_pids,
    start_ray_server,
    stop_ray_server,
    tiny_hub,
)
from tests.server.conftest import Served, wait_done

CLIP = {"kind": "clip", "prompt": "warm analog pad", "genre": "synthwave", "bars": 2,
        "seed": 5}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """The test cluster; its workers find the tiny MusicGen by id when torch is here."""
    env = {}
    if find_spec("torch") is not None and find_spec("transformers") is not None:
        env = {"HF_HUB_CACHE": str(tiny_hub(tmp_path_factory.mktemp("hub"))),
               "LIVETIMBRE_DEVICE": "cpu", "LIVETIMBRE_MUSICGEN_FALLBACK": "0"}
    temp = Path(tempfile.mkdtemp(prefix="lt-ray-"))
    running = start_cluster(temp, 2, env)
    try:
        yield running
    finally:
        stop_cluster(temp, running.address)


@pytest.fixture(scope="module")
def ray_server(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Served]:
    served = start_ray_server(cluster, tmp_path_factory.mktemp("ray-home"))
    try:
        yield served
    finally:
        stop_ray_server(served)


def _local_render(home: Path, request: dict[str, object]) -> bytes:
    genres = load_genres(home / "genres")
    plan = clip_plan(ClipRequest.model_validate(request), genres, 48000)
    audio, _sidecar = render_clip(plan, Backends(BackendContext(48000, genres, "auto", None,
                                                                home)), None)
    return audio


@pytest.mark.timeout(300)
def test_the_same_api_renders_byte_identical_clips(ray_server: Served) -> None:
    with ray_server.client() as client:
        assert client.get("/health/live").json() == {"status": "live"}
        answer = client.post("/generate", json=CLIP)
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["job_id"]
        assert wait_done(client, job_id)["state"] == "done"
        again = client.post("/generate", json=CLIP)  # the same job: not rendered again
        assert again.status_code == 200 and again.json()["state"] == "done"
        audio = client.get(f"/artifact/{job_id}")
        assert audio.status_code == 200
        sidecar = client.get(f"/artifact/{job_id}/sidecar").json()
        assert sidecar["audio"]["sha256"] == audio.headers["etag"].strip('"')
        assert client.get("/status/" + "0" * 64).status_code == 404
    assert audio.content == _local_render(ray_server.home, CLIP)


@pytest.mark.timeout(300)
def test_a_replica_killed_mid_render_is_retried(ray_server: Served) -> None:
    long_clip = {**CLIP, "bars": 32, "seed": 11, "prompt": "driving arpeggio lead"}
    pids = replica_pids("procedural")
    assert len(pids) == 1, pids
    with ray_server.client() as client:
        job_id = client.post("/generate", json=long_clip).json()["job_id"]
        deadline = time.monotonic() + 120
        while client.get(f"/status/{job_id}").json()["stage"] != "rendering":
            assert time.monotonic() < deadline  # the replica has it: it said so
            time.sleep(0.02)
        os.kill(pids[0], signal.SIGKILL)
        status = wait_done(client, job_id)
        assert status["state"] == "done", status
        retries = [float(line.split()[-1]) for line in client.get("/metrics").text.splitlines()
                   if line.startswith("livetimbre_server_retries_total")]
        assert retries and retries[0] >= 1, retries
        audio = client.get(f"/artifact/{job_id}").content
    assert replica_pids("procedural") not in ([], pids)  # Serve started a new replica
    assert audio == _local_render(ray_server.home, long_clip)


@pytest.mark.timeout(300)
def test_musicgen_requests_go_to_the_musicgen_replica_by_model(ray_server: Served) -> None:
    pytest.importorskip("torch", reason="the musicgen extra is not installed")
    body = {**CLIP, "bars": 1, "tempo": 120, "backend": "musicgen", "model": TINY_ID}
    with ray_server.client() as client:
        job_id = client.post("/generate", json=body).json()["job_id"]
        assert wait_done(client, job_id)["state"] == "done"
        side = client.get(f"/artifact/{job_id}/sidecar").json()["sidecar"]
    assert side["backend"]["spec"] == f"musicgen:{TINY_ID}"
    assert side["info"]["model"] == TINY_ID and side["info"]["fallback"] is False
    assert len(replica_pids("musicgen")) == 1  # scaled up from none for the request


def test_kuberays_builder_needs_a_token_and_reads_the_config(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.errors import ConfigError
    from livetimbre.server.ray_serving import app_builder

    monkeypatch.setenv("LIVETIMBRE_HOME", str(tmp_path))
    monkeypatch.delenv("LIVETIMBRE_SERVER_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="needs a bearer token"):
        app_builder({})
    monkeypatch.setenv("LIVETIMBRE_SERVER_TOKEN", "t" * 32)
    (tmp_path / "ray.yaml").write_text("procedural: {num_replicas: 3}\n")
    app = app_builder({"config": str(tmp_path / "ray.yaml")})
    assert type(app).__name__ == "Application"
    (tmp_path / "ray.yaml").write_text("procedural: {num_replicas: many}\n")
    with pytest.raises(ConfigError, match=r"procedural\.num_replicas"):
        app_builder({"config": str(tmp_path / "ray.yaml")})
