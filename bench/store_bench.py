"""Artifact store throughput: prints figures, asserts nothing.

    python bench/store_bench.py [--small 500] [--large 20] [--large-mb 8] [--folder DIR]

Writes (blob to a flushed temporary file, rename, folder flush, then the row in one
transaction) and reads (size checked and SHA-256 verified) of small blobs (4 KiB, like
plans and sidecars) and large ones (8 MiB, about a 4-bar clip at 48 kHz), in MB/s and
artifacts/s, in a fresh store in a temporary folder (or DIR, on the disk to measure).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from livetimbre.store import Store, verify


def _bench(store: Store, count: int, size: int, label: str) -> None:
    payloads = [os.urandom(size) for _ in range(count)]
    started = time.perf_counter()
    artifacts = [store.put(data, "bench", evictable=True) for data in payloads]
    wrote = time.perf_counter() - started
    started = time.perf_counter()
    for artifact in artifacts:
        store.read(artifact, verify=True)
    read = time.perf_counter() - started
    megabytes = count * size / 2**20
    print(f"{label:>24}: write {megabytes / wrote:8.1f} MB/s {count / wrote:8.1f} artifacts/s"
          f" | read+verify {megabytes / read:8.1f} MB/s {count / read:8.1f} artifacts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500, help="small blobs to write")
    parser.add_argument("--large", type=int, default=20, help="large blobs to write")
    parser.add_argument("--large-mb", type=float, default=8.0, help="size of a large blob")
    parser.add_argument("--folder", type=Path, help="where the store goes (default: temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as folder, \
            Store(Path(folder) / "store") as store:
        _bench(store, args.small, 4096, f"{args.small} x 4 KiB")
        large = int(args.large_mb * 2**20)
        _bench(store, args.large, large, f"{args.large} x {args.large_mb:g} MiB")
        started = time.perf_counter()
        report = verify(store)
        seconds = time.perf_counter() - started
        print(f"{'verify':>24}: {report.blobs} blobs, {report.bytes_checked / 2**20:.0f} MB in "
              f"{seconds:.2f} s ({report.bytes_checked / 2**20 / seconds:.1f} MB/s)")


if __name__ == "__main__":
    main()
