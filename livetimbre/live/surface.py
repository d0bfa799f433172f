"""What a control surface (REPL, OSC, grid controller, clock follower) gets of the live
performance: a way to submit commands, a view of the session it may read, the engine's
clock, and a way to say things. Never the whole App.
"""

from __future__ import annotations

__all__ = ["Control", "EngineClock", "Reply", "SessionView", "SurfaceContext"]

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from livetimbre.engine.commands import Realign
from livetimbre.engine.events import EngineEvent
from livetimbre.engine.transport import Transport
from livetimbre.live.boundary import ErrorBoundary, Failure
from livetimbre.live.learning import Learning
from livetimbre.live.performer import Performer
from livetimbre.live.slots import SessionView
from livetimbre.music.notes import Part
from livetimbre.session import commands as c
from livetimbre.session.model import SlotKey
from livetimbre.session.slash import parse_line
from livetimbre.system.cpus import CpuPlan
from livetimbre.system.processes import SharedInts

Say = Callable[[str], None]


class EngineClock(Protocol):
    """The engine's musical clock as followers read it; they never own time."""

    @property
    def frame(self) -> int: ...

    @property
    def sample_rate(self) -> int: ...

    @property
    def transport(self) -> Transport: ...

    @property
    def epoch_ns(self) -> int: ...

    @property
    def events(self) -> deque[EngineEvent]: ...  # the latest, oldest first

    @property
    def shared(self) -> SharedInts: ...  # frame, underruns, errors, epoch: for processes

    def heard_at(self, frame: int) -> float: ...

    def frame_heard_at(self, moment: float) -> int: ...

    def playing_slot(self, layer: str) -> SlotKey | None: ...

    def subscribe(self, listener: Callable[[list[EngineEvent]], None]
                  ) -> Callable[[], None]: ...


@dataclass(frozen=True)
class Reply:
    """The answer to one command or line: what changed, or why nothing did."""

    text: str
    error: bool = False
    quit: bool = False


class Control:
    """Commands and slash lines from any surface, each inside the error boundary."""

    def __init__(self, performer: Performer, boundary: ErrorBoundary) -> None:
        self._performer = performer
        self.boundary = boundary

    def perform(self, command: c.Command | Callable[[], c.Command], surface: str) -> Reply:
        """Perform `command` from `surface` ('OSC', 'grid', ...); a callable is called to
        build it inside the boundary (a value it refuses becomes the error reply)."""

        def build_and_perform() -> str:
            built = command() if callable(command) else command
            return self._performer.perform(built)

        name = "command" if callable(command) else type(command).__name__
        outcome = self.boundary.run(f"{surface} {name}", build_and_perform)
        if isinstance(outcome, Failure):
            return Reply(outcome.message, error=True)
        return Reply(outcome)

    def run_line(self, line: str, surface: str,
                 allow: Callable[[c.Command], None] | None = None) -> Reply:
        """Parse and perform a slash-command line (the REPL, OSC /livetimbre/command);
        /quit is answered with `quit` set and performs nothing. `allow` may refuse the
        parsed command (by raising) before anything happens."""
        shown = line if len(line) <= 60 else line[:57] + "..."

        def parse() -> c.Command:
            command = parse_line(line)
            if allow is not None:
                allow(command)
            return command

        outcome = self.boundary.run(f"{surface} line {shown!r}", parse)
        if isinstance(outcome, Failure):
            return Reply(outcome.message, error=True)
        if isinstance(outcome, c.Quit):
            return Reply("bye", quit=True)
        return self.perform(outcome, surface)


@dataclass(frozen=True)
class SurfaceContext:
    """Everything a control surface may use, each part narrow."""

    control: Control
    view: SessionView
    clock: EngineClock
    realign: Callable[[Realign], None]  # Link's one engine-level operation
    say: Say
    on_panic: Callable[[Callable[[], None]], None]
    place_threads: Callable[[], None]  # after opening ports that start threads of their own
    cpus: CpuPlan | None
    home: Path  # $LIVETIMBRE_HOME: the REPL's history, the user's controller profiles
    genre_ids: tuple[str, ...]
    on_message: Callable[[Say], None]  # background messages (renders done, reloads)
    clip_notes: Callable[[SlotKey], Part | None]  # a rendered clip's notes
    file_roots: Callable[[], list[Path]]  # the patch's folder and $LIVETIMBRE_HOME
    learning: Learning = field(default_factory=Learning)  # /learn's armed target

