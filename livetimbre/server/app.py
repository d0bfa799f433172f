"""The FastAPI app: generate, status, events, artifact, health, metrics; wrapped in the
guard (server.safety). Every blocking step runs in a thread; renders run in workers."""

from __future__ import annotations

__all__ = ["create_app"]

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from livetimbre import __version__
from livetimbre.errors import LivetimbreError
from livetimbre.remote.models import (
    JOB_ID,
    ArtifactAudio,
    GenerationArtifact,
    GenerationRequest,
    GenerationStatus,
    job_id_of,
)
from livetimbre.server.board import Board
from livetimbre.server.metrics import Metrics
from livetimbre.server.safety import App, Guard, RateLimit, is_loopback
from livetimbre.server.state import ServerOptions, ServerState
from livetimbre.server.tracks import hide_home
from livetimbre.store import Artifact

_JOB_ID = re.compile(JOB_ID)
_NO_JOB = "No job with this id."
KEEP_ALIVE_S = 15.0


def create_app(options: ServerOptions) -> App:
    """The ASGI app `livetimbre serve` runs."""
    metrics = Metrics()
    state = ServerState(options, metrics)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(state.open, asyncio.get_running_loop())
        try:
            yield
        finally:
            await run_in_threadpool(state.close)

    app = FastAPI(title="livetimbre worker API", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.router.redirect_slashes = False  # one URL per resource; anything else is 404
    if options.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(options.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["authorization", "content-type"])
    _routes(app, state)
    return Guard(app, token=options.token, loopback=is_loopback(options.host),
                 limit=RateLimit(options.rate_per_minute, options.burst), metrics=metrics,
                 cors=bool(options.cors_origins))


def _board(state: ServerState) -> Board:
    if state.board is None:
        raise HTTPException(503, "The server is starting.")
    return state.board


def _checked(job_id: str) -> str:
    """A job id, or 404 naming nothing (a path, '..', anything else)."""
    if not _JOB_ID.fullmatch(job_id):
        raise HTTPException(404, _NO_JOB)
    return job_id


async def _status(state: ServerState, job_id: str) -> GenerationStatus:
    status = _board(state).status(_checked(job_id))
    if status is None:
        status = await run_in_threadpool(state.stored_status, job_id)
    if status is None:
        raise HTTPException(404, _NO_JOB)
    return status


async def _artifact(state: ServerState, job_id: str) -> Artifact:
    status = await _status(state, job_id)
    artifact = await run_in_threadpool(state.stored, job_id) if status.state == "done" else None
    if artifact is None:
        raise HTTPException(409, f"Job {job_id[:12]}… is {status.state}; its artifact is not "
                                 "there yet.")
    return artifact


def _routes(app: FastAPI, state: ServerState) -> None:
    metrics = state.metrics

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The problems, never the values sent (a client's input is not echoed back).
        problems = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300],
                     "type": e.get("type")} for e in exc.errors()[:20]]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.post("/generate", response_model=GenerationStatus, status_code=202,
              responses={200: {"model": GenerationStatus}})
    async def generate(body: GenerationRequest) -> JSONResponse:
        """Queue a clip or track render; the same request is the same job (200 with its
        status if it is queued, running or done already)."""
        request = body.root
        job_id = job_id_of(request)
        board = _board(state)
        known = board.status(job_id)
        if known is None or known.state == "failed":
            stored = await run_in_threadpool(state.stored_status, job_id)
            if stored is not None:
                metrics.jobs.labels(request.kind, "stored").inc()
                return JSONResponse(stored.model_dump(mode="json"))
            try:
                job = await run_in_threadpool(state.prepare, request, job_id)
            except LivetimbreError as exc:
                shown = hide_home(" ".join(str(exc).split()), state.options.settings.home)
                raise HTTPException(422, shown[:1000]) from None
            try:
                known, queued = board.submit(job)
            except OverflowError as exc:
                metrics.refused.labels("queue_full").inc()
                raise HTTPException(503, f"The queue is full ({exc}); try again later.",
                                    headers={"Retry-After": "30"}) from None
            if queued:
                metrics.jobs.labels(request.kind, "queued").inc()
                return JSONResponse(known.model_dump(mode="json"), status_code=202)
        metrics.jobs.labels(request.kind, "known").inc()
        return JSONResponse(known.model_dump(mode="json"))

    @app.get("/status/{job_id}", response_model=GenerationStatus)
    async def status(job_id: str) -> GenerationStatus:
        """State, progress, ETA, queue position, error."""
        return await _status(state, job_id)

    @app.get("/events/{job_id}", response_class=StreamingResponse)
    async def events(job_id: str) -> StreamingResponse:
        """The job's status as server-sent events (`event: status`), until it ends."""
        first = await _status(state, job_id)
        return StreamingResponse(_event_stream(_board(state), first),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    @app.get("/artifact/{job_id}", response_class=Response,
             responses={200: {"content": {"audio/wav": {}}}, 304: {}, 409: {}})
    async def artifact(job_id: str, request: Request) -> Response:
        """The audio; its SHA-256 is its ETag (If-None-Match answers 304)."""
        found = await _artifact(state, job_id)
        etag = f'"{found.sha256}"'
        headers = {"ETag": etag, "Cache-Control": "private, max-age=31536000, immutable",
                   "Content-Disposition": f'attachment; filename="{found.name}"'}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        assert state.store is not None
        chunks: Iterator[bytes] = state.store.chunks(found)
        return StreamingResponse(chunks, media_type=found.media_type,
                                 headers={**headers, "Content-Length": str(found.size)})

    @app.get("/artifact/{job_id}/sidecar", response_model=GenerationArtifact)
    async def sidecar(job_id: str) -> GenerationArtifact:
        """What was rendered: the request, the audio's figures, the sidecar (its `plan`)."""
        found = await _artifact(state, job_id)
        side: dict[str, Any] = dict(found.meta.get("sidecar") or {})
        return GenerationArtifact(
            job_id=job_id, kind=found.meta.get("kind", "clip"),
            request=GenerationRequest.model_validate_json((found.recipe or {})["request"]),
            audio=ArtifactAudio(url=f"/artifact/{job_id}", media_type=found.media_type,
                                sha256=found.sha256, bytes=found.size,
                                sample_rate=int(side.get("sample_rate") or 0),
                                seconds=float(side.get("seconds") or side.get("duration_s")
                                              or 0.0)),
            sidecar=side)

    @app.get("/health/live")
    async def live() -> dict[str, str]:
        """The server answers."""
        return {"status": "live"}

    @app.get("/health/ready", responses={503: {}})
    async def ready() -> JSONResponse:
        """Ready when a worker process is up (503 with the reason otherwise)."""
        pool = state.pool
        up, of = (pool.ready, pool.count) if pool is not None else (0, state.options.workers)
        body: dict[str, Any] = {"status": "ready" if up else "not ready", "workers": up,
                                "of": of}
        if not up and pool is not None and pool.start_failure:
            body["reason"] = pool.start_failure
        return JSONResponse(body, status_code=200 if up else 503)

    @app.get("/metrics", response_class=Response)
    async def prometheus() -> Response:
        """Prometheus text: queue depth, render seconds, real-time factor, failures."""
        return Response(metrics.text(), media_type="text/plain; version=0.0.4")


async def _event_stream(board: Board, first: GenerationStatus) -> AsyncIterator[str]:
    """`first`, then every change, until the job is done or failed; a comment line
    every KEEP_ALIVE_S meanwhile."""
    queue = board.listen(first.job_id)
    try:
        status = board.status(first.job_id) or first
        while True:
            yield f"event: status\ndata: {status.model_dump_json()}\n\n"
            if status.state in ("done", "failed"):
                return
            try:
                status = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                status = board.status(first.job_id) or status
    finally:
        board.stop_listening(first.job_id, queue)
