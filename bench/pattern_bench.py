"""Mini-notation speed: parsing, and querying 16 cycles of patterns of different sizes.

Prints the median time (microseconds) of a parse (cache off), a query of 16 cycles of the
parsed pattern, and both, for a pattern making about 200 events over the 16 cycles and for
one making about 200 events in every cycle.

    .venv/bin/python bench/pattern_bench.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from livetimbre.patterns import events, parse
from livetimbre.patterns.build import build
from livetimbre.patterns.grammar import parse_tree

PATTERNS = {
    "200 events in 16 cycles": "bd(3,8) [~ sd] . <hh oh> ~ cp?0.2 {lt mt ht}%<2 4>",
    "200 events a cycle": "[bd sd hh*2 <oh cp> [lt mt]]*16 . [0 .. 7]*3 . ~ {a b c}%<5 7>",
}


def _median_us(fn: Callable[[], object], runs: int = 200) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    for name, text in PATTERNS.items():
        count = len(events(text, 0, 16))
        parse_us = _median_us(lambda t=text: build(t, parse_tree(t)))
        pattern = parse(text)
        query_us = _median_us(lambda p=pattern: events(p, 0, 16))
        print(f"{name:26} {count:5} events  parse {parse_us:8.0f} us  "
              f"query 16 cycles {query_us:8.0f} us  both {parse_us + query_us:8.0f} us  "
              f"(cached parse: query only)")


if __name__ == "__main__":
    main()
