"""Which render server applies: `--render-server URL`, else the patch's
`session.render_server`, else `LIVETIMBRE_RENDER_SERVER`; none: local workers only."""

from __future__ import annotations

__all__ = ["URL_ENV", "choose_server"]

import os
from collections.abc import Mapping

from livetimbre.errors import ConfigError
from livetimbre.system.urls import check_server_url

URL_ENV = "LIVETIMBRE_RENDER_SERVER"


def choose_server(option: str | None, patch: str | None,
                  env: Mapping[str, str] = os.environ) -> str | None:
    """The checked URL of the render server to use, or None; ConfigError naming where a
    bad URL came from."""
    for value, where in ((option, "--render-server"), (patch, "session.render_server"),
                         (env.get(URL_ENV) or None, URL_ENV)):
        if value is not None:
            try:
                return check_server_url(value, where)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
    return None
