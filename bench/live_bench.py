"""Live performance figures on a real-time clock (a JACK server with the dummy driver).

    python bench/live_bench.py [--minutes 10] [--floor-minutes M] [--layers 8] [--fx]

Prints: the machine's floor — the xruns of the same JACK server while JACK's trivial C
client `jack_simple_client` plays alone on the same audio CPU, half right before the
soak and half right after, as long in all as the soak (`--floor-minutes`, default
`--minutes`; 0 skips it); audio callback time per 256-frame block (p50 / p99 / p99.9 /
max; target p99.9 <= 1.33 ms, aim <= 0.27 ms) with 8 layers playing; underruns during a
soak with continuous re-renders (`--rerender-every`; target: the floor), beside the
server's xruns in the same minutes (counted as for the floor), when they came in the
re-render cycle and whom the server's log blames; REPL line → launch scheduled in the
engine's queue (target <= 1 ms) and → first audible sample (<= one quantization period
+ one block). Starts its own `jackd -d dummy -r 48000 -p 256` (on the audio CPU of
`--audio-cpu`) unless JACK_DEFAULT_SERVER names a running one.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.jack_floor import XrunCounter, how_to_get_simple_client, late_clients, measure_floor
from tests.e2e.jack import JackServer, start_jack, stop_jack

RATE = 48000
BLOCK = 256
PATCH = """
session: {{genre: techno, tempo: 128, key: F minor, seed: 1, bars: 2}}
layers:
{layers}
scenes:
  - name: a
    clips:
{clips}
"""
ROLES = ["drums", "bass", "chords", "pad", "lead", "arp", "texture", "keys", "perc", "fx"]


def _start_jack(audio_cpu: str) -> JackServer | None:
    """A private dummy-driver server, unless JACK_DEFAULT_SERVER names a running one."""
    if os.environ.get("JACK_DEFAULT_SERVER"):
        return None
    log = Path(tempfile.gettempdir()) / f"livetimbre-bench-jackd-{os.getpid()}.log"
    return start_jack(f"livetimbre-bench-{os.getpid()}", log, RATE, BLOCK, audio_cpu)


async def _turn_knobs(app: object, names: list[str]) -> None:
    """`--fx`: a cutoff knob turned without pause (50 values a second, one layer after
    another) and the master's stutter pressed for a second every eight."""
    step = 0
    while True:
        layer = names[step % len(names)]
        hz = 1500 * 2 ** (2 * math.sin(step / 40))
        app.control.run_line(f"/fx {layer} cutoff {hz:.0f}", "bench")  # type: ignore[attr-defined]
        if step % 400 in (0, 50):
            stutter = "1/16" if step % 400 == 0 else "off"
            app.control.run_line(f"/fx master stutter {stutter}", "bench")  # type: ignore[attr-defined]
        step += 1
        await asyncio.sleep(0.02)


async def run(minutes: float, layer_count: int, workers: int, audio_cpu: str,
              jack: JackServer | None, every: float = 4.0, fx: bool = False) -> None:

    from livetimbre.app import App, AppOptions
    from livetimbre.config import Settings
    from livetimbre.engine.mixer import LoopClip
    from livetimbre.genres import load_genres
    from livetimbre.patch import parse_patch
    from livetimbre.render.jobs import JobState
    from livetimbre.session import commands as c
    from livetimbre.session.model import SlotKey

    names = ROLES[:layer_count]
    text = PATCH.format(layers="\n".join(f"  {n}: {{}}" for n in names),
                        clips="\n".join(f'      {n}: "driving {n}"' for n in names))
    genres = load_genres()
    session = parse_patch(text, "bench.yaml", genres)
    app = App(Settings.from_env(), genres, session,
              AppOptions(output="device", device="system", workers=workers, synth="fluidsynth",
                         audio_cpu=audio_cpu))
    print(f"livetimbre: {await app.start()}")
    try:
        while not all(app.pool and (j := app.pool.job(SlotKey(n, "a")))
                      and j.state is JobState.READY for n in names):
            await asyncio.sleep(0.1)
        app.execute(c.LaunchScene("a"))
        if fx:  # every layer filtered (resonant lowpass) and sent to the delay and reverb
            for name in names:
                for setting in ("cutoff 1500", "resonance 0.4", "delay 0.2", "reverb 0.3"):
                    app.control.run_line(f"/fx {name} {setting}", "bench")
        await asyncio.sleep(2 * 60 / 128 * 4)
        # Command → queued for the engine, and → audible.
        scheduled, audible = [], []
        for attempt in range(20):
            layer = names[attempt % len(names)]
            await asyncio.sleep(0.37)
            before = len(app.engine.events)
            frame_at_command = app.engine.frame
            start = time.perf_counter()
            app.control.run_line(f"/launch {layer} 1", "test")
            scheduled.append((time.perf_counter() - start) * 1e3)
            while len(app.engine.events) == before:
                await asyncio.sleep(0.001)
            event = app.engine.events[-1]
            audible.append((event.frame - frame_at_command + BLOCK) / RATE * 1e3)
        bar_ms = 60 / 128 * 4 * 1e3
        print(f"REPL line → launch queued for the engine: median {statistics.median(scheduled):.3f}"
              f" ms, max {max(scheduled):.3f} ms (target <= 1 ms)")
        print(f"REPL line → audible: median {statistics.median(audible):.0f} ms, max "
              f"{max(audible):.0f} ms (bound: one 1M period + one block = {bar_ms + 5.3:.0f} ms)")
        # Soak with continuous re-renders.
        counter = XrunCounter("livetimbre-bench-xruns")
        log_start = jack.log.stat().st_size if jack else 0
        arrivals: list[float] = []  # when a re-rendered clip was sent to the audio process
        store = app.engine.store  # each re-rendered clip goes to the audio process here

        def stored(clip: LoopClip) -> int:
            arrivals.append(time.monotonic())
            return store(clip)

        app.engine.store = stored  # type: ignore[method-assign]
        underruns0 = app.output.underruns if app.output else 0
        knobs = asyncio.create_task(_turn_knobs(app, names)) if fx else None
        end = time.monotonic() + minutes * 60
        seed = 100
        renders = 0
        seeds: list[float] = []
        while time.monotonic() < end:
            if every > 0:
                seeds.append(time.monotonic())
                app.execute(c.SetSeed(seed))
                seed += 1
                renders += len(names)
            await asyncio.sleep(every or 1.0)
        if knobs is not None:
            knobs.cancel()
        underruns = (app.output.underruns if app.output else 0) - underruns0
        xruns = counter.count
        counter.close()
        print(f"soak: {minutes:g} min, {layer_count} layers playing, {renders} re-renders, "
              f"underruns {underruns} (server xruns {xruns}; target: the floor), "
              f"callback errors {app.output.errors if app.output else 0}")
        after = [min((t - a for a in arrivals if a <= t), default=float("inf"))
                 for t in counter.times]
        if seeds:
            phases = [0] * 4  # xruns by whole seconds since the last /seed (0-1 s, ...)
            for t in counter.times:
                last = max((s for s in seeds if s <= t), default=None)
                if last is not None:
                    phases[min(3, int(t - last))] += 1
            print(f"  server xruns within 0.5 s after a re-rendered clip arrived: "
                  f"{sum(1 for d in after if d <= 0.5)} of {len(after)}; by seconds after the "
                  f"last /seed (0-1, 1-2, 2-3, 3+): {', '.join(map(str, phases))}")
        if jack is not None:
            with jack.log.open(errors="replace") as log:
                log.seek(log_start)
                blamed = late_clients(log.read())
            print("  late, says the server's log: " + (", ".join(
                f"{who} {n}" for who, n in blamed.most_common()) or "nobody"))
    finally:
        await app.stop()
    stats = app.engine.callback_stats
    if stats:
        print(f"callback time per {BLOCK}-frame block over {stats['callbacks']:.0f} callbacks: "
              f"p50 {stats['p50_ms']:.3f} ms, p99 {stats['p99_ms']:.3f} ms, "
              f"p99.9 {stats['p99_9_ms']:.3f} ms, max {stats['max_ms']:.3f} ms "
              f"(target p99.9 <= 1.33 ms, aim <= 0.27 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="soak length")
    parser.add_argument("--floor-minutes", type=float, default=None,
                        help="how long jack_simple_client plays alone, half before the "
                             "soak, half after (default: --minutes; 0: no floor)")
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--rerender-every", type=float, default=4.0,
                        help="seconds between whole-session re-renders in the soak (0: none)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fx", action="store_true",
                        help="every layer's filter and sends on, a cutoff swept throughout "
                             "and the stutter pressed every 8 s")
    parser.add_argument("--audio-cpu", default="auto",
                        help="auto, none or a CPU number (jackd runs there too)")
    args = parser.parse_args()
    jack = _start_jack(args.audio_cpu)
    try:
        floor_minutes = args.minutes if args.floor_minutes is None else args.floor_minutes
        before = _floor(floor_minutes / 2, args.audio_cpu, "before") if floor_minutes else None
        asyncio.run(run(args.minutes, args.layers, args.workers, args.audio_cpu, jack,
                        args.rerender_every, args.fx))
        after = _floor(floor_minutes / 2, args.audio_cpu, "after") if floor_minutes else None
        if before is not None and after is not None:
            print(f"floor: {before + after} xruns in {floor_minutes:g} min of "
                  f"jack_simple_client alone (half before the soak, half after)")
    finally:
        if jack is not None:
            stop_jack(jack)


def _floor(minutes: float, audio_cpu: str, when: str) -> int | None:
    """The server's xruns while jack_simple_client plays alone on livetimbre's audio CPU."""
    from livetimbre.system.cpus import plan_cpus

    plan = plan_cpus(audio_cpu)
    floor = measure_floor(minutes * 60, plan.audio if plan else None)
    print(how_to_get_simple_client() if floor is None else
          f"floor {when} the soak: jack_simple_client alone on the same server and audio CPU, "
          f"{minutes:g} min: {floor} xruns")
    return floor


if __name__ == "__main__":
    main()
