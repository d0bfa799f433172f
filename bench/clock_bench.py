"""MIDI clock out: tick timing at the sender and tick count against the engine's frames.

Starts its own `jackd -d dummy -r 48000 -p 64` (JACK MIDI as the transport), plays the
demo patch's first scene and sends MIDI clock to a JACK MIDI receiver for `--minutes`.
Prints, at the sender, each tick's lateness (sent − due, where due is the moment its
frame is heard) and the spread of the intervals between ticks; and the number of ticks
sent against the number the engine's frames call for (drift).

    .venv/bin/python bench/clock_bench.py --minutes 10
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.jack import start_jack, stop_jack
from tests.e2e.midi_device import JACK_MIDI, TimedReceiver


async def run(minutes: float) -> None:
    from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
    from livetimbre.session import commands as c
    from tests.e2e.test_live_audio import _all_ready, _app, until

    sink = TimedReceiver("clock sink")
    app = _app()
    await app.start()
    surfaces = Surfaces(app.surface_context(), SurfaceOptions(clock_out="clock sink"))
    await surfaces.start()
    await until(lambda: _all_ready(app), "renders")
    app.execute(c.LaunchScene(1))
    started = time.monotonic()
    while time.monotonic() - started < minutes * 60:
        await asyncio.sleep(1)
    await surfaces.stop()
    stats = surfaces.midi_out.stats if surfaces.midi_out else None
    transport = app.engine.transport
    underruns = app.output.underruns if app.output else -1
    await app.stop()
    sink.close()
    assert stats is not None and len(stats.tick_sent_ns) > 2
    late = [(s - d) / 1e6 for d, s in zip(stats.tick_due_ns, stats.tick_sent_ns, strict=True)]
    sent = [s / 1e6 for s in stats.tick_sent_ns]
    due = [d / 1e6 for d in stats.tick_due_ns]
    jitter = [(b - a) - (y - x) for (a, b), (x, y) in
              zip(itertools.pairwise(sent), itertools.pairwise(due), strict=True)]
    # Drift against the engine's frames: does the lateness (sent - moment its frame is
    # heard) grow over the run? In ticks. (Against the wall clock the JACK dummy
    # driver's own drift would show, which the ticks must follow, not correct.)
    period = 60_000 / (transport.tempo * 24)
    edge = min(200, len(late) // 4)
    drift = (statistics.mean(late[-edge:]) - statistics.mean(late[:edge])) / period
    print(f"{len(late)} ticks in {minutes:g} min at {transport.tempo:g} BPM "
          f"(JACK dummy, 64 frames); underruns {underruns}")
    print(f"lateness at the sender (ms): mean {statistics.mean(late):.3f}  "
          f"std {statistics.pstdev(late):.3f}  max {max(late):.3f}  "
          f"over 1 ms: {sum(x > 1 for x in late)}")
    print(f"tick interval error (ms): std {statistics.pstdev(jitter):.3f}  "
          f"max {max(map(abs, jitter)):.3f}")
    print(f"drift against the engine's frames over the run: {drift:+.5f} ticks "
          f"({drift * period:+.3f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["LIVETIMBRE_HOME"] = home
        os.environ["MIDO_BACKEND"] = JACK_MIDI
        server = start_jack(f"livetimbre-clock-bench-{os.getpid()}",
                            Path(home) / "jackd.log", 48000, 64)
        try:
            asyncio.run(run(args.minutes))
        finally:
            stop_jack(server)


if __name__ == "__main__":
    main()
