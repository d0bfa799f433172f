"""The render worker process: backends (FluidSynth, later torch) live here, never in the
process that runs the audio callback.

A `ChildProcess` speaking `render.messages`: it answers its start with
`Ready(WorkerReady)` (or `StartFailed` if its genres or synth cannot be loaded), then
serves `RenderRequest`s until `Quit`, reporting `Progress`, then `Rendered` or
`RenderFailed`. Audio comes back in the worker's shared-memory block, reused from job
to job (it only grows), so the parent maps it once instead of mapping and unmapping
megabytes per result — an unmap interrupts every CPU running the audio thread. The
parent unlinks the blocks.
"""

from __future__ import annotations

__all__ = ["WorkerConfig", "worker_main"]

import signal
import traceback
from dataclasses import dataclass
from multiprocessing import resource_tracker, shared_memory
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from livetimbre.errors import LivetimbreError
from livetimbre.render.backends import (
    Backend,
    BackendContext,
    Backends,
    RenderCancelled,
    RenderedClip,
)
from livetimbre.render.cache import ClipCache
from livetimbre.render.info import ClipInfo
from livetimbre.render.messages import (
    Cancel,
    Progress,
    Quit,
    Rendered,
    RenderFailed,
    ToWorker,
    WorkerReady,
)
from livetimbre.system.cpus import pin_process
from livetimbre.system.processes import Ready, StartFailed
from livetimbre.system.realtime import keep_memory, lower_priority


@dataclass(frozen=True)
class WorkerConfig:
    """What a worker needs to build its backend (picklable)."""

    sample_rate: int
    synth: str = "auto"
    soundfont: Path | None = None
    home: Path | None = None
    nice: int = 19
    cpus: frozenset[int] | None = None  # kept off the audio CPU (None: anywhere)
    store: Path | None = None  # the artifact store holding the render cache (None: none)
    cache_bytes: int = 0  # the render cache's size limit


class _Outbox:
    """The worker's shared-memory block for results; replaced by a bigger one if needed."""

    def __init__(self) -> None:
        self._block: shared_memory.SharedMemory | None = None

    def put(self, audio: np.ndarray) -> str:
        if self._block is None or self._block.size < audio.nbytes:
            if self._block is not None:
                self._block.close()  # the parent unlinks it when it sees the new name
            size = max(audio.nbytes + audio.nbytes // 4, 1 << 20)
            self._block = shared_memory.SharedMemory(create=True, size=size)
            # The parent owns the block's name; keep this process's tracker out of it.
            resource_tracker.unregister(self._block._name, "shared_memory")  # type: ignore[attr-defined]
        np.ndarray(audio.shape, np.float32, buffer=self._block.buf)[:] = audio
        return self._block.name


def worker_main(conn: Connection, config: WorkerConfig) -> None:
    """Serve render jobs until told to stop or the parent goes away."""
    # First: even loading the backend must not disturb audio.
    if config.cpus:
        pin_process(config.cpus)
    lower_priority(config.nice)
    keep_memory()
    # Ctrl-C in the terminal reaches the whole process group; the parent decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from livetimbre.genres import load_genres

    try:
        genres = load_genres(config.home / "genres" if config.home else None)
        backends = Backends(BackendContext(config.sample_rate, genres, config.synth,
                                           config.soundfont, config.home))
        default = backends.get("procedural")  # its synth loads now, not at the first job
    except LivetimbreError as exc:
        conn.send(StartFailed(str(exc)))
        return
    outbox = _Outbox()
    cache, cache_note = _open_cache(config)
    note = "; ".join(n for n in (default.note, cache_note) if n)
    conn.send(Ready(WorkerReady(default.versions(), note)))
    quitting = False
    while not quitting:
        try:
            message: ToWorker = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(message, Quit):
            return
        if isinstance(message, Cancel):
            continue  # for a job already finished
        job_id = message.job_id
        try:
            plan = message.plan
            backend = backends.get(plan.backend)

            def report(fraction: float, job: int = job_id) -> None:
                """Progress out; a Cancel of this job (or Quit) that came in meanwhile
                stops the render (RenderCancelled, which backends let through)."""
                nonlocal quitting
                conn.send(Progress(job, fraction))
                while conn.poll():
                    incoming = conn.recv()
                    if isinstance(incoming, Quit):
                        quitting = True
                        raise RenderCancelled("the worker is stopping")
                    if isinstance(incoming, Cancel) and incoming.job_id == job:
                        raise RenderCancelled(f"job {job} cancelled")

            versions = backend.versions()
            stored = cache.find(plan, plan.recipe_hash(plan.backend, versions)) if (
                cache is not None) else None
            clip = stored or check_rendered(backend.render(plan, report), backend)
            shape = (clip.audio.shape[0], clip.audio.shape[1])
            versions = backend.versions()
            conn.send(Rendered(job_id, outbox.put(clip.audio), shape, clip.info,
                               plan.recipe_hash(plan.backend, versions), versions,
                               part=clip.part, stored=stored is not None))
            if cache is not None and stored is None:  # kept once the result is on its way
                cache.put(clip, versions)
        except RenderCancelled as exc:
            conn.send(RenderFailed(job_id, f"cancelled ({exc})"))
        except LivetimbreError as exc:  # the user's doing: the job fails with the reason
            conn.send(RenderFailed(job_id, str(exc)))
        except Exception as exc:  # a bug: reported with its traceback; the worker goes on
            conn.send(RenderFailed(job_id, f"{type(exc).__name__}: {exc}",
                                   traceback.format_exc()))


def _open_cache(config: WorkerConfig) -> tuple[ClipCache | None, str]:
    """The render cache in the store, or None and why not (renders go on without it)."""
    if config.store is None or config.cache_bytes <= 0:
        return None, ""
    try:
        return ClipCache.open(config.store, config.cache_bytes), ""
    except LivetimbreError as exc:
        return None, f"render cache off: {exc}"


class MalformedRender(Exception):
    """A backend broke its contract: its clip is not what the plan asked for."""


def check_rendered(clip: RenderedClip, backend: Backend) -> RenderedClip:
    """`clip` if it is float32 stereo of exactly the plan's frames, all finite, and its
    info a `ClipInfo` (a plugin's figures go in its `figures`)."""
    audio, plan = clip.audio, clip.plan
    expected = (plan.frames, 2)
    problem = ""
    if not isinstance(audio, np.ndarray) or audio.dtype != np.float32:
        problem = f"audio of type {getattr(audio, 'dtype', type(audio).__name__)}, not float32"
    elif audio.shape != expected:
        problem = f"{audio.shape[0]} frames × {audio.shape[1:]} channels, not {expected}"
    elif not np.isfinite(audio).all():
        problem = "audio with NaN or infinite samples"
    elif not isinstance(clip.info, ClipInfo):
        problem = f"info of type {type(clip.info).__name__}, not ClipInfo"
    if problem:
        raise MalformedRender(f"backend {backend.name} returned a malformed clip for "
                              f"{plan.layer}@{plan.scene}: {problem}")
    return clip
