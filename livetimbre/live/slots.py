"""What the Session View and the toolbar show: each slot's state, the transport, renders.

Read by the REPL, OSC state and listeners, and grid controller LEDs alike.
"""

from __future__ import annotations

__all__ = ["SessionView", "SlotView", "Status", "Views", "cell_text", "grid_rows", "grid_text",
           "sung_lines"]

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from livetimbre.engine.client import AudioClient
from livetimbre.live.launching import Launcher
from livetimbre.live.learning import Learning
from livetimbre.music.theory import parse_meter
from livetimbre.render.backends.musicgen.timing import bars_ahead, render_seconds
from livetimbre.render.info import ClipInfo
from livetimbre.render.jobs import JobState
from livetimbre.render.pool import RenderPool
from livetimbre.session.model import Session, SlotKey, SlotState
from livetimbre.voice.info import line_at

_CELL = 14


@dataclass(frozen=True)
class SlotView:
    """What the Session View shows for one layer × scene cell."""

    state: SlotState
    progress: float = 0.0
    error: str = ""
    note: str = ""  # 'fb', '~len', 'srv', 'local', 'choir': see cell_text


class ComposeView(Protocol):
    """The background compose, as the toolbar and /status see it."""

    def status(self) -> str: ...  # its progress in a few words; '' when none runs

    def status_lines(self) -> list[str]: ...  # for /status


@dataclass(frozen=True)
class Status:
    """What the toolbar and /status show."""

    bar: int
    beat: int
    tempo: float
    key: str
    quantize: str
    underruns: int
    renders: int
    recording: str
    eta: float | None = None  # seconds until the slowest render in flight is done
    compose: str = ""  # the background compose's progress ('' when none runs)
    learning: str = ""  # the target /learn waits to bind ('' when not learning)


class SessionView(Protocol):
    """The session and its Session View, read-only (what surfaces may look at)."""

    @property
    def session(self) -> Session: ...

    def slot_view(self, layer: str, scene_index: int) -> SlotView: ...

    def slot_states(self) -> dict[tuple[str, int], SlotState]: ...

    def status(self) -> Status: ...

    def playing(self, layer: str) -> SlotKey | None: ...

    def sung_line(self, layer: str) -> str: ...


class Views:
    """Slot states and status, read from the session, the render jobs and the engine."""

    def __init__(self, session: Callable[[], Session], engine: AudioClient,
                 pool: Callable[[], RenderPool | None], launcher: Launcher,
                 recording: Callable[[], str], underruns: Callable[[], int],
                 composer: ComposeView | None = None, learning: Learning | None = None
                 ) -> None:
        self._session = session
        self._learning = learning
        self._engine = engine
        self._pool = pool
        self._launcher = launcher
        self._recording = recording
        self._underruns = underruns
        self._composer = composer

    @property
    def session(self) -> Session:
        return self._session()

    def playing(self, layer: str) -> SlotKey | None:
        """The slot whose clip `layer` plays, or None."""
        return self._engine.playing_slot(layer)

    def sung_line(self, layer: str) -> str:
        """The lyric line `layer`'s playing vocals clip is singing now ('' when none)."""
        key, pool, engine = self.playing(layer), self._pool(), self._engine
        job = pool.job(key) if pool is not None and key is not None else None
        since = engine.playing_since(layer)
        if job is None or job.info.vocal is None or since is None:
            return ""
        plan = job.plan
        bars = (engine.transport.bar_at(engine.frame) - since) % plan.bars
        return line_at(job.info.vocal.lines, float(bars * parse_meter(plan.meter).beats))

    def slot_view(self, layer: str, scene_index: int) -> SlotView:
        scene = self.session.scenes[scene_index]
        if layer not in scene.clips:
            return SlotView(SlotState.EMPTY)
        key = SlotKey(layer, scene.name)
        pool = self._pool()
        job = pool.job(key) if pool else None
        if self.playing(layer) == key:
            progress = job.progress if job and job.state is JobState.RENDERING else 0.0
            return SlotView(SlotState.PLAYING, progress,
                            note=_note(job.info) if job and job.state is JobState.READY else "")
        if job is None or job.state in (JobState.PENDING, JobState.CANCELLED):
            return SlotView(SlotState.QUEUED)
        if job.state is JobState.RENDERING:
            return SlotView(SlotState.RENDERING, job.progress, note="srv" if job.server else "")
        if job.state is JobState.FAILED:
            return SlotView(SlotState.FAILED, 0.0, job.error)
        if self._launcher.pending(layer) == scene.name:
            return SlotView(SlotState.QUEUED)  # ready, waiting for its boundary
        return SlotView(SlotState.READY, note=_note(job.info))

    def slot_states(self) -> dict[tuple[str, int], SlotState]:
        """Every cell of the Session View by (layer, 0-based scene index), and its state."""
        session = self.session
        return {(layer.name, index): self.slot_view(layer.name, index).state
                for index in range(len(session.scenes)) for layer in session.layers}

    def status(self) -> Status:
        engine = self._engine
        bar, beat = engine.transport.bar_beat(engine.frame)
        pool = self._pool()
        session = self.session
        return Status(bar=bar, beat=beat, tempo=engine.transport.tempo, key=session.key,
                      quantize=session.quantize, underruns=self._underruns(),
                      renders=pool.in_flight() if pool else 0, recording=self._recording(),
                      eta=_longest_eta(pool) if pool else None,
                      compose=self._composer.status() if self._composer else "",
                      learning=_armed(self._learning))

    def _model_lines(self) -> list[str]:
        """Per model backend that has rendered: its speed and, at the session's tempo, how
        many bars ahead a 4-bar clip must be requested; ETA of renders in flight."""
        pool = self._pool()
        if pool is None:
            return []
        session = self.session
        beats = parse_meter(session.meter).beats
        lines = []
        for spec, timing in sorted(pool.timings.items()):
            speed = timing.steps_per_second
            if speed <= 0:
                continue
            seconds = render_seconds(4, session.tempo, beats, speed,
                                     timing.fit_seconds, timing.frame_rate)
            lines.append(f"{spec}: {speed:.0f} steps/s; a 4-bar clip takes {seconds:.0f} s: "
                         f"request it {bars_ahead(seconds, session.tempo, beats)} bars ahead "
                         f"at {session.tempo:g} BPM")
        eta = _eta_text(pool)
        if eta:
            lines.append("renders:" + eta)
        return lines

    def status_text(self, output: str, patch: str) -> str:
        """/status: transport, musical context, renders, output, recording, patch."""
        s = self.status()
        session = self.session
        lines = [
            f"bar {s.bar}.{s.beat}  tempo {s.tempo:g} BPM  key {session.key}  "
            f"meter {session.meter}  genre {session.genre}  quantize {session.quantize}",
            f"renders in flight {s.renders}  underruns {s.underruns}  output {output}  "
            f"backend {session.backend}  /compose {session.duration:g} s",
        ]
        playing = [f"{layer.name}: {self.playing(layer.name)}" for layer in session.layers
                   if self.playing(layer.name)]
        lines.append("playing " + (", ".join(playing) if playing else "nothing"))
        lines += self._model_lines()
        lines += self._composer.status_lines() if self._composer else []
        if s.recording:
            lines.append(f"recording to {s.recording}")
        if patch:
            lines.append(f"patch {patch} (watched)")
        return "\n".join(lines)


def _longest_eta(pool: RenderPool) -> float | None:
    now = time.monotonic()
    etas = [eta for key in pool.slots() if (job := pool.job(key)) is not None
            and (eta := job.eta(now)) is not None]
    return max(etas) if etas else None


def _eta_text(pool: RenderPool) -> str:
    eta = _longest_eta(pool)
    return f" longest ETA {eta:.0f} s" if eta is not None else ""


def _note(info: ClipInfo) -> str:
    if info.fallback:
        return "fb"
    if info.vocal is not None and not info.vocal.sung:
        return "choir"
    if info.server_fallback:
        return "local"  # a render server's clip, rendered here: it did not answer
    if info.server:
        return "srv"
    if info.fit is not None and info.fit.fit == "length":
        return "~len"
    if info.loop is not None:
        return "loop"
    return ""


def cell_text(view: SlotView) -> str:
    """A slot's state as the grid writes it ('rendering 40%', '·' for empty; 'ready fb'
    for a procedural fallback, 'ready ~len' for a clip no beat was found in, 'ready srv'
    for a clip the render server rendered, 'ready local' for one rendered here because
    the render server did not answer, 'ready choir' for a vocals clip a wordless choir
    plays because no singer is installed)."""
    if view.state is SlotState.RENDERING:
        text = f"rendering {view.progress:.0%}"
    elif view.state is SlotState.PLAYING and view.progress:
        text = f"playing {view.progress:.0%}"
    else:
        text = {SlotState.EMPTY: "·"}.get(view.state, view.state.value)
    if view.note:
        text = f"{text} {view.note}"
    return text[:_CELL].ljust(_CELL)


def grid_rows(views: SessionView) -> list[tuple[str, list[SlotView]]]:
    """(layer, its slot views across the scenes) for every layer."""
    session = views.session
    return [(layer.name, [views.slot_view(layer.name, i) for i in range(len(session.scenes))])
            for layer in session.layers]


def grid_text(views: SessionView) -> str:
    """The Session View as plain text (for /grid and OSC)."""
    session = views.session
    width = max([5, *(len(layer.name) for layer in session.layers)]) + 1
    head = "".ljust(width) + "".join(
        f"{n} {scene.name}"[:_CELL].ljust(_CELL) + " "
        for n, scene in enumerate(session.scenes, start=1))
    lines = [head.rstrip()]
    for layer, cells in grid_rows(views):
        lines.append((layer.ljust(width) + " ".join(cell_text(v) for v in cells)).rstrip())
    return "\n".join(lines + [f"♪ {layer}: {text}" for layer, text in sung_lines(views)])


def sung_lines(views: SessionView) -> list[tuple[str, str]]:
    """(layer, the line it sings now) for every layer singing a line."""
    return [(layer.name, text) for layer in views.session.layers
            if (text := views.sung_line(layer.name))]


def _armed(learning: Learning | None) -> str:
    armed = learning.armed if learning is not None else None
    return armed.target if armed is not None else ""
