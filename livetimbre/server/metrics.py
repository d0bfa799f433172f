"""The server's Prometheus metrics (prometheus-client), in a registry of its own."""

from __future__ import annotations

__all__ = ["Metrics"]

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_SECONDS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800)
_FACTORS = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20)


class Metrics:
    """Queue depth, running jobs, workers up, render seconds, real-time factor (render
    seconds per second of audio), jobs by outcome, failures and refusals by reason."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.queue_depth = Gauge("livetimbre_server_queue_depth", "Jobs waiting for a worker",
                                 registry=r)
        self.running = Gauge("livetimbre_server_jobs_running", "Jobs being rendered",
                             registry=r)
        self.workers_ready = Gauge("livetimbre_server_workers_ready",
                                   "Worker processes ready for a job", registry=r)
        self.render_seconds = Histogram(
            "livetimbre_server_render_seconds", "Wall-clock seconds a render took",
            ["kind"], buckets=_SECONDS, registry=r)
        self.realtime_factor = Histogram(
            "livetimbre_server_realtime_factor",
            "Render seconds per second of audio (below 1: faster than real time)",
            ["kind"], buckets=_FACTORS, registry=r)
        self.jobs = Counter("livetimbre_server_jobs", "Generate requests by outcome "
                            "(queued, known: queued, running or done already; stored: "
                            "found in the artifact store)", ["kind", "outcome"], registry=r)
        self.failures = Counter("livetimbre_server_failures", "Jobs that failed, by reason "
                                "(error, qa, bug, crash)", ["reason"], registry=r)
        self.retries = Counter("livetimbre_server_retries", "Renders asked again after "
                               "their Ray replica stopped (serve --ray)", registry=r)
        self.refused = Counter("livetimbre_server_refused", "Requests refused, by reason "
                               "(unauthorized, too_large, rate_limited, bad_host, "
                               "queue_full)", ["reason"], registry=r)

    def text(self) -> bytes:
        """The exposition text of every metric."""
        return generate_latest(self.registry)
