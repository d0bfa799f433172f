"""The Creative Director on the written test set (tests/director/prompts.yaml, and the
held-out tests/director/heldout.yaml never used for tuning), per provider:
the four figures (genre family recognised, and a playable genre of it chosen; tempo words
obeyed; mood → mode family; named instruments chosen), prompts per second for the whole
set as one batch after start-up, and start-up time (a fresh process: imports, the phrase
index, and for embedding the model and its cards) up to the first SongSpec.

    .venv/bin/python bench/director_bench.py [--providers lexicon,embedding] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from livetimbre.director.providers import DirectorContext, get_director  # noqa: E402
from livetimbre.genres import load_genres  # noqa: E402
from livetimbre.planner.direction import COMPOSER_PHRASES  # noqa: E402
from tests.director.measure import FIGURES, HELD_OUT, load_cases, measure  # noqa: E402

STARTUP = (
    "import resource, time; t = time.perf_counter()\n"
    "from livetimbre.director.providers import DirectorContext, get_director\n"
    "from livetimbre.genres import load_genres\n"
    "from livetimbre.planner.direction import COMPOSER_PHRASES\n"
    "director = get_director({name!r})\n"
    "director.direct('warm sad piano, slow', DirectorContext(load_genres(), COMPOSER_PHRASES))\n"
    "used = resource.getrusage(resource.RUSAGE_SELF)\n"
    "print(time.perf_counter() - t, used.ru_utime + used.ru_stime)\n")


def startup_seconds(name: str, rounds: int) -> tuple[float, float]:
    """Medians, over `rounds` fresh processes, of the wall time to the first SongSpec and
    of the CPU time the process used (the wall time on a machine with nothing else to do)."""
    wall, cpu = [], []
    for _ in range(rounds):
        done = subprocess.run([sys.executable, "-c", STARTUP.format(name=name)], cwd=REPO,
                              capture_output=True, text=True, check=True, timeout=120)
        seconds, used = done.stdout.strip().splitlines()[-1].split()
        wall.append(float(seconds))
        cpu.append(float(used))
    return statistics.median(wall), statistics.median(cpu)


def run(name: str, rounds: int) -> None:
    genres = load_genres()
    cases = load_cases()
    director = get_director(name)
    if director.name != name:
        print(f"{name}: not available, {director.name} answers instead")
        return
    context = DirectorContext(genres, COMPOSER_PHRASES)
    prompts = [c["p"] for c in cases]
    director.direct(prompts[0], context)  # start-up done
    many = getattr(director, "direct_many", None)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        specs = many(prompts, context) if many else [director.direct(p, context)
                                                    for p in prompts]
        rates.append(len(prompts) / (time.perf_counter() - start))
    figures = measure(cases, specs, genres)
    held_cases = load_cases(HELD_OUT)
    held = measure(held_cases, [director.direct(c["p"], context) for c in held_cases], genres)
    print(f"{name} ({len(prompts)} prompts; held-out set of {len(held_cases)} in brackets):")
    for figure in (*FIGURES, "playable genre of the family"):
        print(f"  {figures.line(figure)}  [{held.line(figure).partition(': ')[2]}]")
    print(f"  batch: {statistics.median(rates):.0f} prompts/s (median of {rounds})")
    wall, cpu = startup_seconds(name, rounds)
    print(f"  start-up: {wall:.2f} s wall, {cpu:.2f} s CPU (medians of {rounds} processes; "
          f"load average {os.getloadavg()[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = "lexicon,embedding" if importlib.util.find_spec("wordllama") else "lexicon"
    parser.add_argument("--providers", default=default)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for name in args.providers.split(","):
        run(name.strip(), args.rounds)


if __name__ == "__main__":
    main()
