"""Ableton Link (`--link`): tempo and bar phase shared with the apps on the network.

Link's beat is a quarter note and its tempo counts quarter notes per minute, as the
session's does in every meter; the quantum is one bar in quarter notes (4 in 4/4, 3 in
6/8, 3.5 in 7/8), so bar lines agree with every peer's. This module reads the engine's
clock (which frame is heard at which moment) and never owns time (DESIGN §4); it runs on
the asyncio loop and never touches the audio callback.

- Tempo, both ways. A peer's tempo becomes the session tempo (`SetTempo`, from the next
  bar line, as /tempo does), at most every FOLLOW_EVERY seconds while a peer sweeps it.
  A local change (REPL, OSC, patch, /undo) goes to Link when the engine plays it, at
  its bar line. Tempos within TEMPO_TOLERANCE are the same, so nothing echoes back.
  Link carries a tempo as whole microseconds per beat (130 BPM comes back as
  130.00013), so a peer's tempo is rounded to 0.001 BPM.
- Phase. Alone in the session, Link follows livetimbre: its beat is set to livetimbre's
  whenever they part by more than PHASE_TOLERANCE. With peers, livetimbre follows Link:
  when livetimbre's next bar line but one would miss Link's nearest bar line by more
  than PHASE_TOLERANCE, the bar before it is played short or long (engine `Realign`),
  so audio only ever jumps on a bar line.
"""

from __future__ import annotations

__all__ = ["PHASE_TOLERANCE", "TEMPO_TOLERANCE", "LinkSample", "LinkSync", "sample_link"]

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Any

from livetimbre.controllers.tasks import cancel_and_wait
from livetimbre.engine.commands import Realign
from livetimbre.engine.events import EventKind
from livetimbre.errors import ConfigError
from livetimbre.live.boundary import Failure
from livetimbre.live.surface import SurfaceContext
from livetimbre.music.tempo import quarters_per_bar
from livetimbre.session import commands as c

TEMPO_TOLERANCE = 0.01  # BPM
# 1 ms: well under what a listener hears as two apps flamming, and well over the jitter
# of the audio clock's mapping onto the monotonic clock (a few µs with the null output).
PHASE_TOLERANCE = 0.001  # seconds
FOLLOW_EVERY = 0.1  # seconds between two tempo changes followed from a peer
JOIN_SECONDS = 1.0  # how long start() waits for the first peer to answer
MARGIN_SECONDS = 0.05  # a Realign must reach the engine before its bar line is rendered


@dataclass(frozen=True)
class LinkSample:
    """Link's `beat` at monotonic time `moment` (s), at `tempo` BPM."""

    moment: float
    beat: float
    tempo: float

    def beat_at(self, moment: float) -> float:
        return self.beat + (moment - self.moment) * self.tempo / 60

    def time_of(self, beat: float) -> float:
        """The monotonic time at which Link reaches `beat` (at this tempo)."""
        return self.moment + (beat - self.beat) * 60 / self.tempo

    def bar_line_near(self, moment: float, quantum: float) -> float:
        """The time of Link's bar line nearest to `moment`."""
        return self.time_of(round(self.beat_at(moment) / quantum) * quantum)


def sample_link(link: Any, reads: int = 3) -> LinkSample:
    """Link's beat now, bracketed by the monotonic clock: of `reads` reads, the one
    whose bracket is tightest (Link reads its own clock, which is not the monotonic one)."""
    best: tuple[float, float, float] | None = None
    for _ in range(reads):
        before = time.monotonic()
        beat = float(link.beat)
        after = time.monotonic()
        if best is None or after - before < best[0]:
            best = (after - before, (before + after) / 2, beat)
    assert best is not None
    return LinkSample(best[1], best[2], float(link.tempo))


def _same_tempo(tempo: float | None, bpm: float) -> bool:
    return tempo is not None and abs(tempo - bpm) <= TEMPO_TOLERANCE


def _peers(count: int) -> str:
    return f"{count} peer{'' if count == 1 else 's'}"


class LinkSync:
    """Keeps one App's tempo and bar phase in an Ableton Link session."""

    def __init__(self, ctx: SurfaceContext, interval: float = 0.02) -> None:
        try:
            from aalink import Link
        except ImportError:
            raise ConfigError("--link needs the aalink package: install aalink "
                              "(pip install aalink).") from None
        self._new_link = Link
        self._ctx = ctx
        self._clock = ctx.clock
        self._interval = interval
        self._quantum = float(quarters_per_bar(ctx.clock.transport.meter))
        self._link: Any = None
        self._task: asyncio.Task[None] | None = None
        self._session_tempo = ctx.view.session.tempo  # the last one seen, to spot local changes
        self._peer_tempo: float | None = None  # a peer's tempo not yet followed
        self._refused: float | None = None  # a peer's tempo the session cannot take
        self._followed_at = -math.inf
        self._outgoing: float | None = None  # a local tempo for Link once the engine plays it
        self._wake_at = 0.0  # when _send_local_tempo looks again for the engine's tempo event
        self._settle_until = 0  # no phase check until the engine renders this frame

    @property
    def peers(self) -> int:
        return int(self._link.num_peers) if self._link is not None else 0

    async def start(self) -> str:
        """Join the session (waiting up to JOIN_SECONDS for a peer); returns a line about it."""
        link = self._new_link(self._ctx.view.session.tempo)
        link.quantum = self._quantum
        link.set_tempo_callback(self._tempo_from_link)
        link.set_num_peers_callback(self._peers_changed)
        link.enabled = True
        self._link = link
        self._task = asyncio.create_task(self._run())
        deadline = time.monotonic() + JOIN_SECONDS
        while link.num_peers == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return f"Ableton Link: {_peers(self.peers)}, {round(float(link.tempo), 3):g} BPM"

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None
        link, self._link = self._link, None
        if link is not None:
            link.enabled = False
            await asyncio.sleep(0.05)  # Link's last callbacks land while the loop runs

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            outcome = self._ctx.control.boundary.run("Ableton Link", self.update)
            if isinstance(outcome, Failure):  # a bug or a dead audio process: say so, play on
                self._ctx.say(f"Ableton Link: stopped following tempo and phase: "
                              f"{outcome.message}")
                return

    def update(self) -> None:
        """One look at both clocks: tempo either way, then the phase."""
        self._follow_tempo()
        self._send_local_tempo()
        self._keep_phase()

    # --- tempo ------------------------------------------------------------------------
    def _tempo_from_link(self, tempo: float) -> None:
        if self._link is None:
            return
        self._peer_tempo = round(tempo, 3)
        self._follow_tempo()

    def _peers_changed(self, count: int) -> None:
        if self._link is not None:
            self._ctx.say(f"Ableton Link: {_peers(count)}")

    def _follow_tempo(self) -> None:
        """A peer's tempo → the session tempo (the engine plays it from the next bar)."""
        bpm = self._peer_tempo
        if bpm is None or bpm == self._refused:
            return
        if abs(bpm - self._ctx.view.session.tempo) <= TEMPO_TOLERANCE:
            self._peer_tempo = None
            return
        now = time.monotonic()
        if now - self._followed_at < FOLLOW_EVERY:
            return  # the next update follows the latest
        self._followed_at = now
        self._peer_tempo = None
        self._outgoing = None  # the peer's change is the newer one
        reply = self._ctx.control.perform(lambda: c.SetTempo(bpm), "Link")
        if reply.error:
            self._refused = bpm
            self._ctx.say(f"Ableton Link: not following the session's tempo ({reply.text}); "
                          "bar phase is not kept until the tempos agree again.")
            return
        self._session_tempo = self._ctx.view.session.tempo
        self._keep_phase()  # the bar the new tempo starts on may need stretching

    def _send_local_tempo(self) -> None:
        """A local tempo change → Link, at the moment its bar line is heard."""
        tempo = self._ctx.view.session.tempo
        if tempo != self._session_tempo:
            self._session_tempo = tempo
            self._outgoing = tempo
            self._refused = None
        bpm = self._outgoing
        engine = self._clock
        if bpm is None or self._link is None or engine.epoch_ns == 0:
            return
        loop = asyncio.get_running_loop()
        applied = next((e for e in reversed(list(engine.events)) if e.kind is EventKind.TEMPO),
                       None)
        if applied is None or not _same_tempo(applied.tempo, bpm) or not _same_tempo(
            engine.transport.tempo, bpm
        ):
            # Not played yet: look again as the next bar line is heard (rendered ahead of
            # being heard, its event is in by then), not only at the next update.
            heard = engine.frame_heard_at(time.monotonic())
            moment = engine.heard_at(engine.transport.next_boundary(heard + 1, "1M")[0])
            if moment != self._wake_at:
                self._wake_at = moment
                loop.call_at(moment, self._send_local_tempo)
            return
        self._outgoing = None
        loop.call_at(engine.heard_at(applied.frame), self._set_link_tempo, bpm)

    def _set_link_tempo(self, bpm: float) -> None:
        link = self._link
        if link is None or abs(self._ctx.view.session.tempo - bpm) > TEMPO_TOLERANCE:
            return  # stopped, or a peer's newer tempo came in meanwhile
        if abs(float(link.tempo) - bpm) > TEMPO_TOLERANCE:
            link.tempo = bpm

    # --- phase --------------------------------------------------------------------------
    def _keep_phase(self) -> None:
        link = self._link
        if link is None or self._clock.epoch_ns == 0:
            return
        sample = sample_link(link)
        if abs(sample.tempo - self._ctx.view.session.tempo) > TEMPO_TOLERANCE:
            return  # the tempos are not shared (yet): no phase to keep
        if link.num_peers == 0:
            self._lead(link, sample)
        else:
            self._realign(sample)

    def _lead(self, link: Any, sample: LinkSample) -> None:
        """Alone in the session: Link's beat follows livetimbre's."""
        engine = self._clock
        ours = float(engine.transport.bar_at(engine.frame_heard_at(sample.moment)))
        apart = (ours * self._quantum - sample.beat + self._quantum / 2) % self._quantum
        if abs(apart - self._quantum / 2) * 60 / sample.tempo <= PHASE_TOLERANCE:
            return
        now = float(engine.transport.bar_at(engine.frame_heard_at(time.monotonic())))
        link.request_beat(now * self._quantum)

    def _realign(self, sample: LinkSample) -> None:
        """With peers: stretch livetimbre's next bar so the bar line after it is Link's."""
        engine = self._clock
        if engine.frame < self._settle_until:
            return  # the last realign has not been played yet
        transport = engine.transport
        rate = engine.sample_rate
        bar = math.ceil(transport.bar_at(engine.frame + round(MARGIN_SECONDS * rate)))
        start = transport.frame_at(bar)
        nominal_end = start + round(rate * 60 * self._quantum / self._ctx.view.session.tempo)
        ours = engine.heard_at(nominal_end)
        theirs = sample.bar_line_near(ours, self._quantum)
        if abs(ours - theirs) <= PHASE_TOLERANCE:
            return
        end = engine.frame_heard_at(theirs)
        self._ctx.realign(Realign(bar, end))
        self._settle_until = max(end, nominal_end)
