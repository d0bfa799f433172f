"""Mini-notation speed: parsing, and querying 16 cycles of patterns of different sizes.

Prints the median time (microseconds) of a parse (cache off), a query of 16 cycles of the
parsed pattern, and both one after the other (a fresh pattern's first query), for a drum
groove making 200 events over the 16 cycles, for a pattern as dense in operators as a
short one can be (euclid, patterned polymeter, alternation, degrade) making 205, and for
one making about 140 events in every cycle.

    .venv/bin/python bench/pattern_bench.py
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from livetimbre.patterns import events, parse
from livetimbre.patterns.build import build

PATTERNS = {
    "a groove, 200 events in 16 cycles": "bd [~ bd] sd [~ bd] , hh*8 , <~ cp>",
    "dense, 205 events in 16 cycles":
        "bd(3,8) [~ sd]*2 . <hh oh>*2 [hh oh] cp?0.2 {lt mt ht}%<2 4>",
    "about 140 events a cycle": "[bd sd hh*2 <oh cp> [lt mt]]*16 . [0 .. 7]*3 . ~ {a b c}%<5 7>",
}


def _median_us(fn: Callable[[], object], runs: int = 200) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _parse_and_query(text: str) -> object:
    return events(build(text), 0, 16)


def main() -> None:
    for name, text in PATTERNS.items():
        count = len(events(text, 0, 16))
        parse_us = _median_us(functools.partial(build, text))
        query_us = _median_us(functools.partial(events, parse(text), 0, 16))
        both_us = _median_us(functools.partial(_parse_and_query, text))
        print(f"{name:34} {count:5} events  parse {parse_us:6.0f} us  "
              f"query of 16 cycles {query_us:6.0f} us  both, one after the other "
              f"{both_us:6.0f} us")


if __name__ == "__main__":
    main()
