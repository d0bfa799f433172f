"""Render server figures: what the server adds to a clip over rendering it here, clips
per second with 1 and 2 Ray Serve replicas, /status latency while a render runs (and
the render's time with and without those polls), and a MusicGen request end to end on
the tiny random-weight test model.

    python bench/server_bench.py [--clips 6] [--polls 1000] [--no-ray] [--no-musicgen]

Prints figures; asserts nothing about time. Uses a home, a server and (unless --no-ray)
a 2-CPU local Ray cluster of its own, all removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

import httpx

CLIP = {"kind": "clip", "prompt": "warm analog pad", "genre": "synthwave", "bars": 2}
LONG = {**CLIP, "bars": 64, "prompt": "driving arpeggio lead"}
RAY_CONFIG = """\
ingress_cpus: 0
senders: 4
procedural: {{num_cpus: 1, num_replicas: {replicas}}}
musicgen: {{num_cpus: 0, num_gpus: 0, num_replicas: 1, max_models_per_replica: 1}}
"""
_OPEN = ("--burst", "64", "--rate", "100000")  # the bench is one client in a hurry


def _wait(client: httpx.Client, job_id: str, pause: float = 0.02) -> dict[str, object]:
    while True:
        status: dict[str, object] = client.get(f"/status/{job_id}").json()
        if status["state"] in ("done", "failed"):
            if status["state"] == "failed":
                raise SystemExit(f"job failed: {status.get('error')}")
            return status
        time.sleep(pause)


def _request(client: httpx.Client, body: dict[str, object]) -> float:
    """POST, wait, download: seconds end to end."""
    started = time.perf_counter()
    answer = client.post("/generate", json=body)
    answer.raise_for_status()
    job_id = answer.json()["job_id"]
    _wait(client, job_id)
    client.get(f"/artifact/{job_id}").raise_for_status()
    return time.perf_counter() - started


def _overhead(client: httpx.Client, home: Path, clips: int) -> None:
    """The same clips rendered here and through the server, in turns (a busy machine's
    swings fall on both alike); medians."""
    from livetimbre.genres import load_genres
    from livetimbre.remote.models import ClipRequest
    from livetimbre.render.backends import BackendContext, Backends
    from livetimbre.server.clips import clip_plan, render_clip

    genres = load_genres(home / "genres")
    backends = Backends(BackendContext(48000, genres, "auto", None, home))

    def local(seed: int) -> float:
        started = time.perf_counter()
        plan = clip_plan(ClipRequest.model_validate({**CLIP, "seed": seed}), genres, 48000)
        render_clip(plan, backends, None)
        return time.perf_counter() - started

    local(999)  # the synth and the director load before the clock starts
    here, served = [], []
    for seed in range(1, clips + 1):
        here.append(local(seed))
        served.append(_request(client, {**CLIP, "seed": seed}))
    lm, sm = statistics.median(here), statistics.median(served)
    extra = statistics.median(s - h for s, h in zip(served, here, strict=True))
    print(f"clip (2 bars) here        median {lm * 1000:7.1f} ms over {clips} clips")
    print(f"clip (2 bars) served      median {sm * 1000:7.1f} ms (POST, polls every 20 ms, "
          "download)")
    print(f"server overhead per clip  median {extra * 1000:7.1f} ms (served minus here, "
          "clip by clip)")


def _render_seconds(client: httpx.Client) -> float:
    """The workers' total clip render seconds so far (from /metrics)."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith('livetimbre_server_render_seconds_sum{kind="clip"}'):
            return float(line.split()[-1])
    return 0.0


def _polled(client: httpx.Client, polls: int) -> None:
    before = _render_seconds(client)
    _request(client, {**LONG, "seed": 100})  # polled every 20 ms
    quiet = _render_seconds(client) - before
    job_id = client.post("/generate", json={**LONG, "seed": 101}).json()["job_id"]
    latencies, during = [], 0
    for _ in range(polls):
        began = time.perf_counter()
        state = client.get(f"/status/{job_id}").json()["state"]
        latencies.append(time.perf_counter() - began)
        during += state in ("queued", "running")
    _wait(client, job_id)
    loaded = _render_seconds(client) - before - quiet
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"/status under load         p50 {p50:.2f} ms, p99 {p99:.2f} ms ({polls} polls "
          f"back to back, {during} of them while a 64-bar clip rendered)")
    print(f"64-bar clip render         {quiet:.2f} s polled every 20 ms, {loaded:.2f} s "
          f"under the {polls} polls")


def _musicgen(client: httpx.Client, label: str) -> None:
    from tests.cluster.serving import TINY_ID

    body = {**CLIP, "bars": 1, "backend": "musicgen", "model": TINY_ID, "tempo": 120}
    first = _request(client, {**body, "seed": 1})
    warm = _request(client, {**body, "seed": 2})
    print(f"MusicGen tiny, 1 bar ({label})  {first:.2f} s first (loads the model), "
          f"{warm:.2f} s loaded")


def _ray(root: Path, clips: int, musicgen: bool) -> None:
    from tests.cluster.conftest import start_cluster, stop_cluster
    from tests.cluster.serving import start_ray_server, stop_ray_server

    temp = Path(tempfile.mkdtemp(prefix="lt-ray-"))
    extra = {k: os.environ[k] for k in ("HF_HUB_CACHE", "LIVETIMBRE_DEVICE",
                                        "LIVETIMBRE_MUSICGEN_FALLBACK") if k in os.environ}
    cluster = start_cluster(temp, 2, extra)
    try:
        for replicas in (1, 2):
            served = start_ray_server(cluster, root / f"ray-home-{replicas}",
                                      RAY_CONFIG.format(replicas=replicas), *_OPEN)
            try:
                with served.client() as client:
                    _request(client, {**CLIP, "seed": 999})  # warm: the synth is loaded
                    started = time.perf_counter()
                    ids = [client.post("/generate", json={**CLIP, "seed": s}).json()["job_id"]
                           for s in range(1, clips + 1)]
                    for job_id in ids:
                        _wait(client, job_id)
                    took = time.perf_counter() - started
                    print(f"Ray Serve, {replicas} replica{'s' if replicas > 1 else ' '}      "
                          f"{clips / took:.2f} clips/s ({clips} 2-bar clips in {took:.1f} s)")
                    if musicgen and replicas == 2:
                        _musicgen(client, "Ray")
            finally:
                stop_ray_server(served)
    finally:
        stop_cluster(temp, cluster.address)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--polls", type=int, default=1000)
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-musicgen", action="store_true")
    args = parser.parse_args()
    from tests.server.conftest import start_server, stop_server

    root = Path(tempfile.mkdtemp(prefix="livetimbre-server-bench-"))
    try:
        musicgen = not args.no_musicgen
        if musicgen:
            from tests.cluster.serving import tiny_hub

            os.environ["HF_HUB_CACHE"] = str(tiny_hub(root / "hub"))
            os.environ.setdefault("LIVETIMBRE_DEVICE", "cpu")
            os.environ["LIVETIMBRE_MUSICGEN_FALLBACK"] = "0"  # MusicGen, or a failure
        served = start_server(root / "home", *_OPEN)
        try:
            with served.client() as client:
                _request(client, {**CLIP, "seed": 999})  # the worker's synth is loaded
                _overhead(client, root / "home", args.clips)
                _polled(client, args.polls)
                if musicgen:
                    _musicgen(client, "worker")
        finally:
            stop_server(served)
        if not args.no_ray:
            _ray(root, args.clips, musicgen)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
