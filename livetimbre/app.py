"""The live application: builds the parts, wires them together, owns start/stop order.

A command from any surface → `Control` (inside the error boundary) → `Performer` →
the session history (undoable) → `_session_changed` plans every slot and submits
renders → job updates (marshalled in from the pool's dispatcher thread) → `Launcher`
→ engine commands through the audio process's queue.
"""

from __future__ import annotations

__all__ = ["App", "AppOptions"]

import asyncio
import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from livetimbre.config import Settings
from livetimbre.engine.client import AudioClient
from livetimbre.engine.server import AudioConfig
from livetimbre.errors import LivetimbreError
from livetimbre.genres import GenreRegistry
from livetimbre.live.boundary import ErrorBoundary
from livetimbre.live.composing import Composer
from livetimbre.live.engine_sync import follow_session, send_layer_settings
from livetimbre.live.launching import Launcher
from livetimbre.live.learning import Learning
from livetimbre.live.performer import Performer
from livetimbre.live.planning import plan_slots, plans_alike
from livetimbre.live.recording import Recording
from livetimbre.live.renders import RenderFeed
from livetimbre.live.saving import SessionFiles
from livetimbre.live.slots import Views
from livetimbre.live.surface import Control, SurfaceContext
from livetimbre.music.notes import Part
from livetimbre.remote.service import DEFAULT_COOLDOWN, RenderServer
from livetimbre.render.jobs import JobState
from livetimbre.render.pool import RenderPool
from livetimbre.render.worker import WorkerConfig
from livetimbre.session import commands as c
from livetimbre.session.model import Session, SlotKey
from livetimbre.session.state import SessionHistory
from livetimbre.system.cpus import pin_process, place_threads, plan_cpus
from livetimbre.system.realtime import keep_memory


@dataclass(frozen=True)
class AppOptions:
    output: str = "auto"
    device: str | None = None
    blocksize: int = 256
    workers: int = 2
    record: Path | None = None
    auto_record: bool = True  # with no sound card, record (bounded) what is played
    synth: str = "auto"
    audio_cpu: str = "auto"  # a CPU kept for audio: auto, none or a number (see cpus.py)
    director: str | None = None  # --director: over every patch's session.director
    render_server: str | None = None  # clips render there while it answers (a checked URL)
    server_cooldown: float = DEFAULT_COOLDOWN  # s before a failed render server is asked again


class App:
    """One live performance: session, engine, render pool, and what ties them."""

    def __init__(self, settings: Settings, genres: GenreRegistry, session: Session,
                 options: AppOptions, patch_path: Path | None = None) -> None:
        self.settings = settings
        self.genres = genres
        self.options = options
        self.history = SessionHistory(session)
        self.cpus = plan_cpus(options.audio_cpu)
        self.engine = AudioClient(AudioConfig(
            settings.sample_rate, session.tempo, session.meter,
            tuple(layer.name for layer in session.layers), session.quantize,
            options.blocksize, options.output, options.device, self.cpus))
        self.pool: RenderPool | None = None
        self.boundary = ErrorBoundary(settings.home / "logs")
        self._listeners: list[Callable[[str], None]] = []
        self._cpus_before: frozenset[int] | None = None
        self._audio_started = False
        self._unsubscribe: Callable[[], None] | None = None
        self.launcher = Launcher(self.engine, self._session, self._pool, self.say)
        self.renders = RenderFeed(self.launcher, self.boundary, self.say)
        self.recording = Recording(self.engine, self._session, settings.home, self._clip_infos)
        self.files = SessionFiles(self.history, genres, settings.home, patch_path, self.say,
                                  self.boundary, self._playing, options.director)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.composer = Composer(settings, genres, options.synth, self.cpus, self._say_later)
        self.learning = Learning()  # /learn's armed target: the performer arms it
        self.views = Views(self._session, self.engine, self._pool, self.launcher,
                           lambda: str(self.recording.path or ""),
                           lambda: self.output.underruns if self.output else 0,
                           self.composer, self.learning)
        self.performer = Performer(self.history, genres, self.launcher, self.files,
                                   self.recording, self.views,
                                   lambda: self.output.name if self.output else "-",
                                   self.composer, self.learning)
        self.control = Control(self.performer, self.boundary)
        self.history.listen(self._session_changed)

    def _session(self) -> Session:
        return self.history.current

    def _pool(self) -> RenderPool | None:
        return self.pool

    @property
    def session(self) -> Session:
        return self.history.current

    @property
    def output(self) -> AudioClient | None:
        """The audio process, once its output is running."""
        return self.engine if self._audio_started else None

    def execute(self, command: c.Command) -> str:
        """Perform one command (raises LivetimbreError if it is refused)."""
        return self.performer.perform(command)

    def on_message(self, listener: Callable[[str], None]) -> None:
        """Background messages (renders done, reloads, errors) go to `listener`."""
        self._listeners.append(listener)

    def say(self, message: str) -> None:
        for listener in self._listeners:
            listener(message)

    def _say_later(self, message: str) -> None:
        """`say` from another thread: on the control loop, once it runs."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self.say, message)

    def place_threads(self) -> None:
        """Real-time threads of this process (JACK MIDI ports) to the audio CPU, the rest
        off it; call after opening anything that starts threads of its own."""
        if self.cpus is not None:
            place_threads(self.cpus)

    def surface_context(self) -> SurfaceContext:
        """The narrow view of this performance that control surfaces get."""
        return SurfaceContext(
            control=self.control, view=self.views, clock=self.engine,
            realign=self.engine.submit, say=self.say, on_panic=self.launcher.on_panic,
            place_threads=self.place_threads, cpus=self.cpus, home=self.settings.home,
            genre_ids=tuple(genre.id for genre in self.genres), on_message=self.on_message,
            clip_notes=self._clip_notes, file_roots=self._file_roots,
            learning=self.learning)

    def _playing(self) -> dict[str, str]:
        slots = (self.engine.playing_slot(layer.name) for layer in self.session.layers)
        return {slot.layer: slot.scene for slot in slots if slot is not None}

    def _file_roots(self) -> list[Path]:
        patch = self.files.patch_path
        return [*([patch.parent] if patch is not None else []), self.settings.home]

    def _clip_infos(self) -> dict[str, Any]:
        """Each ready clip's recipe and render figures (who rendered it, and where), by slot."""
        pool = self.pool
        jobs = [pool.job(key) for key in pool.slots()] if pool is not None else []
        return {str(job.key): {"recipe_hash": job.recipe, **job.info.sidecar()}
                for job in jobs if job is not None and job.state is JobState.READY}

    def _clip_notes(self, slot: SlotKey) -> Part | None:
        job = self.pool.job(slot) if self.pool else None
        return job.part if job is not None else None

    # --- start and stop -------------------------------------------------------------------
    async def start(self) -> str:
        """Start workers, audio and background tasks; returns what to tell the user (a
        line about the output, after one about a crashed session's autosave if kept)."""
        self._loop = asyncio.get_running_loop()
        self.renders.attach(self._loop)
        keep_memory()
        if self.cpus is not None:  # this process's threads, and those it starts, too
            self._cpus_before = frozenset(os.sched_getaffinity(0))
            self.place_threads()
        send_layer_settings(self.engine, self.session)
        url = self.options.render_server
        server = None if url is None else RenderServer.open(
            url, cooldown=self.options.server_cooldown, say=self._say_later)
        self.pool = RenderPool(
            WorkerConfig(self.settings.sample_rate, self.options.synth, self.settings.soundfont,
                         self.settings.home, cpus=self.cpus.others if self.cpus else None,
                         store=self.settings.store_dir,
                         cache_bytes=self.settings.cache_bytes),
            workers=self.options.workers, on_update=self.renders.from_thread,
            memory_bytes=self.settings.clip_memory_bytes, server=server)
        self.pool.start()
        plan_slots(self.session, self.genres, self.settings.sample_rate, self.pool, self.say)
        try:
            self.engine.start()
        except LivetimbreError:
            self.pool.stop()
            raise
        self._audio_started = True
        self._unsubscribe = self.engine.subscribe(self.launcher.engine_events)
        kept = self.files.claim()
        self.files.start()
        line = (f"audio: {self.engine.name} at {self.engine.sample_rate} Hz, "
                f"block {self.options.blocksize}")
        if self.cpus is not None:
            line += f" ({self.cpus.describe()})"
        if server is not None:
            line += f"; clips render on {server.url} (here when it does not answer)"
        if self.engine.note:
            line = f"{self.engine.note}: playing on a real-time null output. {line}"
        try:
            if self.options.record is not None:
                line += f"; {self.recording.start(self.options.record)}"
            elif self.engine.note and self.options.auto_record:  # bounded: about 0.8 GB
                line += (f"; {self.recording.start(self.recording.default_path(), 60)}"
                         " (--no-record plays without recording)")
        except LivetimbreError as exc:
            line += f"; not recording: {exc}"
        return f"{kept}\n{line}" if kept else line

    async def stop(self) -> None:
        """Stop in reverse order: files' tasks, recording, audio, workers; autosave last."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.composer.shutdown()
        self.recording.stop()
        if self.output is not None:
            self.output.stop()
        if self.pool is not None:
            self.pool.stop()
        if self._cpus_before is not None:
            pin_process(self._cpus_before)
            self._cpus_before = None
        await self.files.stop()
        self.boundary.close()

    # --- what changes reach ------------------------------------------------------------
    def _session_changed(self, old: Session, new: Session) -> None:
        follow_session(self.engine, old, new)
        if self.pool is not None and not plans_alike(old, new):
            plan_slots(new, self.genres, self.settings.sample_rate, self.pool, self.say)
