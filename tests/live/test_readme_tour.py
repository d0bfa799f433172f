"""The README's five-minute tour, replayed line by line through the real REPL on the
demo patch: every line is accepted, the scenes and the new clip play, and the compose
writes its track. The lines are read from the README, so the tour cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from livetimbre.session.model import SlotKey
from tests.conftest import REPO
from tests.live._support import make_app, started, until
from tests.live.test_repl import repl

TOUR_MARKER = "<!-- tour:"
PROMPT = "livetimbre> "


def tour_lines(readme: Path = REPO / "README.md") -> list[str]:
    """The REPL lines of the README's tour block (the code block after its marker)."""
    text = readme.read_text(encoding="utf-8")
    start = text.find(TOUR_MARKER)
    assert start >= 0, f"README.md has no {TOUR_MARKER} marker before the tour's code block"
    block = re.search(r"```text\n(.*?)```", text[start:], re.DOTALL)
    assert block, "README.md: no ```text block after the tour marker"
    lines = [line.removeprefix(PROMPT) for line in block[1].splitlines()
             if line.startswith(PROMPT)]
    assert len(lines) >= 3, f"the README's tour has only {lines}"
    return lines


def test_the_tour_block_is_read_as_repl_lines() -> None:
    lines = tour_lines()
    assert all(line.startswith("/") for line in lines), lines


@pytest.mark.timeout(420)
def test_the_readme_tour_works_in_the_repl() -> None:
    import asyncio

    lines = tour_lines()
    app = make_app(REPO / "patches" / "night-drive.yaml")

    async def scenario() -> None:
        async with started(app) as messages, repl(app) as shell:
            for line in lines:
                before = len(shell.printed)
                shell.send(line + "\r")
                await until(lambda b=before: len(shell.printed) > b, 20,
                            lambda ln=line: f"an answer to {ln!r}")
                await asyncio.sleep(0.2)  # the rest of a multi-line answer
                answer = shell.printed[before:]
                assert "error:" not in answer, f"{line!r} was refused: {answer}"
                if line.startswith("/tempo "):
                    assert app.session.tempo == float(line.split()[1])
            await until(lambda: any(app.views.playing(layer.name) for layer in
                                    app.session.layers), 60, "a layer to play")
            last_scene = next((ln.split()[1] for ln in reversed(lines)
                               if re.fullmatch(r"/scene \S+", ln)), None)
            if last_scene is not None:
                name = (app.session.scenes[int(last_scene) - 1].name
                        if last_scene.isdigit() else last_scene)
                scene = next(s for s in app.session.scenes if s.name == name)
                await until(lambda: all(app.views.playing(layer) == SlotKey(layer, name)
                                        for layer in scene.clips), 90,
                            f"scene {name} to play")
            if any(ln.startswith("/compose ") for ln in lines):
                ended = await until(
                    lambda: next((m for m in messages if m.startswith("compose: ")), ""), 300,
                    lambda: f"the compose to end; messages {messages[-5:]}", interval=0.5)
                assert ended.startswith("compose: wrote "), ended
                written = Path(ended.removeprefix("compose: wrote ").split(" (")[0])
                assert written.is_file() and written.stat().st_size > 0, written

    asyncio.run(scenario())


def test_the_getting_started_page_types_only_the_tested_lines() -> None:
    page = (REPO / "docs" / "getting-started.md").read_text(encoding="utf-8")
    typed = [line.removeprefix(PROMPT) for line in page.splitlines()
             if line.startswith(PROMPT)]
    assert typed and set(typed) <= set(tour_lines()), (
        f"docs/getting-started.md types lines the README's tour does not: "
        f"{sorted(set(typed) - set(tour_lines()))}")
