"""MIDI clock: out (24 PPQN, start/stop, song position) and in (tempo, start/stop).

Clock out never runs on a timer of its own: every tick is the frame on which its
position in the bar falls, by the engine's tempo map, and the sender process sends it
when that frame is heard. Ticks are scheduled a quarter of a second ahead; a tempo
change (applied by the engine at a bar line) reschedules the ticks from that bar.
The transport is "playing" while any layer plays: the first launch sends Start, a later
one Song Position + Continue, and the last layer stopping sends Stop, each on the
frame where it happens.

Clock in follows another device: the tempo measured over the last two beats of ticks
becomes the session tempo (from the next bar, as /tempo does) when it moves by more
than TEMPO_STEP; Start launches scene 1, Continue relaunches the last scene launched,
Stop stops every layer, each at the next quantization boundary.
"""

from __future__ import annotations

__all__ = ["ClockIn", "ClockOut", "ticks_per_bar"]

import asyncio
import math
from collections import deque
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from livetimbre.controllers.midi.messages import MidiEvent
from livetimbre.controllers.midi.sender import MidiSender
from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.errors import LivetimbreError
from livetimbre.live.boundary import Failure
from livetimbre.live.surface import SurfaceContext
from livetimbre.music.theory import Meter
from livetimbre.session import commands as c
from livetimbre.system.midi_ports import MidiInput

PPQN = 24
TICK, START, CONTINUE, STOP, SONG_POSITION = 0xF8, 0xFA, 0xFB, 0xFC, 0xF2
HORIZON_SECONDS = 0.25
REFRESH_SECONDS = 0.005  # how often ticks are scheduled up to the horizon
TEMPO_WINDOW = 2 * PPQN  # ticks whose spacing gives the incoming tempo
TEMPO_STEP = 0.1  # BPM: smaller changes of the incoming tempo are measurement noise


def ticks_per_bar(meter: Meter) -> int:
    """MIDI clock ticks in one bar: 24 per quarter note."""
    ticks = Fraction(PPQN * 4 * meter.beats, meter.unit)
    if ticks.denominator != 1:
        raise LivetimbreError(f"MIDI clock cannot count a {meter} bar in whole ticks.")
    return int(ticks)


class ClockOut:
    """Sends MIDI clock on port `port` of `sender`, following the engine."""

    def __init__(self, ctx: SurfaceContext, sender: MidiSender, port: int) -> None:
        self._ctx = ctx
        self._clock = ctx.clock
        self.sender = sender
        self.port = port
        self.ticks_per_bar = ticks_per_bar(ctx.clock.transport.meter)
        self.playing = False
        self.started_at_bar: Fraction | None = None  # where the first Start was sent
        self._next_tick = 0
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        engine = self._clock
        bar = engine.transport.bar_at(engine.frame)
        self._next_tick = math.ceil(bar * self.ticks_per_bar)
        self._unsubscribe = engine.subscribe(self._engine_events)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> list[tuple[int, bytes]]:
        """Stop scheduling; returns the messages to send last (Stop, if playing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        await cancel_and_wait(self._task)
        return [(self.port, bytes([STOP]))] if self.playing else []

    async def _run(self) -> None:
        while True:
            self.update()
            await asyncio.sleep(REFRESH_SECONDS)

    def _engine_events(self, events: list[EngineEvent]) -> None:
        """Follow the engine's new events, then schedule the ticks they moved."""
        for event in events:
            self._follow(event)
        self.update()

    def update(self) -> None:
        """Schedule ticks up to the horizon."""
        engine = self._clock
        transport = engine.transport
        horizon = engine.frame + round(HORIZON_SECONDS * engine.sample_rate)
        first = self._next_tick
        events: list[MidiEvent] = []
        while (frame := transport.frame_at(Fraction(self._next_tick, self.ticks_per_bar))) \
                < horizon:
            events.append((frame, 2, self.port, bytes([TICK])))
            self._next_tick += 1
        if events:
            start = transport.frame_at(Fraction(first, self.ticks_per_bar))
            self.sender.schedule("clock", start, events)

    def _follow(self, event: EngineEvent) -> None:
        if event.kind in (EventKind.TEMPO, EventKind.REALIGN):  # ticks from that bar on moved
            self._next_tick = min(self._next_tick, math.ceil(event.bar * self.ticks_per_bar))
            return
        view = self._ctx.view
        playing = any(view.playing(layer.name) for layer in view.session.layers)
        if playing == self.playing:
            return
        self.playing = playing
        if not playing:
            messages = [bytes([STOP])]
        elif self.started_at_bar is None:
            self.started_at_bar = event.bar
            messages = [bytes([START])]
        else:
            sixteenths = (event.bar - self.started_at_bar) * self.ticks_per_bar // 6
            position = int(sixteenths) % 16384
            messages = [bytes([SONG_POSITION, position & 0x7F, position >> 7]),
                        bytes([CONTINUE])]
        self.sender.schedule("transport", event.frame, [
            (event.frame, order, self.port, data) for order, data in enumerate(messages)])


class ClockIn:
    """Follows the MIDI clock arriving on an input port."""

    def __init__(self, ctx: SurfaceContext, port: str) -> None:
        self._ctx = ctx
        self.port = port
        self.tempo: float | None = None  # the last tempo measured
        self._input: MidiInput | None = None
        self._ticks: deque[float] = deque(maxlen=TEMPO_WINDOW + 1)
        self._count = 0
        self._last_scene: int | None = None

    def start(self) -> None:
        self._input = MidiInput(self.port, "clock in", self._guarded, timed=True)

    def stop(self) -> None:
        if self._input is not None:
            self._input.close()
            self._input = None

    def _guarded(self, message: Any, stamp: float) -> None:
        outcome = self._ctx.control.boundary.run(
            f"clock in MIDI {message}", lambda: self._received(message, stamp))
        if isinstance(outcome, Failure):
            self._ctx.say(f"clock in: {outcome.message}")

    def _received(self, message: Any, stamp: float) -> None:
        """Ticks give the tempo (by their timestamps, not by when they are read)."""
        if message.type == "clock":
            self._ticks.append(stamp)
            self._count += 1
            if self._count % PPQN == 0 and len(self._ticks) == self._ticks.maxlen:
                spacing = (self._ticks[-1] - self._ticks[0]) / TEMPO_WINDOW
                if spacing > 0:
                    self._follow_tempo(60.0 / (PPQN * spacing))
        elif message.type in ("start", "continue", "stop"):
            self._follow_transport(message.type)

    def _follow_tempo(self, bpm: float) -> None:
        self.tempo = bpm
        if abs(bpm - self._ctx.view.session.tempo) > TEMPO_STEP:
            self._execute(lambda: c.SetTempo(round(bpm, 1)))  # out of range: said, not raised

    def _follow_transport(self, kind: str) -> None:
        if kind == "stop":
            self._execute(c.StopAll())
        elif kind == "continue" and self._last_scene is not None:
            self._execute(c.LaunchScene(self._last_scene))
        else:
            self._last_scene = 1
            self._execute(c.LaunchScene(1))

    def _execute(self, command: c.Command | Callable[[], c.Command]) -> None:
        reply = self._ctx.control.perform(command, "clock in")
        if reply.error:
            self._ctx.say(f"clock in: {reply.text}")
