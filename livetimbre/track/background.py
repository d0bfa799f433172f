"""A compose run in a process of its own, for the live REPL: the pipeline's renders
(FluidSynth, MusicGen) and DSP never take the CPU or the GIL from the audio callback.

A `ChildProcess` (see system.processes) speaking the messages below: it answers its start
with `Ready(job id)` (or `StartFailed` when its genres cannot be loaded or its job made),
then sends `ComposeProgress` as stages and sections go by, and ends with `ComposeDone`
or `ComposeFailed`. The release keeps the track in the artifact store (`store`), as
`livetimbre compose` does; what the run could not do (the store off) ends the summary.
Like the render workers, it runs off the audio CPU on idle CPU time only. SIGTERM
cancels it: the job is recorded as interrupted (`livetimbre compose
--resume ID` continues it) and the process ends.
"""

from __future__ import annotations

__all__ = ["ComposeDone", "ComposeFailed", "ComposeProgress", "ComposeTask", "compose_main"]

import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from types import FrameType

from livetimbre.errors import LivetimbreError
from livetimbre.system.cpus import pin_process
from livetimbre.system.processes import Ready, StartFailed
from livetimbre.system.realtime import keep_memory, lower_priority
from livetimbre.track.progress import SectionProgress
from livetimbre.track.request import ComposeRequest


@dataclass(frozen=True)
class ComposeTask:
    """What the compose process needs (picklable)."""

    request: ComposeRequest
    home: Path
    genre_dir: Path | None = None
    store: Path | None = None  # the artifact store the release keeps its files in
    cpus: frozenset[int] | None = None  # kept off the audio CPU (None: anywhere)


@dataclass(frozen=True)
class ComposeProgress:
    """Child → parent: where the run is. `section`/`sections` count from 1 (0: none yet)."""

    stage: str
    section: int
    sections: int
    fraction: float  # of the current section's render


@dataclass(frozen=True)
class ComposeDone:
    output: str
    summary: str  # one line: duration, loudness, peak, sections, time


@dataclass(frozen=True)
class ComposeFailed:
    message: str  # one line for the user


class _PipeProgress(SectionProgress):
    """Progress over the pipe instead of onto a terminal (at most ~10 updates a second)."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(quiet=True)
        self._conn = conn
        self._stage = ""
        self._section = 0
        self._sections = 0
        self._sent = 0.0
        self.warnings: list[str] = []  # told with the outcome, not onto the REPL's screen

    def _send(self, fraction: float, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._sent >= 0.1:
            self._sent = now
            self._conn.send(ComposeProgress(self._stage, self._section, self._sections,
                                            fraction))

    def stage(self, name: str) -> None:
        self._stage = name
        self._send(0.0, force=True)

    def section(self, number: int, count: int, name: str) -> None:
        self._section, self._sections = number, count
        self._send(0.0, force=True)

    def update(self, fraction: float) -> None:
        self._send(fraction)

    def warn(self, text: str) -> None:
        self.warnings.append(text)


def _cancel(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # run_job records the job as interrupted


def compose_main(conn: Connection, task: ComposeTask) -> None:
    """Run one compose, reporting over `conn`."""
    if task.cpus:
        pin_process(task.cpus)
    lower_priority()
    keep_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the REPL's; the parent decides
    signal.signal(signal.SIGTERM, _cancel)
    try:
        from livetimbre.genres import load_genres
        from livetimbre.track.jobs import new_job
        from livetimbre.track.pipeline import run_job
        from livetimbre.track.runtime import open_runtime

        request = task.request
        genres = load_genres(task.genre_dir)
        job = new_job(task.home, request)
    except KeyboardInterrupt:
        return
    except LivetimbreError as exc:
        conn.send(StartFailed(str(exc)))
        return
    conn.send(Ready(job.id))
    progress = _PipeProgress(conn)
    try:
        with open_runtime(request, genres, task.home, task.store, progress) as runtime:
            result = run_job(job, runtime)
    except KeyboardInterrupt:
        return  # the parent asked for it and says so
    except LivetimbreError as exc:
        conn.send(ComposeFailed(" ".join(str(exc).split())))
        return
    except Exception as exc:  # a bug: one line, and the job keeps the details
        conn.send(ComposeFailed(f"{type(exc).__name__}: {exc} (job {job.id})"))
        return
    figures = result.qa.figures
    warnings = "".join(f"; warning: {text}" for text in progress.warnings)
    conn.send(ComposeDone(request.output, (
        f"{figures['duration_s']:.2f} s, {figures['integrated_lufs']} LUFS, "
        f"{figures['true_peak_dbtp']} dBTP, {len(result.plan.sections)} sections, "
        f"composed in {result.seconds:.1f} s; job {job.id}{warnings}")))
