"""The real prompt_toolkit REPL, driven through pipe input, on a started App."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from fractions import Fraction
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.plain_text import PlainTextOutput

from livetimbre.app import App
from livetimbre.repl.shell import run_repl
from livetimbre.session.model import SlotKey, SlotState
from tests.live._support import make_app, started, until, write_patch

# drums × one starts empty: the REPL fills it.
PATCH = """\
session: {genre: house, tempo: 124, key: A minor, seed: 5, quantize: 1M, bars: 1}
layers:
  drums: {}
  bass: {gain: -2}
scenes:
  - name: one
    clips: {bass: "offbeat bass"}
  - name: two
    clips: {drums: "four on the floor"}
"""


class Repl:
    """A running `run_repl` task, its pipe input and everything it printed."""

    def __init__(self, task: asyncio.Task[None], pipe: PipeInput, printed: io.StringIO) -> None:
        self.task = task
        self.pipe = pipe
        self._printed = printed

    def send(self, text: str) -> None:
        self.pipe.send_text(text)

    @property
    def printed(self) -> str:
        return self._printed.getvalue()

    async def alive_after(self, seconds: float) -> bool:
        await asyncio.sleep(seconds)
        return not self.task.done()

    async def ended(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(asyncio.shield(self.task), timeout)


@asynccontextmanager
async def repl(app: App) -> AsyncIterator[Repl]:
    printed = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe,
                                                         output=PlainTextOutput(printed)):
        task = asyncio.create_task(run_repl(app.surface_context(), input=pipe, output=DummyOutput(),
                                            history=False))
        try:
            yield Repl(task, pipe, printed)
        finally:
            if not task.done():
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def _watch_states(read: Callable[[], SlotState], seen: list[SlotState]) -> None:
    while True:
        state = read()
        if not seen or seen[-1] is not state:
            seen.append(state)
        await asyncio.sleep(0.01)


def test_repl_clip_launch_and_tempo_reach_the_engine_then_quit(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, PATCH))

    async def scenario() -> None:
        async with started(app), repl(app) as shell:
            engine = app.engine
            assert engine.transport.tempo == 124.0
            assert app.views.slot_view("drums", 0).state is SlotState.EMPTY

            sent_at = engine.frame
            shell.send("/tempo 120\r")
            await until(lambda: app.session.tempo == 120.0, 10, "the session tempo 120")
            seen: list[SlotState] = []
            watcher = asyncio.create_task(
                _watch_states(lambda: app.views.slot_view("drums", 0).state, seen))
            try:
                shell.send('/clip drums 1 "driving beat"\r')
                await until(lambda: "drums" in app.session.scenes[0].clips, 10, "the clip")
                shell.send("/launch drums 1\r")
                await until(lambda: seen[-1:] == [SlotState.PLAYING], 40,
                            lambda: f"drums@one PLAYING; states seen {seen}")
                await asyncio.sleep(0.3)
            finally:
                watcher.cancel()
            assert seen[0] in (SlotState.EMPTY, SlotState.QUEUED, SlotState.RENDERING), seen
            before_playing = seen[:seen.index(SlotState.PLAYING)]
            assert {SlotState.RENDERING, SlotState.QUEUED} & set(before_playing), seen
            assert seen[-1] is SlotState.PLAYING, seen
            assert SlotState.FAILED not in seen, seen
            assert app.views.playing("drums") == SlotKey("drums", "one")

            # The tempo changes at a bar line after the command, not at once.
            await until(lambda: engine.transport.tempo == 120.0, 10, "engine tempo 120")
            tempo_events = [e for e in list(engine.events) if e.kind == "tempo"]
            assert len(tempo_events) == 1
            event = tempo_events[0]
            assert event.tempo == 120.0
            assert Fraction(event.bar).denominator == 1
            assert event.frame > sent_at
            assert event.frame == engine.transport.frame_at(event.bar)
            bar_at_124 = 4 * 60 * engine.sample_rate / 124
            assert event.frame - sent_at < bar_at_124 + engine.sample_rate // 2, (
                "the tempo changed later than the first bar line after /tempo")

            shell.send("/quit\r")
            await shell.ended()
            assert "bye" in shell.printed
            assert "tempo 120 BPM from the next bar" in shell.printed
            assert "launches" in shell.printed

    asyncio.run(scenario())


def test_repl_survives_bad_lines_and_ctrl_c_and_ends_on_ctrl_d(tmp_path: Path) -> None:
    app = make_app(write_patch(tmp_path, PATCH))

    async def scenario() -> None:
        async with started(app), repl(app) as shell:
            original = app.session
            shell.send("/tempo 0\r")
            assert await shell.alive_after(0.5)
            assert app.session == original
            assert app.session.tempo == 124.0
            # The validator kept the bad line for editing; Ctrl-C clears it.
            shell.send("\x03")
            assert await shell.alive_after(0.3)
            shell.send("/tempo 126\r")
            await until(lambda: app.session.tempo == 126.0, 10,
                        lambda: f"tempo 126 after Ctrl-C; printed {shell.printed!r}")

            # A line that parses but cannot be performed: an error, and the loop goes on.
            shell.send("/launch nosuchlayer 1\r")
            await until(lambda: "error: Unknown layer 'nosuchlayer'" in shell.printed, 10,
                        lambda: f"the unknown-layer error; printed {shell.printed!r}")
            assert await shell.alive_after(0.2)
            assert app.session.tempo == 126.0

            shell.send("/tempo 12")  # half-typed: Ctrl-D does not end the REPL there ...
            shell.send("\x04")
            assert await shell.alive_after(0.3)
            shell.send("\x03")  # ... and Ctrl-C drops the line, never the session
            assert await shell.alive_after(0.5)
            assert app.session.tempo == 126.0

            shell.send("\x04")  # Ctrl-D on an empty line
            await shell.ended()
            assert app.session.tempo == 126.0

    asyncio.run(scenario())
