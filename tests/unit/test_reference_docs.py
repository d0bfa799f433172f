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


def test_a_page_outside_docs_is_regenerated_and_its_block_counted(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("<!-- generated: one (make reference) -->\n"
                               "<!-- end generated: one -->\n", encoding="utf-8")
    readme = tmp_path / "README.md"
    readme.write_text("<!-- generated: two (make reference) -->\nold\n"
                      "<!-- end generated: two -->\n", encoding="utf-8")
    blocks = {"one": lambda: "1", "two": lambda: "2"}
    stale = stale_pages(blocks, docs, (readme,))
    assert sorted(stale) == [readme, docs / "a.md"]
    assert "\n2\n" in stale[readme][1]
    with pytest.raises(MarkerProblem, match="no page holds the generated block"):
        stale_pages(blocks, docs, ())


def test_example_patches_are_grouped_by_genre_and_one_without_a_genre_refused(
        tmp_path: Path) -> None:
    from tools.docsgen.genres_ref import patches_by_genre

    (tmp_path / "b.yaml").write_text("session: {genre: jazz}\n", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("session: {genre: jazz, tempo: 90}\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("session: {genre: house}\n", encoding="utf-8")
    assert patches_by_genre(tmp_path) == {"jazz": ["a", "b"], "house": ["c"]}
    (tmp_path / "d.yaml").write_text("layers: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"d\.yaml: an example patch names no session\.genre"):
        patches_by_genre(tmp_path)


def test_the_genre_reference_lists_every_shipped_genre_once() -> None:
    from livetimbre.genres import load_genres
    from tools.docsgen.genres_ref import genre_tables

    text = genre_tables()
    every = text[text.index("### Every genre"):text.index("### What each one is")]
    for genre in load_genres(None):
        assert every.count(f"| `{genre.id}` | {genre.family} | {genre.name} |") == 1
