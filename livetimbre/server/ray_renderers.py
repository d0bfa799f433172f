"""The Ray Serve render deployments of `livetimbre serve --ray`. A replica renders as a
server worker process does (`server.worker.serve_order`: same code, same bytes, the
result kept in the store under the job id), one job at a time, and streams the job's
progress, then its outcome, back to the ingress.

`procedural` replicas keep their synth loaded; `musicgen` replicas keep up to
`max_models_per_replica` models loaded, chosen by the request's multiplexed model id
(the backend spec, e.g. 'musicgen:facebook/musicgen-small'), so requests for a model go
to a replica that has it.
"""

from __future__ import annotations

__all__ = ["MusicGenRenderer", "ProceduralRenderer"]

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ray import serve

from livetimbre.server.worker import (
    JobDone,
    JobFailed,
    JobOrder,
    JobProgress,
    Teller,
    WorkerSetup,
    serve_order,
)

Message = JobProgress | JobDone | JobFailed


class _Renderer:
    """What both deployments share: the store, the genres and a backend set, opened and
    used in one thread of the replica (SQLite and FluidSynth stay in the thread that
    made them)."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="livetimbre-render")
        self._parts: dict[str, Any] = self._thread.submit(self._open).result()

    def _open(self) -> dict[str, Any]:
        from livetimbre.genres import load_genres
        from livetimbre.store import Store

        genres = load_genres(self.setup.home / "genres")
        return {"genres": genres, "store": Store(self.setup.store),
                "backends": self.backends_for("procedural", genres)}

    def backends_for(self, spec: str, genres: Any) -> Any:
        """A backend set with the backend of `spec` built (its synth or model loaded)."""
        from livetimbre.render.backends import BackendContext, Backends

        setup = self.setup
        backends = Backends(BackendContext(setup.sample_rate, genres, setup.synth,
                                           setup.soundfont, setup.home))
        backends.get(spec).versions()
        return backends

    async def backends(self) -> Any:
        return self._parts["backends"]

    async def render(self, order: JobOrder) -> AsyncIterator[Message]:
        """Render `order`: its progress as it goes, then JobDone or JobFailed."""
        backends = await self.backends()
        loop = asyncio.get_running_loop()
        messages: asyncio.Queue[Message] = asyncio.Queue()

        def send(message: Message) -> None:
            loop.call_soon_threadsafe(messages.put_nowait, message)

        def work() -> None:
            parts = self._parts
            send(serve_order(order, self.setup, parts["genres"], backends, parts["store"],
                             Teller(send, order.job_id)))

        done = loop.run_in_executor(self._thread, work)
        while True:
            message = await messages.get()
            yield message
            if not isinstance(message, JobProgress):
                break
        await done


@serve.deployment(name="procedural")
class ProceduralRenderer(_Renderer):
    """Procedural renders (composer + synth) on CPU replicas."""


@serve.deployment(name="musicgen")
class MusicGenRenderer(_Renderer):
    """MusicGen renders; models multiplexed by id (the backend spec)."""

    def __init__(self, setup: WorkerSetup, models_per_replica: int) -> None:
        super().__init__(setup)

        async def load(spec: str) -> Any:  # a function: Serve keeps its cache on it
            return await self._load(spec)

        self._model: Callable[[str], Awaitable[Any]] = serve.multiplexed(
            max_num_models_per_replica=models_per_replica)(load)

    async def _load(self, spec: str) -> Any:
        genres = self._parts["genres"]
        return await asyncio.get_running_loop().run_in_executor(
            self._thread, self.backends_for, spec, genres)

    async def backends(self) -> Any:
        return await self._model(serve.get_multiplexed_model_id())
