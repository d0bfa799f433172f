"""The docs' generated reference tables and layer diagram match the code (make reference)."""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

import pytest

from tools.docsgen import BLOCKS, DOCS, MarkerProblem, page_blocks, render_page, stale_pages
from tools.docsgen.layers import contract_layers, layer_diagram


def test_committed_reference_pages_equal_what_the_code_generates() -> None:
    stale = stale_pages(BLOCKS)
    if stale:
        diffs = []
        for page, (committed, fresh) in stale.items():
            diffs += difflib.unified_diff(committed.splitlines(), fresh.splitlines(),
                                          str(page.relative_to(DOCS.parent)), "generated",
                                          lineterm="", n=1)
        pytest.fail("The reference docs differ from the code: run `make reference` and "
                    "commit the result.\n" + "\n".join(diffs[:60]))


def test_every_command_address_option_and_word_is_in_the_pages() -> None:
    from livetimbre.cli import build_parser
    from livetimbre.controllers.osc.routes import ROUTES
    from livetimbre.planner.vocabulary import VOCABULARY
    from livetimbre.session.slash import COMMANDS

    text = "\n".join(p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md"))

    def shown(code: str) -> bool:
        return f"`{code}" in text or f"<code>{code}" in text

    assert all(shown(cmd.usage.split()[0]) for cmd in COMMANDS.values())
    assert all(shown(address + "`") for address in ROUTES)
    assert all(f"| {entry.name} |" in text for entry in VOCABULARY)
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    options = [o for a in commands.choices["render"]._actions for o in a.option_strings
               if a.help != argparse.SUPPRESS and o not in ("-h", "--help")]
    assert len(options) > 5 and all(shown(option) for option in options)


def test_the_layer_diagram_lists_the_contract_top_down(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.importlinter]\nroot_package = "livetimbre"\n'
                         '[[tool.importlinter.contracts]]\nname = "x"\ntype = "layers"\n'
                         'layers = ["livetimbre.cli", "livetimbre.music | livetimbre.errors"]\n')
    assert contract_layers(pyproject) == [["cli"], ["music", "errors"]]
    diagram = layer_diagram(pyproject)
    assert diagram.index("\ncli\n") < diagram.index("\nmusic | errors\n")
    pyproject.write_text(pyproject.read_text().replace("livetimbre.cli", "livetimbre.newlayer"))
    with pytest.raises(ValueError, match="add a note for newlayer"):
        layer_diagram(pyproject)


def test_a_stale_block_is_rewritten_and_a_broken_marker_refused() -> None:
    page = ("intro\n<!-- generated: demo (make reference) -->\nold\n"
            "<!-- end generated: demo -->\nend\n")
    assert page_blocks(page) == ["demo"]
    fresh = render_page(page, {"demo": lambda: "| a |"})
    assert fresh == page.replace("old", "| a |")
    assert render_page(fresh, {"demo": lambda: "| a |"}) == fresh
    with pytest.raises(MarkerProblem, match="no generator"):
        render_page(page, {})
    with pytest.raises(MarkerProblem, match="not closed"):
        page_blocks("<!-- generated: demo (make reference) -->\nold\n")


def test_every_layer_note_names_a_package_of_the_contract() -> None:
    from tools.docsgen.layers import NOTES

    names = {name for layer in contract_layers() for name in layer}
    assert sorted(set(NOTES) - names) == [], "tools/docsgen/layers.py notes a package the " \
        "contract no longer has"
