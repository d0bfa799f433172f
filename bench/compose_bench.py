"""Compose time of a 120 s track with the procedural backend, on one core.

Runs `livetimbre compose` in-process with the process pinned to one CPU (where the
platform allows it) and prints the time of each stage, taken from the job's sidecar and
spec timings. Prints figures; asserts nothing.

    .venv/bin/python bench/compose_bench.py [--duration 120] [--runs 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run(duration: float, runs: int) -> None:
    if hasattr(os, "sched_setaffinity"):
        cpu = sorted(os.sched_getaffinity(0))[-1]
        os.sched_setaffinity(0, {cpu})
        print(f"pinned to CPU {cpu}")
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from livetimbre.cli import main
    from livetimbre.track import pipeline

    stage_times: dict[str, float] = {}
    for name, function in list(pipeline._STAGES.items()):
        def timed(job, rt, name=name, function=function):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return function(job, rt)
            finally:
                stage_times[name] = time.perf_counter() - started
        pipeline._STAGES[name] = timed
    for number in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["LIVETIMBRE_HOME"] = str(Path(folder) / "home")
            out = Path(folder) / "bench.wav"
            started = time.perf_counter()
            code = main(["compose", "dreamy synthwave with warm pads, rhodes and rain",
                         "--duration", str(duration), "--seed", "7", "-o", str(out), "-q"])
            elapsed = time.perf_counter() - started
            sidecar = json.loads(out.with_name(out.name + ".json").read_text())
        qa = sidecar["qa"]["figures"]
        print(f"run {number + 1}: exit {code}, {elapsed:.2f} s for {qa['duration_s']:.2f} s of "
              f"audio ({qa['duration_s'] / elapsed:.1f}x real time); {qa['integrated_lufs']} "
              f"LUFS, {qa['true_peak_dbtp']} dBTP, duration error "
              f"{qa['duration_error_ms']} ms")
        print("  stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in stage_times.items()))
        print("  warm-up: " + ", ".join(f"{k} {v:.2f} s" for k, v in
                                        sidecar["warm_up"].items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    run(options.duration, options.runs)
