"""Ableton Link figures: how fast a peer's tempo change reaches livetimbre, and how well
the bar phase agrees afterwards.

    python bench/link_bench.py [--runs 8]

Needs root: it runs itself again inside a private network namespace with only loopback
up (`unshare --net`), so nothing goes out on the network. A plain aalink peer and
livetimbre (`--link`, null output) share a session; the peer changes tempo `--runs`
times, each at a random point of its bar. Per change: peer → session tempo (the control
side; Link sends a peer's new state at most every 50 ms), peer → the engine's transport
mirror having it (the engine switches on its next bar line, so up to a bar), peer →
that bar line heard, and the phase error over the bar after it (livetimbre plays the
bar the tempo changes on short or long to land on Link's bar line). Then median / max.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.link_session import (
    BEATS,
    Livetimbre,
    netns_command,
    peer_changes_tempo,
    phase_errors,
    settled,
)

TEMPOS = (128.0, 141.0, 117.5, 133.0, 150.0, 122.0, 138.5, 110.0)


def _stretch_ms(lt: Livetimbre, bar: float, bpm: float) -> float:
    """How much longer (+) or shorter (-) than a bar at `bpm` bar `bar` was played."""
    rate = lt.app.engine.sample_rate
    for event in list(lt.app.engine.events):
        if event.kind == "realign" and event.bar == bar:
            return (int(event.end or 0) - event.frame - rate * 60 * BEATS / bpm) / rate * 1000
    return 0.0


async def run(runs: int) -> None:
    from aalink import Link

    peer = Link(120)
    peer.quantum = BEATS
    peer.enabled = True
    await asyncio.sleep(0.7)  # the peer's session is the older one: livetimbre joins it
    lt = await Livetimbre.start(120)
    rows = []
    try:
        print(f"livetimbre: {'; '.join(lt.lines)}")
        await asyncio.sleep(2 * BEATS * 60 / 120)
        for index in range(runs):
            bpm = TEMPOS[index % len(TEMPOS)]
            phase = random.uniform(0.1, 0.9)
            row = await peer_changes_tempo(lt, peer, bpm, phase)
            await settled(lt, row["engine_bar"])
            errors = await phase_errors(lt, peer, 1)
            row["phase_ms"] = max(abs(e) for e in errors) * 1000
            row["bars"] = row["engine_bar"] - row["heard_bar"]
            row["stretch_ms"] = _stretch_ms(lt, row["engine_bar"], bpm)
            rows.append(row)
            print(f"{bpm:6.1f} BPM at {phase:.2f} of a bar: session {row['to_session_ms']:6.1f} ms,"
                  f" engine transport {row['to_mirror_ms']:7.1f} ms, heard "
                  f"{row['to_engine_ms']:7.1f} ms ({row['bars']:.2f} bar); that bar "
                  f"{row['stretch_ms']:+6.1f} ms, phase after: max {row['phase_ms']:.3f} ms "
                  f"({len(errors)} samples)")
    finally:
        await lt.stop()
        peer.enabled = False
    print(f"over {len(rows)} changes, median / max:")
    for key, what in (("to_session_ms", "peer → session tempo"),
                      ("to_mirror_ms", "peer → engine transport has it"),
                      ("to_engine_ms", "peer → its bar line heard"),
                      ("phase_ms", "bar phase error after (|ms|)")):
        values = [row[key] for row in rows]
        print(f"  {what:32s} {statistics.median(values):8.3f} ms  {max(values):8.3f} ms")
    print(f"  followed within one bar: {sum(row['bars'] < 1 for row in rows)} of {len(rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.inside:
        command = netns_command([sys.executable, __file__, "--inside", "--runs",
                                 str(args.runs)])
        env = dict(os.environ)
        env.setdefault("LIVETIMBRE_HOME", tempfile.mkdtemp(prefix="livetimbre-link-bench-"))
        sys.exit(subprocess.call(command, env=env))
    asyncio.run(run(args.runs))


if __name__ == "__main__":
    main()
