"""A compose run on a render server: the track request sent, its progress followed, the
audio fetched (checked against its SHA-256) and written with its sidecar, as the local
run would write them."""

from __future__ import annotations

__all__ = ["compose_on_server", "local_only_options"]

import argparse
from collections.abc import Callable
from pathlib import Path

from livetimbre.files.write import atomic_path, write_json
from livetimbre.remote.client import RemoteProblem
from livetimbre.remote.models import GenerationStatus, TrackRequest
from livetimbre.remote.service import RenderServer

# Options of `compose` a track request cannot carry: with one, the run stays here.
_LOCAL_ONLY = ("backend_for", "stems", "midi", "png", "director", "soundfont", "samplerate",
               "resume")


def local_only_options(args: argparse.Namespace) -> list[str]:
    """The options given that only a local run honours (as --names)."""
    given = [name for name in _LOCAL_ONLY if getattr(args, name, None)]
    if getattr(args, "qa", "fail") != "fail":
        given.append("qa")
    if getattr(args, "synth", "auto") != "auto":
        given.append("synth")
    return ["--" + name.replace("_", "-") for name in given]


def track_request(args: argparse.Namespace, fmt: str) -> TrackRequest:
    """The request a `compose` command line asks for (checked by the model)."""
    backend, _, model = str(args.backend).partition(":")
    return TrackRequest.model_validate({
        "kind": "track", "prompt": args.prompt, "genre": args.genre, "backend": backend,
        "model": model or None, "key": args.key, "meter": args.meter, "seed": args.seed,
        "duration": args.duration, "short": bool(args.short), "format": fmt})


def compose_on_server(server: RenderServer, args: argparse.Namespace, fmt: str,
                      output: Path, say: Callable[[str], None]) -> GenerationStatus:
    """Compose on `server` and write `output` and `output.json`; RemoteProblem (counted
    by its breaker) when the server cannot. Blocking."""
    client = server.client
    shown = [-1]

    def progress(status: GenerationStatus) -> None:
        tenth = int(status.progress * 10)
        if tenth != shown[0]:
            shown[0] = tenth
            eta = f", ETA {status.eta_seconds:.0f} s" if status.eta_seconds is not None else ""
            say(f"server: {status.state} {status.progress:.0%}"
                f"{f' ({status.stage})' if status.stage else ''}{eta}")

    try:
        status = client.submit(track_request(args, fmt))
        progress(status)
        status = client.follow(status, progress)
        audio = client.audio(status.job_id)
        artifact = client.artifact(status.job_id)
    except RemoteProblem as problem:
        server.failed(problem)
        raise
    server.succeeded()
    with atomic_path(output) as tmp:
        tmp.write_bytes(audio)
    write_json(output.with_name(output.name + ".json"),
               {**artifact.sidecar, "server": server.url, "job_id": status.job_id})
    return status
