"""MusicGen figures: generation steps per second, real-time factor, fitting time, and how
many bars ahead a 4-bar clip must be requested at a tempo.

    python bench/musicgen_bench.py [--model ID] [--device cpu|cuda|mps] [--tempo 120]

Without --model it builds the tiny random-weight test model (CPU figures for CI).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="hub id or folder (default: the tiny test model)")
    parser.add_argument("--device", help="cpu, cuda, mps (default: auto)")
    parser.add_argument("--tempo", type=float, default=120.0)
    parser.add_argument("--bars", type=int, default=4)
    args = parser.parse_args()
    if args.device:
        os.environ["LIVETIMBRE_DEVICE"] = args.device
    from livetimbre.fitting import fit_to_grid
    from livetimbre.music.theory import parse_meter
    from livetimbre.render.backends.musicgen.generate import generate
    from livetimbre.render.backends.musicgen.loading import load_model
    from livetimbre.render.backends.musicgen.timing import (
        bars_ahead,
        generated_seconds,
        render_seconds,
    )

    model = args.model
    if model is None:
        from tests.musicgen.tiny import build_tiny_musicgen

        model = str(build_tiny_musicgen(Path(tempfile.mkdtemp()) / "tiny-musicgen"))
    loaded = load_model(model)
    seconds = generated_seconds(args.bars, args.tempo, 4)
    prompt = f"house drums only, {args.tempo:g} bpm, A minor"
    generation = generate(loaded, prompt, seconds, {}, 1, lambda _f: None)
    started = time.perf_counter()
    fitted = fit_to_grid(generation.audio, generation.sample_rate, tempo=args.tempo,
                         meter=parse_meter("4/4"), bars=args.bars, engine_rate=48000)
    fit_s = time.perf_counter() - started
    total = render_seconds(args.bars, args.tempo, 4, generation.steps_per_second, fit_s,
                           loaded.frame_rate)
    print(f"model            {'tiny random-weight test model' if args.model is None else model}")
    print(f"device           {loaded.device}")
    print(f"load             {loaded.load_seconds:.2f} s")
    print(f"generation       {generation.steps} steps in {generation.seconds:.2f} s = "
          f"{generation.steps_per_second:.1f} steps/s")
    print(f"real-time factor {generation.realtime_factor:.3f} (audio s per wall s)")
    print(f"fitting          {fit_s:.2f} s ({fitted.info.fit})")
    print(f"{args.bars}-bar clip       {total:.1f} s at {args.tempo:g} BPM: request it "
          f"{bars_ahead(total, args.tempo, 4)} bars ahead")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
