"""`livetimbre serve`: Timbre's worker API (livetimbre.server), FastAPI under uvicorn.
Loopback by default; another address needs `LIVETIMBRE_SERVER_TOKEN`."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from livetimbre.cli.common import Subparsers
from livetimbre.errors import ConfigError

if TYPE_CHECKING:
    from livetimbre.server.state import ServerOptions


def _positive(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a whole number from 1 to 64")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a port (0 to 65535; 0: any "
                                         "free port)")
    return int(text)


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100_000:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a rate above 0 (requests a "
                                         "minute)")
    return value


def add_parser(commands: Subparsers) -> argparse.ArgumentParser:
    """`serve` and its options."""
    serve = commands.add_parser(
        "serve", help="serve the worker API (generate, status, artifact, health, metrics)",
        description="Render clips and tracks for clients over HTTP: POST /generate, "
                    "GET /status/ID, /events/ID, /artifact/ID, /health/live, /health/ready, "
                    "/metrics. Loopback only unless $LIVETIMBRE_SERVER_TOKEN is set (clients "
                    "then send 'Authorization: Bearer TOKEN').")
    add = serve.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    add("--port", type=_port, default=8000, help="port (default 8000; 0: any free port)")
    add("--workers", type=_positive, default=1, metavar="N",
        help="render worker processes (default 1)")
    add("--rate", type=_rate, default=30.0, metavar="PER_MINUTE",
        help="generate requests a client may send a minute, after a burst of --burst "
             "(default 30)")
    add("--burst", type=_positive, default=10, metavar="N",
        help="generate requests a client may send at once (default 10)")
    add("--cors-origin", action="append", default=[], metavar="ORIGIN",
        help="let web pages from ORIGIN call the API (repeatable; default: none)")
    add("--synth", choices=("auto", "fluidsynth", "basic"), default="auto",
        help="sound source of the procedural backend")
    add("--soundfont", type=Path, metavar="SF2", help="SoundFont to use")
    add("--samplerate", type=int, metavar="HZ", help="render sample rate")
    add("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
        help="run as a Ray Serve deployment on the Ray cluster at ADDRESS (without it: "
             "$RAY_ADDRESS, a cluster running here, else a new local one); needs the "
             "cluster extra")
    add("--ray-config", type=Path, metavar="FILE",
        help="deployments and autoscaling for --ray (YAML; default: the one shipped, "
             "see the deployment docs)")
    add("--log-level", choices=("critical", "error", "warning", "info", "debug"),
        default="info", help="uvicorn's log level (default info)")
    return serve


def run(args: argparse.Namespace) -> int:
    """Check the bind, then serve until SIGINT or SIGTERM."""
    from livetimbre.config import Settings
    from livetimbre.server.safety import TOKEN_VAR, check_bind

    token = os.environ.get(TOKEN_VAR) or None
    check_bind(args.host, token)  # before anything heavy loads
    try:  # the server extra
        from livetimbre.server.serving import serve
        from livetimbre.server.state import ServerOptions
    except ImportError as exc:
        raise ConfigError(f"livetimbre serve needs the server extra ({exc.name} is missing): "
                          "pip install 'livetimbre[server]'.") from None
    settings = Settings.from_env(sample_rate=args.samplerate, soundfont=args.soundfont)
    options = ServerOptions(settings=settings, host=args.host, port=args.port,
                            workers=args.workers, token=token, rate_per_minute=args.rate,
                            burst=args.burst, cors_origins=tuple(args.cors_origin),
                            synth=args.synth)
    if args.ray is not None or args.ray_config is not None:
        return _run_ray(args, options)
    serve(options, log_level=args.log_level)
    return 0


def _run_ray(args: argparse.Namespace, options: ServerOptions) -> int:
    from livetimbre.server.ray_config import load_ray_config

    if args.ray is None:
        raise ConfigError("--ray-config is for --ray: give --ray [ADDRESS] too.")
    if args.port == 0:
        raise ConfigError("--ray needs a port of its own (Ray Serve's proxy cannot pick "
                          "one): give --port PORT.")
    config = load_ray_config(args.ray_config)  # before the cluster is asked for anything
    try:
        from livetimbre.server.ray_serving import serve_ray
    except ImportError as exc:
        raise ConfigError(f"livetimbre serve --ray needs the cluster extra ({exc.name} is "
                          "missing): pip install 'livetimbre[cluster]'.") from None
    serve_ray(options, config, args.ray or None)
    return 0
