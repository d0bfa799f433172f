"""The main process's memory across whole-session re-renders.

    python bench/memory_bench.py [--renders 20] [--patch patches/night-drive.yaml]
                                 [--clip-memory-mb N]

Plays the patch through the real App (real-time null output, real render workers),
launches its busiest scene, then changes the seed (every fifth time the key) so every
clip of the session renders again, `--renders` times. Prints the main process's RSS at
start, after the first full render and after every fifth re-render, and how much
audio the render pool keeps in memory; the figure to watch is the growth, which must
stay within LIVETIMBRE_CLIP_MEMORY_MB. Uses a fresh LIVETIMBRE_HOME in a temporary
folder (an empty render cache) unless `--home` names one.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def _mb(value: int | None) -> str:
    return "?" if value is None else f"{value / MB:.0f} MB"


async def run(patch: Path, renders: int) -> None:
    from livetimbre.app import App, AppOptions
    from livetimbre.config import Settings
    from livetimbre.genres import load_genres
    from livetimbre.patch import load_patch
    from livetimbre.render.jobs import JobState
    from livetimbre.session import commands as c
    from livetimbre.session.model import SlotKey
    from livetimbre.system.memory import rss_bytes

    start_rss = rss_bytes()
    genres = load_genres()
    session = load_patch(patch, genres)
    settings = Settings.from_env()
    app = App(settings, genres, session,
              AppOptions(output="null", workers=2, synth="fluidsynth", auto_record=False))
    slots = [SlotKey(layer, scene.name) for scene in session.scenes for layer in scene.clips]

    async def rendered(before: dict[SlotKey, int]) -> float:
        """Seconds until every slot has a READY job newer than `before`."""
        started = time.monotonic()
        pool = app.pool
        assert pool is not None
        while True:
            jobs = [pool.job(slot) for slot in slots]
            if all(j is not None and j.state is JobState.READY and j.id != before.get(j.key)
                   for j in jobs):
                return time.monotonic() - started
            failed = [j for j in jobs if j is not None and j.state is JobState.FAILED]
            if failed:
                raise SystemExit(f"render failed: {failed[0].key}: {failed[0].error}")
            await asyncio.sleep(0.05)

    def ids() -> dict[SlotKey, int]:
        assert app.pool is not None
        return {slot: job.id for slot in slots if (job := app.pool.job(slot)) is not None}

    print(f"patch {patch.name}: {len(slots)} clips; clip memory budget "
          f"{settings.clip_memory_mb} MB (LIVETIMBRE_CLIP_MEMORY_MB)")
    print(f"RSS at start (imports done, nothing rendered): {_mb(start_rss)}")
    await app.start()
    try:
        seconds = await rendered({})
        busiest = max(session.scenes, key=lambda scene: len(scene.clips))
        app.execute(c.LaunchScene(busiest.name))
        first = rss_bytes()
        print(f"RSS after the first full render ({seconds:.1f} s): {_mb(first)}")
        keys = ["A minor", "C minor", "D dorian", "E minor"]
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for number in range(1, renders + 1):
            before = ids()
            if number % 5 == 0:
                app.execute(c.SetKey(keys[(number // 5) % len(keys)]))
            else:
                app.execute(c.SetSeed(1000 + number))
            seconds = await rendered(before)
            if number % 5 == 0 or number == renders:
                assert app.pool is not None
                print(f"RSS after re-render {number:>2} ({seconds:.1f} s): {_mb(rss_bytes())}; "
                      f"render pool keeps {_mb(app.pool.memory.spare_bytes)} of spare clips, "
                      f"{_mb(app.pool.memory.bytes)} in all")
        last = rss_bytes()
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
        if first is not None and last is not None:
            print(f"growth after the first render: {_mb(last - first)} "
                  f"(budget {settings.clip_memory_mb} MB); page faults per re-render "
                  f"{faults / max(1, renders):.0f} (fresh memory the kernel had to map); "
                  f"underruns {app.output.underruns if app.output else 0}")
    finally:
        await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--patch", type=Path, default=REPO / "patches" / "night-drive.yaml")
    parser.add_argument("--clip-memory-mb", type=int, default=None,
                        help="sets LIVETIMBRE_CLIP_MEMORY_MB for this run")
    parser.add_argument("--home", type=Path, default=None,
                        help="LIVETIMBRE_HOME to use (default: a fresh temporary one)")
    args = parser.parse_args()
    if args.clip_memory_mb is not None:
        os.environ["LIVETIMBRE_CLIP_MEMORY_MB"] = str(args.clip_memory_mb)
    with tempfile.TemporaryDirectory(prefix="livetimbre-memory-") as folder:
        os.environ["LIVETIMBRE_HOME"] = str(args.home or folder)
        asyncio.run(run(args.patch, args.renders))


if __name__ == "__main__":
    main()
