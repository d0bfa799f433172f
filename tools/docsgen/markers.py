"""Find the generated blocks in the docs' pages and render them afresh."""

from __future__ import annotations

__all__ = ["DOCS", "README", "MarkerProblem", "page_blocks", "render_page", "stale_pages"]

import re
from collections.abc import Callable, Mapping
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
README = DOCS.parent / "README.md"  # its genre sentence is generated too

_BLOCK = re.compile(
    r"(?P<head><!-- generated: (?P<name>[a-z0-9-]+) \(make reference\) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<tail><!-- end generated: (?P=name) -->)",
    re.DOTALL,
)
_OPENING = re.compile(r"<!-- generated: ([a-z0-9-]+)")


class MarkerProblem(Exception):
    """A page's markers are unbalanced or name a block nobody generates."""


def page_blocks(text: str) -> list[str]:
    """The names of the generated blocks in a page, in order."""
    names = [match["name"] for match in _BLOCK.finditer(text)]
    opened = _OPENING.findall(text)
    if opened != names:
        unclosed = sorted(set(opened) - set(names)) or opened
        raise MarkerProblem(f"markers of block(s) {', '.join(unclosed)} are not closed by "
                            "'<!-- end generated: NAME -->'")
    return names


def render_page(text: str, blocks: Mapping[str, Callable[[], str]], where: str = "") -> str:
    """`text` with every generated block replaced by what the code says today."""
    page_blocks(text)

    def body(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in blocks:
            raise MarkerProblem(f"{where}: no generator for block {name!r} "
                                f"(known: {', '.join(sorted(blocks))})")
        return f"{match['head']}{blocks[name]().rstrip()}\n{match['tail']}"

    return _BLOCK.sub(body, text)


def stale_pages(blocks: Mapping[str, Callable[[], str]], docs: Path = DOCS,
                extra: tuple[Path, ...] = (README,)) -> dict[Path, tuple[str, str]]:
    """Pages whose generated blocks differ from the code: path → (committed, generated).
    The pages are those under `docs` and the `extra` ones (the README).

    Every block must appear in exactly one page, so a deleted marker is noticed too."""
    out: dict[Path, tuple[str, str]] = {}
    seen: dict[str, Path] = {}
    for page in [*sorted(docs.rglob("*.md")), *(p for p in extra if p.is_file())]:
        text = page.read_text(encoding="utf-8")
        for name in page_blocks(text):
            if name in seen:
                raise MarkerProblem(f"block {name!r} appears in {seen[name]} and {page}")
            seen[name] = page
        fresh = render_page(text, blocks, str(page))
        if fresh != text:
            out[page] = (text, fresh)
    missing = sorted(set(blocks) - set(seen))
    if missing:
        raise MarkerProblem(f"no page holds the generated block(s) {', '.join(missing)}")
    return out
