"""Running the app under uvicorn: the bind checked first (a token off loopback), the
address it really listens on said once it does (`--port 0` picks a free port)."""

from __future__ import annotations

__all__ = ["serve"]

import socket
import sys
from collections.abc import Callable

import uvicorn

from livetimbre.server.app import create_app
from livetimbre.server.safety import check_bind
from livetimbre.server.state import ServerOptions


class _Server(uvicorn.Server):
    """uvicorn's server, saying where it listens once it does."""

    def __init__(self, config: uvicorn.Config, say: Callable[[str], None]) -> None:
        super().__init__(config)
        self._say = say

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        for server in self.servers:
            for sock in server.sockets:
                host, port = sock.getsockname()[:2]
                shown = f"[{host}]" if ":" in host else host
                self._say(f"serving on http://{shown}:{port}")


def _say(text: str) -> None:
    print(f"livetimbre: {text}", file=sys.stderr, flush=True)


def serve(options: ServerOptions, log_level: str = "info") -> None:
    """Serve until SIGINT or SIGTERM; ConfigError before anything starts if the bind is
    unsafe."""
    check_bind(options.host, options.token)
    config = uvicorn.Config(create_app(options), host=options.host, port=options.port,
                            log_level=log_level, proxy_headers=False, server_header=False,
                            timeout_graceful_shutdown=10)
    _Server(config, _say).run()
