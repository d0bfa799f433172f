"""livetimbre and plain aalink peers in one Ableton Link session, in a private network
namespace (nothing leaves the machine).

    unshare -n sh -c 'ip link set lo up && exec python -m tests.e2e.link_session OUT.json [METER]'

`netns_command` builds that command line; `tests/e2e/test_link.py` runs it and checks
the JSON report, `bench/link_bench.py` uses the same pieces. Phase is measured here
independently of livetimbre's Link code: the peer's beat, read between two readings of
the monotonic clock, against the bar position of the frame heard at that moment.
"""

from __future__ import annotations

import asyncio
import functools
import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from livetimbre.app import App, AppOptions
from livetimbre.config import Settings
from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
from livetimbre.genres import load_genres
from livetimbre.music.tempo import quarters_per_bar
from livetimbre.music.theory import parse_meter
from livetimbre.patch import parse_patch
from livetimbre.session import commands as c
from tests.e2e.test_live_audio import until as wait_until

REPO = Path(__file__).resolve().parents[2]
BEATS = 4  # 4/4: Link's quantum is one bar in quarter notes
PATCH = """
session: {{genre: house, tempo: {tempo}, meter: {meter}, key: A minor, seed: 3, bars: 1}}
layers:
  drums: {{}}
scenes:
  - name: a
    clips: {{drums: "four on the floor"}}
"""


def netns_command(argv: list[str]) -> list[str]:
    """`argv` run in a new network namespace with only loopback, up."""
    inner = "ip link set lo up && exec " + shlex.join(argv)
    return ["unshare", "--net", "sh", "-c", inner]


class Livetimbre:
    """A started App with `--link` (output null), and when its session tempo changed."""

    def __init__(self, app: App, surfaces: Surfaces, lines: list[str]) -> None:
        self.app = app
        self.surfaces = surfaces
        self.lines = lines
        self.tempo_changes: list[tuple[float, float]] = []  # (monotonic time, bpm)
        self.quantum = float(quarters_per_bar(parse_meter(app.session.meter)))
        app.history.listen(lambda old, new: self._changed(old.tempo, new.tempo))

    def _changed(self, old: float, new: float) -> None:
        if new != old:
            self.tempo_changes.append((time.monotonic(), new))

    @classmethod
    async def start(cls, tempo: float, meter: str = "4/4") -> Livetimbre:
        genres = load_genres()
        session = parse_patch(PATCH.format(tempo=tempo, meter=meter), "link.yaml", genres)
        app = App(Settings.from_env(), genres, session, AppOptions(output="null", workers=1))
        surfaces = Surfaces(app.surface_context(), SurfaceOptions(link=True))
        await app.start()
        lines = await surfaces.start()
        return cls(app, surfaces, lines)

    async def stop(self) -> None:
        await self.surfaces.stop()
        await self.app.stop()

    def bar_at(self, moment: float) -> float:
        """livetimbre's bar position heard at monotonic time `moment`."""
        engine = self.app.engine
        return float(engine.transport.bar_at(engine.frame_heard_at(moment)))

    def tempo_events(self) -> list[Any]:
        return [e for e in list(self.app.engine.events) if e.kind == "tempo"]

    def realigns(self) -> int:
        return sum(e.kind == "realign" for e in list(self.app.engine.events))


def peer_beat(peer: Any) -> tuple[float, float]:
    """(moment, beat): the peer's beat and the monotonic time it was read at (±1 µs)."""
    reads = []
    for _ in range(3):
        before = time.monotonic()
        beat = float(peer.beat)
        after = time.monotonic()
        reads.append((after - before, (before + after) / 2, beat))
    _, moment, beat = min(reads)
    return moment, beat


def phase_error(lt: Livetimbre, peer: Any) -> float:
    """Seconds by which livetimbre's bar phase is ahead of the peer's."""
    moment, beat = peer_beat(peer)
    q = lt.quantum
    apart = (lt.bar_at(moment) * q - beat + q / 2) % q - q / 2
    return apart * 60 / float(peer.tempo)


# Polled every 2 ms: some conditions (a moment in the bar) hold only briefly.
until = functools.partial(wait_until, timeout=10.0, poll=0.002)


async def phase_errors(lt: Livetimbre, peer: Any, bars: float) -> list[float]:
    """The phase error every 20 ms for `bars` bars, in seconds."""
    errors = []
    end = time.monotonic() + bars * lt.quantum * 60 / float(peer.tempo)
    while time.monotonic() < end:
        errors.append(phase_error(lt, peer))
        await asyncio.sleep(0.02)
    return errors


async def settled(lt: Livetimbre, bar: float) -> None:
    """Wait until bar `bar` + 1 is heard: bar `bar` may be the stretched one."""
    await until(lambda: lt.bar_at(time.monotonic()) >= bar + 1.02, f"bar {bar + 1}", timeout=15)


async def peer_changes_tempo(lt: Livetimbre, peer: Any, bpm: float,
                             phase: float = 0.5) -> dict[str, float]:
    """The peer sets `bpm` at `phase` of its bar; returns how livetimbre followed."""
    await until(lambda: abs(peer.phase / lt.quantum - phase) < 0.05, f"phase {phase} of a bar")
    known = len(lt.tempo_events())
    heard_bar = lt.bar_at(time.monotonic())
    changed_at = time.monotonic()
    peer.tempo = bpm
    await until(lambda: len(lt.tempo_events()) > known, "the engine's tempo change")
    observed_at = time.monotonic()
    event = lt.tempo_events()[-1]
    session_at = next(t for t, tempo in reversed(lt.tempo_changes) if tempo == event_bpm(event))
    return {"bpm": event_bpm(event), "heard_bar": heard_bar, "engine_bar": float(event.bar),
            "to_session_ms": (session_at - changed_at) * 1000,
            "to_engine_ms": (lt.app.engine.heard_at(event.frame) - changed_at) * 1000,
            "to_mirror_ms": (observed_at - changed_at) * 1000}


def event_bpm(event: Any) -> float:
    return float(event.tempo)


async def scenario(meter: str = "4/4") -> dict[str, Any]:
    """Every part in 4/4; in another meter, parts 1 and 2 (the quantum is the bar in
    quarter notes, 3.5 in 7/8)."""
    report: dict[str, Any] = {"meter": meter}
    # 1. livetimbre (100 BPM) is the first peer: a newcomer (140 BPM) takes its tempo and
    # bar phase, and livetimbre's bars do not move.
    lt = await Livetimbre.start(100, meter)
    try:
        report["lines"] = lt.lines
        report["quantum"] = lt.quantum
        lt.app.execute(c.LaunchScene("a"))  # a clip plays (once rendered) through it all
        await asyncio.sleep(0.2)  # livetimbre's session is now over Link's 0.5 s older
        peer = _peer(140, lt.quantum)
        await until(lambda: peer.num_peers > 0 and abs(peer.tempo - 100) < 0.01,
                    "the newcomer on livetimbre's tempo")
        report["first"] = {"peer_bpm": float(peer.tempo),
                           "phase_ms": _ms(await phase_errors(lt, peer, 1)),
                           "realigns": lt.realigns(), "tempo_changes": len(lt.tempo_events())}

        # 2. The peer changes tempo mid-bar: livetimbre follows at its next bar line.
        follow = await peer_changes_tempo(lt, peer, 160)
        await settled(lt, follow["engine_bar"])
        follow["phase_ms"] = _ms(await phase_errors(lt, peer, 1))
        report["follow"] = follow
        if meter != "4/4":
            peer.enabled = False
            report["engine_errors"] = lt.app.engine.errors
            return report

        # 3. A local tempo change reaches the peer when livetimbre plays it.
        heard: list[tuple[float, float]] = []
        peer.set_tempo_callback(lambda bpm: heard.append((time.monotonic(), bpm)))
        await until(lambda: 0.45 < lt.bar_at(time.monotonic()) % 1 < 0.55, "mid-bar")
        realigns = lt.realigns()
        commanded_at = time.monotonic()
        lt.app.execute(c.SetTempo(150))
        await until(lambda: heard and abs(heard[-1][1] - 150) < 0.01, "the peer's new tempo")
        event = lt.tempo_events()[-1]
        bar_heard_at = lt.app.engine.heard_at(event.frame)
        await settled(lt, float(event.bar))
        report["local"] = {"peer_bpm": heard[-1][1], "engine_bpm": event_bpm(event),
                           "bar_s": 60 * lt.quantum / 160,
                           "to_peer_s": heard[-1][0] - commanded_at,
                           "peer_vs_bar_line_ms": (heard[-1][0] - bar_heard_at) * 1000,
                           "phase_ms": _ms(await phase_errors(lt, peer, 1)),
                           "realigns": lt.realigns() - realigns}

        # 4. livetimbre leaves; the peer goes on alone at 120 BPM (out of phase with
        # livetimbre by now); livetimbre joins its session again and takes both.
        link = lt.surfaces.link
        assert link is not None
        await link.stop()
        await until(lambda: peer.num_peers == 0, "livetimbre gone")
        peer.tempo = 120
        await asyncio.sleep(0.3)
        known, realigns = len(lt.tempo_events()), lt.realigns()
        apart = phase_error(lt, peer) * 1000
        line = await link.start()
        # Finding the peer again takes Link's discovery, which once took over 10 s in CI.
        await until(lambda: len(lt.tempo_events()) > known, "the joined session's tempo",
                    timeout=30)
        joined = lt.tempo_events()[-1]
        await settled(lt, float(joined.bar))
        report["join"] = {"line": line, "bpm": event_bpm(joined), "apart_before_ms": apart,
                          "phase_ms": _ms(await phase_errors(lt, peer, 1)),
                          "realigns": lt.realigns() - realigns}
        peer.enabled = False
        report["engine_errors"] = lt.app.engine.errors
    finally:
        await lt.stop()
    return report


def _peer(tempo: float, quantum: float = BEATS) -> Any:
    from aalink import Link

    peer = Link(tempo)
    peer.quantum = quantum
    peer.enabled = True
    return peer


def _ms(errors: list[float]) -> dict[str, float]:
    """Worst and mean phase error, in ms, and how many samples."""
    return {"max": max(abs(e) for e in errors) * 1000,
            "mean": sum(errors) / len(errors) * 1000, "samples": len(errors)}


def main() -> None:
    report = asyncio.run(scenario(*sys.argv[2:3]))
    Path(sys.argv[1]).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
