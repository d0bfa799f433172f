"""MIDI notes out: the notes of the clips that play, on the frames the audio plays them.

Each chosen layer gets a channel: a drum kit channel 10 (GM), the others 1-9, 11-16 in
session order. When the engine launches a clip on a layer (an engine event with its
frame and bar), the layer's channel gets All Notes Off and the clip's program at that
frame, then the clip's notes, pass after pass on the bar grid, a quarter of a second
ahead; a stop sends All Notes Off at its frame. Times come from the engine's tempo map,
so notes stay with the audio through tempo changes (a change reschedules from its bar).
Clips rendered by a backend without notes (MusicGen) send nothing.
"""

from __future__ import annotations

__all__ = ["NotesOut", "layer_channels"]

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from livetimbre.controllers.midi.messages import MidiEvent
from livetimbre.controllers.midi.sender import ALL_NOTES_OFF, APPEND, MidiSender
from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.engine.events import EngineEvent, EventKind
from livetimbre.live.surface import SurfaceContext
from livetimbre.music.notes import Part
from livetimbre.session.model import SlotKey

HORIZON_SECONDS = 0.25
REFRESH_SECONDS = 0.005  # how often notes are scheduled up to the horizon
DRUM_CHANNEL = 9
MELODIC_CHANNELS = [c for c in range(16) if c != DRUM_CHANNEL]


def layer_channels(layers: list[str]) -> dict[str, int]:
    """The melodic channel of each layer, in order (a drum kit plays on channel 10)."""
    return {name: MELODIC_CHANNELS[i % len(MELODIC_CHANNELS)] for i, name in enumerate(layers)}


@dataclass
class _Playing:
    start_bar: Fraction  # where the clip's first pass began
    bars: int
    channel: int
    notes: list[tuple[float, float, int, int]]  # start, duration (beats), pitch, velocity
    until_bar: Fraction  # notes before this bar position are scheduled


class NotesOut:
    """Sends the notes of `layers` (all, if empty) on port `port` of `sender`."""

    def __init__(self, ctx: SurfaceContext, sender: MidiSender, port: int,
                 layers: tuple[str, ...]) -> None:
        self._ctx = ctx
        self._clock = ctx.clock
        self.sender = sender
        self.port = port
        self.layers = layers
        self._playing: dict[str, _Playing] = {}
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        self._unsubscribe = self._clock.subscribe(self._engine_events)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        await cancel_and_wait(self._task)

    async def _run(self) -> None:
        while True:
            self.update()
            await asyncio.sleep(REFRESH_SECONDS)

    def _chosen(self, layer: str) -> bool:
        return layer in self.layers if self.layers else True

    def _engine_events(self, events: list[EngineEvent]) -> None:
        """Follow new launches and stops, then schedule their notes."""
        for event in events:
            if event.kind in (EventKind.TEMPO, EventKind.REALIGN):  # frames from there moved
                self._retime(event.bar)
            elif event.kind in (EventKind.LAUNCH, EventKind.SWAP, EventKind.STOP) and (
                self._chosen(event.layer)
            ):
                self._switch(event)
        self.update()

    def update(self) -> None:
        """Schedule notes up to the horizon."""
        engine = self._clock
        transport = engine.transport
        horizon = transport.bar_at(engine.frame + round(HORIZON_SECONDS * engine.sample_rate))
        for layer, playing in self._playing.items():
            if playing.until_bar < horizon:
                events = self._notes(playing, playing.until_bar, horizon)
                playing.until_bar = horizon
                self.sender.schedule(f"notes:{layer}", APPEND, events)

    def _switch(self, event: EngineEvent) -> None:
        """A clip starts or stops on `event.layer` at `event.frame`."""
        layer = event.layer
        previous = self._playing.pop(layer, None)
        events: list[MidiEvent] = []
        if previous is not None:
            events.append((event.frame, 0, self.port,
                           bytes([0xB0 | previous.channel, ALL_NOTES_OFF, 0])))
        part = self._part(event.slot) if event.kind is not EventKind.STOP else None
        if part is not None:
            channel = DRUM_CHANNEL if part.channel == DRUM_CHANNEL else \
                layer_channels([s.name for s in self._ctx.view.session.layers]).get(layer, 0)
            if channel != DRUM_CHANNEL:
                events.append((event.frame, 1, self.port, bytes([0xC0 | channel,
                                                                 part.program & 0x7F])))
            beats_per_bar = self._clock.transport.meter.beats
            self._playing[layer] = _Playing(
                event.bar, max(1, round(part.beats / beats_per_bar)), channel,
                [(n.start, n.duration, n.pitch, n.velocity) for n in part.notes], event.bar)
        # Replaces whatever of this layer was queued from that frame on.
        self.sender.schedule(f"notes:{layer}", event.frame, events)
        if layer in self._playing:
            self._playing[layer].until_bar = event.bar

    def _retime(self, bar: Fraction) -> None:
        """The tempo changed (or Link realigned the bar grid) at `bar`: what was queued
        from there on is rescheduled (note-offs of notes held across the line included)."""
        transport = self._clock.transport
        for layer, playing in self._playing.items():
            if playing.until_bar > bar:
                self.sender.schedule(f"notes:{layer}", transport.frame_at(bar),
                                     self._notes(playing, bar, bar, held=True))
                playing.until_bar = bar

    def _part(self, slot: SlotKey | None) -> Part | None:
        return self._ctx.clip_notes(slot) if slot is not None else None

    def _notes(self, playing: _Playing, start: Fraction, end: Fraction,
               held: bool = False) -> list[MidiEvent]:
        """Note on/off events of the notes that begin in [start, end); with `held`, also
        the note-offs of notes that began before `start` and end after it."""
        transport = self._clock.transport
        beats = transport.meter.beats
        events: list[MidiEvent] = []
        first_pass = math.floor((start - playing.start_bar) / playing.bars) - held
        last_pass = math.floor((end - playing.start_bar) / playing.bars)
        channel = playing.channel
        for index in range(max(0, first_pass), last_pass + 1):
            origin = playing.start_bar + index * playing.bars
            pass_end = origin + playing.bars
            for note_start, duration, pitch, velocity in playing.notes:
                on = origin + Fraction(note_start).limit_denominator(9600) / beats
                off = min(on + Fraction(duration).limit_denominator(9600) / beats, pass_end)
                if start <= on < end:
                    events.append((transport.frame_at(on), 2, self.port,
                                   bytes([0x90 | channel, pitch & 0x7F, velocity & 0x7F])))
                elif not (held and on < start < off):
                    continue
                events.append((transport.frame_at(off), 0, self.port,
                               bytes([0x80 | channel, pitch & 0x7F, 0])))
        return events
