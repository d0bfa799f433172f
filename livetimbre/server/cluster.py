"""Joining a Ray cluster, for `serve --ray` and `farm`: this shell's LIVETIMBRE_*
settings travel to the cluster's workers (never a key, token or password), usage stats
stay off, and the workers' logs stay on the cluster."""

from __future__ import annotations

__all__ = ["cluster_env", "connect"]

import logging
import os

_SECRET = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def cluster_env() -> dict[str, str]:
    """The LIVETIMBRE_* variables of this shell that the workers get."""
    return {k: v for k, v in os.environ.items()
            if k.startswith("LIVETIMBRE_") and not any(s in k for s in _SECRET)}


def connect(address: str | None) -> None:
    """Join the cluster at `address` (None: the one $RAY_ADDRESS or a cluster running
    here names, else a new local one)."""
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(address=address, runtime_env={"env_vars": cluster_env()},
             logging_level=logging.WARNING, log_to_driver=False)
