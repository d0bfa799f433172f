"""`/compose` in a live session: one compose at a time, in a process of its own (see
track.background), watched by a thread of this process that keeps its progress for the
toolbar and /status and says how it ended. The music never waits for it."""

from __future__ import annotations

__all__ = ["Composer"]

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from livetimbre.config import Settings
from livetimbre.errors import ValueProblem
from livetimbre.genres import GenreRegistry
from livetimbre.session import commands as c
from livetimbre.session.model import Session
from livetimbre.system.cpus import CpuPlan
from livetimbre.system.processes import ChildProcess, Ready, StartFailed
from livetimbre.track.background import (
    ComposeDone,
    ComposeFailed,
    ComposeProgress,
    ComposeTask,
    compose_main,
)
from livetimbre.track.jobs import mark_interrupted
from livetimbre.track.request import ComposeRequest
from livetimbre.track.requesting import ComposeAsk, build_request

_STAGE_NAMES = {"sound-design": "sound design", "qa": "QA"}
_CANCEL_SECONDS = 5.0  # how long a cancelled compose may take to record itself and end


@dataclass
class _Run:
    child: ChildProcess
    output: str
    started: float
    job: str = ""
    stage: str = "starting"
    section: int = 0
    sections: int = 0
    fraction: float = 0.0
    cancelled: bool = False


class Composer:
    """Starts, watches and cancels the session's background compose."""

    def __init__(self, settings: Settings, genres: GenreRegistry, synth: str,
                 cpus: CpuPlan | None, say: Callable[[str], None]) -> None:
        """`say` is called on the watching thread (the caller marshals it)."""
        self._settings = settings
        self._genres = genres
        self._synth = synth
        self._cpus = cpus
        self._say = say
        self._run: _Run | None = None
        self._lock = threading.Lock()
        self.last = ""  # how the last run ended

    @property
    def running(self) -> bool:
        return self._run is not None

    def status(self) -> str:
        """The toolbar's word on the run ('' when none is running)."""
        run = self._run
        if run is None:
            return ""
        stage = _STAGE_NAMES.get(run.stage, run.stage)
        if run.stage == "sound-design" and run.sections:
            return f"{run.section}/{run.sections} {stage} {run.fraction:.0%}"
        return stage

    def status_lines(self) -> list[str]:
        """/status: the run in progress, or how the last one ended."""
        run = self._run
        if run is not None:
            job = f", job {run.job}" if run.job else ""
            return [f"composing {run.output}: {self.status()} "
                    f"({time.monotonic() - run.started:.0f} s{job}); /compose stop cancels"]
        return [f"last compose: {self.last}"] if self.last else []

    # --- start and stop ------------------------------------------------------------------
    def start(self, command: c.Compose, session: Session) -> str:
        """Check everything the run needs now (a bad option fails here, not in the child),
        then start it; returns what to tell the user."""
        with self._lock:
            if self._run is not None:
                raise ValueProblem(f"A compose is already running ({self.status()}): "
                                   "/compose stop cancels it.")
            request, note = self._request(command, session)
            child = ChildProcess(compose_main, (self._task(request),),
                                 name="livetimbre-compose", what="the compose process")
            run = _Run(child, request.output, time.monotonic())
            child.start()
            self._run = run
        threading.Thread(target=self._watch, args=(run,), name="livetimbre-compose-watch",
                         daemon=True).start()
        seconds = "short-form" if request.short else "long-form"
        answer = (f"composing {request.duration:g} s ({seconds}) into {request.output} in the "
                  "background; /status shows progress, /compose stop cancels")
        return f"{note}; {answer}" if note else answer

    def stop(self) -> str:
        """Cancel the running compose (it records its job as interrupted and ends)."""
        run = self._run
        if run is None:
            return "no compose is running"
        run.cancelled = True
        if run.child.is_alive():
            run.child.process.terminate()
        return f"cancelling the compose of {run.output}"

    def shutdown(self) -> None:
        """End a running compose now (the session is ending)."""
        run = self._run
        if run is not None:
            run.cancelled = True
            if run.child.is_alive():
                run.child.process.terminate()
            self._end(run)

    def _end(self, run: _Run) -> None:
        """Wait for the child to end (killing it past the grace time); a cancelled job it
        could not record in time is recorded as interrupted here."""
        run.child.stop(_CANCEL_SECONDS)
        if run.cancelled and run.job:
            mark_interrupted(self._settings.home, run.job)

    def _task(self, request: ComposeRequest) -> ComposeTask:
        settings = self._settings
        return ComposeTask(request, settings.home, genre_dir=settings.user_genre_dir,
                           store=settings.store_dir,
                           cpus=self._cpus.others if self._cpus is not None else None)

    def _request(self, command: c.Compose, session: Session) -> tuple[ComposeRequest, str]:
        """The run `command` asks for, the session filling in what it leaves out."""
        ask = ComposeAsk(
            prompt=command.prompt, output=command.output,
            duration=command.seconds if command.seconds is not None else session.duration,
            duration_from="--duration" if command.seconds is not None else "/duration",
            short=command.short,
            genre=command.genre, fallback_genre=session.genre,
            patch_director=session.director,
            seed=command.seed if command.seed is not None else session.seed,
            backend=session.backend, synth=self._synth)
        request, notes = build_request(ask, self._settings, self._genres)
        return request, "; ".join(notes)

    # --- the watching thread --------------------------------------------------------------
    def _watch(self, run: _Run) -> None:
        ended = self._follow(run)
        self._end(run)
        with self._lock:
            self._run = None
            self.last = ended
        self._say(f"compose: {ended}")

    def _follow(self, run: _Run) -> str:
        """Take the child's messages until it ends; how it ended, in one line."""
        conn = run.child.conn
        while True:
            try:
                message = conn.recv()
            except Exception:  # the end of the pipe, or a message cut short by a kill
                break
            if isinstance(message, Ready):
                run.job = str(message.payload)
            elif isinstance(message, ComposeProgress):
                run.stage, run.section = message.stage, message.section
                run.sections, run.fraction = message.sections, message.fraction
            elif isinstance(message, ComposeDone):
                return f"wrote {message.output} ({message.summary})"
            elif isinstance(message, (ComposeFailed, StartFailed)):
                return f"failed: {message.message}"
        run.child.join(_CANCEL_SECONDS)
        resume = f" (livetimbre compose --resume {run.job} continues it)" if run.job else ""
        if run.cancelled:
            return f"cancelled {run.output}{resume}"
        return (f"failed: the compose process stopped (exit code {run.child.exitcode})"
                f"{resume}")

