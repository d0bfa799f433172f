"""OSC message → launch scheduled: from a UDP datagram leaving a client to the launch
command being queued for the audio process.

Plays the e2e patch on the null output, with the OSC server on a free loopback port; a
client thread sends `/livetimbre/clip/launch drums 1` `--count` times, a few hundred ms
apart, and the time from `sendto` to `AudioClient.submit` is printed.

    .venv/bin/python bench/osc_bench.py --count 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def run(count: int) -> None:
    from pythonosc.osc_message_builder import OscMessageBuilder

    from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
    from tests.e2e.test_live_audio import _all_ready, _app, until

    app = _app(output="null")
    await app.start()
    port = _free_port()
    surfaces = Surfaces(app.surface_context(), SurfaceOptions(osc_port=port))
    await surfaces.start()
    submitted: list[float] = []
    submit = app.engine.submit

    def timed_submit(command: Any) -> None:
        submitted.append(time.perf_counter())
        submit(command)

    app.engine.submit = timed_submit  # type: ignore[method-assign]
    try:
        await until(lambda: _all_ready(app), "renders")
        builder = OscMessageBuilder("/livetimbre/clip/launch")
        builder.add_arg("drums")
        builder.add_arg(1)
        datagram = builder.build().dgram
        sent: list[float] = []

        def client() -> None:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                for _ in range(count):
                    time.sleep(0.05 + 0.01 * (len(sent) % 7))
                    sent.append(time.perf_counter())
                    sock.sendto(datagram, ("127.0.0.1", port))

        thread = threading.Thread(target=client)
        thread.start()
        while thread.is_alive():
            await asyncio.sleep(0.01)
        await until(lambda: len(submitted) >= count, "every launch queued", 10)
    finally:
        app.engine.submit = submit  # type: ignore[method-assign]
        await surfaces.stop()
        await app.stop()
    latency = sorted((t1 - t0) * 1e3 for t0, t1 in zip(sent, submitted[-count:], strict=True))
    print(f"OSC message → launch queued for the audio process, {count} messages: "
          f"median {statistics.median(latency):.3f} ms, "
          f"p99 {latency[int(0.99 * (count - 1))]:.3f} ms, max {latency[-1]:.3f} ms "
          f"(target median <= 1 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["LIVETIMBRE_HOME"] = home
        asyncio.run(run(args.count))


if __name__ == "__main__":
    main()
