"""`python -m tools.docsgen [--check]`: rewrite (or check) the docs' generated blocks."""

from __future__ import annotations

import argparse
import sys

from tools.docsgen.blocks import BLOCKS
from tools.docsgen.markers import DOCS, MarkerProblem, stale_pages


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docsgen",
                                     description="Regenerate the docs' reference tables.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a page is out of date")
    args = parser.parse_args()
    try:
        stale = stale_pages(BLOCKS)
    except (MarkerProblem, ValueError) as exc:
        print(f"reference docs: {exc}", file=sys.stderr)
        return 2
    for page, (_, fresh) in stale.items():
        where = page.relative_to(DOCS.parent)
        if args.check:
            print(f"{where}: out of date (run `make reference`)")
        else:
            page.write_text(fresh, encoding="utf-8")
            print(f"{where}: regenerated")
    if not stale:
        print("reference docs: up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
