"""Timbre's worker API: `livetimbre serve` (FastAPI under uvicorn).

`POST /generate` takes a clip or a track request, `GET /status/{job_id}`,
`GET /events/{job_id}` (server-sent events) and `GET /artifact/{job_id}` follow it;
`/health/live`, `/health/ready` and `/metrics` watch the server. Renders run in worker
processes (server.workers); results are kept in the artifact store under their job id,
which is the SHA-256 of the canonical request, so a request is rendered once.

`serve --ray` runs the same app as a Ray Serve deployment (ray_serving, ray_renderers,
ray_pool, ray_config), and `livetimbre farm` renders many jobs as Ray tasks (farm,
farm_jobs, farm_journal).

Nothing here is imported by `import livetimbre` or `livetimbre --help`: FastAPI, uvicorn
and prometheus-client are the optional `server` extra; Ray is the `cluster` extra.
"""

__all__: list[str] = []
