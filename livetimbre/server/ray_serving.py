"""`livetimbre serve --ray [ADDRESS]`: the same FastAPI app (server.app) as a Ray Serve
deployment (`serve.ingress`). One ingress replica holds the job board (so the same
request is the same job, rendered once) and sends renders to the `procedural` and
`musicgen` deployments (server.ray_renderers) through their handles."""

from __future__ import annotations

__all__ = ["APP_NAME", "app_builder", "build_app", "serve_ray"]

import os
import signal
import sys
import threading
from dataclasses import replace
from functools import partial
from typing import Any, cast

import ray
from ray import serve

from livetimbre.server.app import create_app
from livetimbre.server.cluster import connect
from livetimbre.server.ray_config import RayConfig
from livetimbre.server.ray_pool import RayPool
from livetimbre.server.ray_renderers import MusicGenRenderer, ProceduralRenderer
from livetimbre.server.safety import App
from livetimbre.server.state import ServerOptions
from livetimbre.server.worker import WorkerSetup

APP_NAME = "livetimbre"


@serve.deployment(name="ingress", num_replicas=1, max_ongoing_requests=1000)
@serve.ingress()
class Ingress:
    """The worker API; its board is this replica's (there is one)."""

    def __init__(self, options: ServerOptions, config: RayConfig, procedural: Any,
                 musicgen: Any) -> None:
        pool = partial(RayPool, config=config, procedural=procedural, musicgen=musicgen)
        self._app = create_app(replace(options, pool=pool))

    def __serve_build_asgi_app__(self) -> App:
        return self._app


def build_app(options: ServerOptions, config: RayConfig) -> Any:
    """The Serve application: the ingress bound to the two render deployments."""
    settings = options.settings
    setup = WorkerSetup(settings.sample_rate, settings.home, settings.store_dir,
                        options.synth, settings.soundfont)
    procedural = cast(Any, ProceduralRenderer).options(**config.procedural.options()).bind(setup)
    musicgen = cast(Any, MusicGenRenderer).options(**config.musicgen.options()).bind(
        setup, config.musicgen.max_models_per_replica)
    return cast(Any, Ingress).options(ray_actor_options={"num_cpus": config.ingress_cpus}).bind(
        options, config, procedural, musicgen)


def app_builder(args: dict[str, str]) -> Any:
    """The application for `serve run` and KubeRay's RayService (`import_path:
    livetimbre.server.ray_serving:app_builder`): settings from the environment
    (LIVETIMBRE_HOME, LIVETIMBRE_SERVER_TOKEN: required, the proxy listens off
    loopback), the deployments from `args["config"]` (a file) or the shipped default."""
    from pathlib import Path

    from livetimbre.config import Settings
    from livetimbre.server.ray_config import load_ray_config
    from livetimbre.server.safety import TOKEN_VAR, check_bind

    host, token = "0.0.0.0", os.environ.get(TOKEN_VAR) or None
    check_bind(host, token)
    config = load_ray_config(Path(args["config"]) if args.get("config") else None)
    options = ServerOptions(settings=Settings.from_env(), host=host, token=token,
                            synth=args.get("synth", "auto"))
    return build_app(options, config)


def _say(text: str) -> None:
    print(f"livetimbre: {text}", file=sys.stderr, flush=True)


def serve_ray(options: ServerOptions, config: RayConfig, address: str | None) -> None:
    """Deploy on the cluster at `address` (None: the one RAY_ADDRESS or a running local
    cluster names, else a new local one), serve until SIGINT or SIGTERM, then take the
    application down."""
    connect(address)
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):  # after Ray's own handlers
        signal.signal(number, lambda *_: stop.set())
    try:
        serve.start(http_options={"host": options.host, "port": options.port})
        serve.run(build_app(options, config), name=APP_NAME, route_prefix="/",
                  blocking=False)
        host, port = _listening(options)
        shown = f"[{host}]" if ":" in host else host
        if (host, port) != (options.host, options.port):
            _say("Ray Serve was running on this cluster already: its proxy keeps its own "
                 "address (--host and --port are not applied)")
        _say(f"serving on http://{shown}:{port} (Ray Serve)")
        stop.wait()
        serve.delete(APP_NAME)
        if not serve.status().applications:  # Serve was ours alone: its proxy goes too
            cast(Any, serve).shutdown()
    finally:
        ray.shutdown()


def _listening(options: ServerOptions) -> tuple[str, int]:
    """Where Serve's proxy listens (it may have been started before, elsewhere)."""
    try:
        from ray.serve.context import _get_global_client

        http = cast(Any, _get_global_client()).http_config
        return str(http.host), int(http.port)
    except (ImportError, AttributeError, RuntimeError):
        return options.host, options.port
