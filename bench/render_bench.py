"""Render and engine speed: prints figures, asserts nothing.

    python bench/render_bench.py [--synth fluidsynth|basic] [--blocks 20000]

1. Procedural render speed of a 4-bar clip per layer role (compose + synth + loop
   fold + mix balance), next to raw FluidSynth rendering the same notes, in seconds
   of audio per CPU second (targets: >= 50x real time on one core).
2. Whole example patches rendered and mastered, in the same unit.
3. `Engine.process` time per 256-frame block with 8 layers playing (target <= 0.25 ms,
   5 % of the 5.33 ms block period at 48 kHz).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from livetimbre.compose.pipeline import compose_clip
from livetimbre.engine.commands import StartClip, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.mixer import LoopClip
from livetimbre.engine.transport import Transport
from livetimbre.genres import load_genres
from livetimbre.patch import load_patch, parse_patch
from livetimbre.planner.clip import build_clip_plan
from livetimbre.render.backends import BackendContext, Backends
from livetimbre.render.backends.procedural import ProceduralBackend
from livetimbre.render.offline import render_session
from livetimbre.synth import choose_synth

RATE = 48000
ROLES_PATCH = """
session: {genre: synthwave, tempo: 104, key: A minor, seed: 7, bars: 4}
layers:
  drums: {}
  bass: {}
  chords: {instrument: polysynth}
  pad: {}
  lead: {}
  arp: {}
  texture: {}
scenes:
  - name: bench
    clips:
      drums: "driving beat with claps"
      bass: "pulsing octave bass"
      chords: "chord stabs"
      pad: "warm pad"
      lead: "soaring melody"
      arp: "arpeggio 16ths"
      texture: "shimmering texture"
"""


def _cpu(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    """Best CPU time of `repeats` calls (the least disturbed run)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def bench_clips(synth_name: str, repeats: int) -> None:
    genres = load_genres()
    session = parse_patch(ROLES_PATCH, "bench.yaml", genres)
    synth, note = choose_synth(synth_name, RATE)
    backend = ProceduralBackend(synth, genres)
    genre = genres.get(session.genre)
    spbeat = Transport(RATE, session.tempo, session.meter).samples_per_meter_beat
    print(f"== 4-bar clips at {session.tempo:g} BPM, synth {synth.name} {note}")
    print(f"{'layer':10} {'audio s':>8} {'full ms':>9} {'full x':>8} {'raw synth ms':>13} "
          f"{'raw x':>8}")
    speeds = []
    for layer in session.scenes[0].clips:
        plan = build_clip_plan(session, layer, 0, genre, RATE)
        part = compose_clip(plan, genre).part
        seconds = plan.frames / RATE
        full = _cpu(lambda plan=plan: backend.render(plan), repeats)
        raw = _cpu(lambda part=part, plan=plan: synth.render(part, spbeat, plan.frames), repeats)
        speeds.append(seconds / full)
        print(f"{layer:10} {seconds:8.2f} {full * 1e3:9.1f} {seconds / full:7.0f}x "
              f"{raw * 1e3:13.1f} {seconds / raw:7.0f}x")
    print(f"slowest clip: {min(speeds):.0f}x real time (target >= 50x)")


def bench_patches(synth_name: str) -> None:
    genres = load_genres()
    backends = Backends(BackendContext(RATE, genres, synth_name))
    print("== whole example patches (plan, render, replay, master)")
    for path in sorted(Path(__file__).resolve().parents[1].glob("patches/*.yaml")):
        session = load_patch(path, genres)
        start = time.process_time()
        result = render_session(session, backends, sample_rate=RATE)
        cpu = time.process_time() - start
        seconds = result.frames / RATE
        print(f"{path.stem:14} {seconds:6.1f} s audio in {cpu:5.2f} CPU s: "
              f"{seconds / cpu:5.1f}x real time")


def bench_engine(blocks: int, block: int = 256, layers: int = 8) -> None:
    rng = np.random.default_rng(0)
    names = [f"layer{i}" for i in range(layers)]
    engine = Engine(RATE, 123.0, "4/4", names, block_size=block)
    for i, name in enumerate(names):
        frames = engine.transport.clip_frames(2 + i % 3)
        audio = (rng.standard_normal((frames, 2)) * 0.05).astype(np.float32)
        engine.submit(StoreClip(i, LoopClip(audio, 2 + i % 3)))
        engine.submit(StartClip(name, i, at_bar=0))
    out = np.zeros((block, 2), np.float32)
    for _ in range(200):  # warm up
        engine.process(block, out)
    times = []
    for _ in range(blocks):
        start = time.perf_counter_ns()
        engine.process(block, out)
        times.append((time.perf_counter_ns() - start) / 1e6)
    times.sort()
    period = block / RATE * 1e3

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))]

    print(f"== Engine.process, {layers} layers playing, {block}-frame blocks ({period:.2f} ms)")
    print(f"median {statistics.median(times):.3f} ms, p99 {pct(99):.3f} ms, "
          f"p99.9 {pct(99.9):.3f} ms, max {times[-1]:.3f} ms "
          f"(target median <= 0.25 ms = 5 % of the block period)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synth", default="fluidsynth", choices=("fluidsynth", "basic"))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=20000)
    parser.add_argument("--skip-patches", action="store_true")
    args = parser.parse_args()
    bench_clips(args.synth, args.repeats)
    if not args.skip_patches:
        bench_patches(args.synth)
    bench_engine(args.blocks)


if __name__ == "__main__":
    main()
