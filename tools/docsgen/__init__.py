"""The docs' reference tables, generated from the code: one source for each.

Pages under `docs/` (and the README) hold generated blocks between markers::

    <!-- generated: NAME (make reference) -->
    ...
    <!-- end generated: NAME -->

`python -m tools.docsgen` rewrites every block; `--check` only reports stale pages.
`tests/unit/test_reference_docs.py` fails when a committed page and the code differ.
"""

from __future__ import annotations

__all__ = ["BLOCKS", "DOCS", "MarkerProblem", "page_blocks", "render_page", "stale_pages"]

from tools.docsgen.blocks import BLOCKS
from tools.docsgen.markers import DOCS, MarkerProblem, page_blocks, render_page, stale_pages
