"""Effects cost in the audio path: `Engine.process` time per block, before vs after.

    python bench/fx_bench.py [--blocks 20000] [--layers 8]

Prints p50 / p99 / p99.9 / max of `Engine.process` per 256-frame block with 8 layers
playing noise loops, three ways, interleaved block by block so the machine's load hits
them alike: without effects; with every layer's filter engaged (resonant lowpass) and
sending to the delay and reverb; and the same with every cutoff swept all the time (a
new value each block, as a knob turned without pause) and the master's stutter
toggled every half second. The block period is 5.33 ms; the callback's target is
p99.9 <= 1.33 ms.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from livetimbre.engine.commands import SetEffect, StartClip, StoreClip
from livetimbre.engine.engine import Engine
from livetimbre.engine.mixer import LoopClip

RATE = 48000


def _engine(layers: int, block: int, effects: bool) -> Engine:
    rng = np.random.default_rng(0)
    names = [f"layer{i}" for i in range(layers)]
    engine = Engine(RATE, 123.0, "4/4", names, block_size=block)
    for i, name in enumerate(names):
        frames = engine.transport.clip_frames(2 + i % 3)
        audio = (rng.standard_normal((frames, 2)) * 0.05).astype(np.float32)
        engine.submit(StoreClip(i, LoopClip(audio, 2 + i % 3)))
        engine.submit(StartClip(name, i, at_bar=0))
        if effects:
            engine.submit(SetEffect(name, "cutoff", 1200.0 + 300 * i))
            engine.submit(SetEffect(name, "resonance", 0.4))
            engine.submit(SetEffect(name, "delay", 0.2))
            engine.submit(SetEffect(name, "reverb", 0.3))
    return engine


def _figures(name: str, times: list[float]) -> None:
    times = sorted(times)

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p / 100 * len(times)))]

    print(f"{name:34} p50 {statistics.median(times):.3f} ms, p99 {pct(99):.3f} ms, "
          f"p99.9 {pct(99.9):.3f} ms, max {times[-1]:.3f} ms")


def bench(blocks: int, layers: int, block: int = 256) -> None:
    engines = {"no effects": _engine(layers, block, False),
               "filters + sends (static)": _engine(layers, block, True),
               "filters swept + stutter": _engine(layers, block, True)}
    times: dict[str, list[float]] = {name: [] for name in engines}
    out = np.zeros((block, 2), np.float32)
    swept = engines["filters swept + stutter"]
    half_second = RATE // 2 // block
    for index in range(-200, blocks):  # 200 blocks of warm-up
        phase = index / 300
        for i in range(layers):
            cutoff = 1200.0 * 2 ** (2 * math.sin(2 * math.pi * phase + i))
            swept.submit(SetEffect(f"layer{i}", "cutoff", cutoff))
        if index % half_second == 0:
            swept.submit(SetEffect(None, "stutter", 0.25 if index // half_second % 2 else 0.0))
        for name, engine in engines.items():
            start = time.perf_counter_ns()
            engine.process(block, out)
            if index >= 0:
                times[name].append((time.perf_counter_ns() - start) / 1e6)
            engine.drop_retired()
    print(f"== Engine.process, {layers} layers, {block}-frame blocks "
          f"({block / RATE * 1e3:.2f} ms), {blocks} blocks each")
    for name, measured in times.items():
        _figures(name, measured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=20000)
    parser.add_argument("--layers", type=int, default=8)
    args = parser.parse_args()
    bench(args.blocks, args.layers)


if __name__ == "__main__":
    main()
