"""The worker API end to end, through a real uvicorn server: renders byte-identical to
local ones, one job per request, progress events, metrics, status polls under load."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile
from prometheus_client.parser import text_string_to_metric_families

from livetimbre.cli import main
from livetimbre.genres import GenreRegistry
from livetimbre.patch import load_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from tests.server.conftest import Served, wait_done

pytestmark = pytest.mark.timeout(300)

CLIP = {"kind": "clip", "prompt": "pulsing octave bass", "layer": "bass", "genre": "synthwave",
        "tempo": 104, "key": "A minor", "bars": 2, "seed": 7}
TRACK = {"kind": "track", "prompt": "calm lofi piano at night", "duration": 10,
         "short": True, "seed": 3}


def _generate(client: httpx.Client, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post("/generate", json=body)
    return response.status_code, response.json()


def _local_clip(tmp_path: Path, genres: GenreRegistry) -> np.ndarray:
    """The same clip as a patch with the same values renders it here: loop, then tail."""
    patch = tmp_path / "clip.yaml"
    patch.write_text(
        "session: {genre: synthwave, tempo: 104, key: A minor, seed: 7}\n"
        "layers: {bass: {}}\n"
        "scenes:\n  - name: clip\n    clips: {bass: {prompt: pulsing octave bass, bars: 2}}\n")
    session = load_patch(patch, genres)
    plan = build_clip_plan(session, "bass", 0, genres.get("synthwave"), 48000)
    clip = Backends(BackendContext(48000, genres)).get("procedural").render(plan)
    assert clip.tail is not None
    return np.concatenate([clip.audio, clip.tail])


def test_a_clip_served_is_the_local_render_sample_for_sample(
        server: Served, tmp_path: Path, genres: GenreRegistry) -> None:
    with server.client() as client:
        code, status = _generate(client, CLIP)
        assert code == 202 and status["state"] in ("queued", "running")
        job_id = str(status["job_id"])
        assert wait_done(client, job_id)["state"] == "done"
        audio = client.get(f"/artifact/{job_id}")
        meta = client.get(f"/artifact/{job_id}/sidecar").json()
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    served, rate = soundfile.read(io.BytesIO(audio.content), dtype="float32")
    local = _local_clip(tmp_path, genres)
    assert rate == 48000 and served.dtype == np.float32
    assert served.tobytes() == local.tobytes()
    sidecar = meta["sidecar"]
    assert sidecar["frames"] + sidecar["tail_frames"] == len(local)
    assert sidecar["plan"]["layer"] == "bass" and sidecar["plan"]["tempo"] == 104
    assert sidecar["plan"]["bars"] == 2 and sidecar["part"]["notes"]
    import hashlib
    digest = hashlib.sha256(audio.content).hexdigest()
    assert audio.headers["etag"] == f'"{digest}"' == f'"{meta["audio"]["sha256"]}"'


def test_the_same_request_is_the_same_job_and_is_not_rendered_again(server: Served) -> None:
    with server.client() as client:
        _, first = _generate(client, CLIP)
        wait_done(client, str(first["job_id"]))
        reordered = dict(reversed(list(CLIP.items())))
        code, again = _generate(client, {**reordered, "layer": "bass", "instrument": ""})
        assert code == 200 and again["job_id"] == first["job_id"] and again["state"] == "done"
        etag = client.get(f"/artifact/{first['job_id']}").headers["etag"]
        assert client.get(f"/artifact/{first['job_id']}",
                          headers={"If-None-Match": etag}).status_code == 304
        code, other = _generate(client, {**CLIP, "seed": 8})
        assert other["job_id"] != first["job_id"] and code == 202
        wait_done(client, str(other["job_id"]))
        metrics = client.get("/metrics").text
    counts = _samples(metrics, "livetimbre_server_render_seconds")
    assert counts[("livetimbre_server_render_seconds_count", (("kind", "clip"),))] == 2


def test_a_short_compose_served_is_the_local_compose_byte_for_byte(
        server: Served, tmp_path: Path) -> None:
    local = tmp_path / "local.wav"
    assert main(["compose", str(TRACK["prompt"]), "--short", "--duration", "10", "--seed",
                 "3", "-o", str(local), "-q"]) == 0
    with server.client() as client:
        code, status = _generate(client, TRACK)
        assert code in (200, 202)
        job_id = str(status["job_id"])
        assert wait_done(client, job_id)["state"] == "done"
        audio = client.get(f"/artifact/{job_id}").content
        meta = client.get(f"/artifact/{job_id}/sidecar").json()
    assert audio == local.read_bytes()
    local_sidecar = json.loads(local.with_name("local.wav.json").read_text())
    assert meta["sidecar"]["plan"] == local_sidecar["plan"]
    assert meta["request"] == {**TRACK, "genre": None, "backend": "procedural", "model": None,
                               "key": None, "meter": None, "format": "wav", "lyrics": None}
    assert str(server.home) not in json.dumps(meta)  # nothing of the server's disk


def _events(client: httpx.Client, job_id: str) -> list[dict[str, object]]:
    out = []
    with client.stream("GET", f"/events/{job_id}") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
    return out


def test_progress_arrives_as_server_sent_events(server: Served) -> None:
    with server.client() as client:
        # A longer track ahead keeps the one worker busy: the second one waits its turn.
        _, ahead = _generate(client, {**TRACK, "seed": 11, "duration": 30})
        _, status = _generate(client, {**TRACK, "seed": 4})
        events = _events(client, str(status["job_id"]))
        wait_done(client, str(ahead["job_id"]))
    states = [e["state"] for e in events]
    assert states[0] == "queued" and events[0]["queue_position"] == 1, events[0]
    assert states[-1] == "done" and "running" in states, states
    assert any(e["eta_seconds"] is not None for e in events if e["state"] == "running")
    progress = [float(str(e["progress"])) for e in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    assert any(0 < p < 1 for p in progress), progress
    stages = {str(e["stage"]) for e in events if e["stage"]}
    assert any(s.startswith("sound-design") for s in stages), stages


def _samples(text: str, family: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    for metric in text_string_to_metric_families(text):
        if metric.name == family:
            return {(s.name, tuple(sorted(s.labels.items()))): s.value
                    for s in metric.samples}
    raise AssertionError(f"no metric {family}")


def test_metrics_parse_as_prometheus_text(server: Served) -> None:
    with server.client() as client:
        _, status = _generate(client, {**CLIP, "seed": 12})
        wait_done(client, str(status["job_id"]))
        text = client.get("/metrics").text
    names = {m.name for m in text_string_to_metric_families(text)}
    assert {"livetimbre_server_queue_depth", "livetimbre_server_render_seconds",
            "livetimbre_server_realtime_factor", "livetimbre_server_failures",
            "livetimbre_server_workers_ready", "livetimbre_server_jobs"} <= names
    assert _samples(text, "livetimbre_server_workers_ready")[
        ("livetimbre_server_workers_ready", ())] == 1
    factor = _samples(text, "livetimbre_server_realtime_factor")
    assert factor[("livetimbre_server_realtime_factor_count", (("kind", "clip"),))] >= 1
    jobs = _samples(text, "livetimbre_server_jobs")
    assert jobs[("livetimbre_server_jobs_total", (("kind", "clip"), ("outcome", "queued")))] >= 1


def test_a_thousand_status_polls_while_rendering_break_nothing(
        server: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with server.client() as client:
        _, status = _generate(client, {**TRACK, "seed": 5})
        job_id = str(status["job_id"])
        seen = []
        started = time.perf_counter()
        for _ in range(1000):
            response = client.get(f"/status/{job_id}")
            assert response.status_code == 200
            seen.append(response.json())
        polled = time.perf_counter() - started
        assert [s["job_id"] for s in seen] == [job_id] * 1000
        progress = [s["progress"] for s in seen]
        assert progress == sorted(progress)
        assert any(s["state"] in ("queued", "running") for s in seen)  # polled while it ran
        assert wait_done(client, job_id)["state"] == "done"
        served = client.get(f"/artifact/{job_id}")
        assert served.status_code == 200
        assert client.get("/health/ready").json()["workers"] == 1
    print(f"1000 status polls in {polled:.2f} s ({1000 / polled:.0f}/s) while a track rendered")
    # The track is still the one `livetimbre compose` writes here, byte for byte.
    monkeypatch.setenv("LIVETIMBRE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LIVETIMBRE_SOUNDFONT", raising=False)
    local = tmp_path / "local.wav"
    assert main(["compose", str(TRACK["prompt"]), "--duration", "10", "--short", "--seed", "5",
                 "-o", str(local), "-q"]) == 0
    assert served.content == local.read_bytes()


def test_a_job_not_done_has_no_artifact_yet(server: Served) -> None:
    with server.client() as client:
        _, ahead = _generate(client, {**CLIP, "bars": 16, "seed": 21})
        _, queued = _generate(client, {**CLIP, "seed": 22})
        response = client.get(f"/artifact/{queued['job_id']}")
        if response.status_code != 200:  # unless it was done already (a fast machine)
            assert response.status_code == 409
            assert response.json()["detail"].endswith("its artifact is not there yet.")
        for job in (ahead, queued):
            wait_done(client, str(job["job_id"]))


def test_bad_values_are_refused_naming_them_without_echoing_the_request(
        server: Served) -> None:
    with server.client() as client:
        response = client.post("/generate", json={**CLIP, "tempo": 999})
        assert response.status_code == 422
        assert "Tempo 999" in response.text and "pulsing" not in response.text
        response = client.post("/generate", json={**CLIP, "genre": "no-such-genre"})
        assert response.status_code == 422 and "no-such-genre" in response.text
        assert client.post("/generate", json={"kind": "video", "prompt": "x"}
                           ).status_code == 422
