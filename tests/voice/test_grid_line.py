"""The grid shows the line a vocals layer is singing, under the layers (REPL and /grid)."""

from __future__ import annotations

import pytest

from livetimbre.genres import GenreRegistry
from livetimbre.live.slots import SlotView, Status, grid_text, sung_lines
from livetimbre.patch import parse_patch
from livetimbre.repl.view import grid_fragments
from livetimbre.session.model import Session, SlotKey, SlotState

pytestmark = pytest.mark.timeout(30)

PATCH = """\
session: {genre: synthwave, tempo: 100, key: A minor}
layers: {drums: {}, vocals: {}}
scenes:
  - name: chorus
    clips: {drums: beat, vocals: soft chorus}
"""


class _View:
    def __init__(self, session: Session, singing: dict[str, str]) -> None:
        self._session, self._singing = session, singing

    @property
    def session(self) -> Session:
        return self._session

    def slot_view(self, layer: str, scene_index: int) -> SlotView:
        return SlotView(SlotState.PLAYING)

    def slot_states(self) -> dict[tuple[str, int], SlotState]:
        return {}

    def status(self) -> Status:
        return Status(1, 1, 100.0, "A minor", "1M", 0, 0, "")

    def playing(self, layer: str) -> SlotKey | None:
        return SlotKey(layer, "chorus")

    def sung_line(self, layer: str) -> str:
        return self._singing.get(layer, "")


def test_the_line_being_sung_is_under_the_grid(genres: GenreRegistry) -> None:
    view = _View(parse_patch(PATCH, "p.yaml", genres), {"vocals": "hold on to the night"})
    assert sung_lines(view) == [("vocals", "hold on to the night")]
    assert grid_text(view).splitlines()[-1] == "♪ vocals: hold on to the night"
    text = "".join(fragment for _, fragment in grid_fragments(view))
    assert text.endswith("♪ vocals: hold on to the night\n")
    quiet = _View(view.session, {})
    assert "♪" not in grid_text(quiet)
    assert "♪" not in "".join(fragment for _, fragment in grid_fragments(quiet))
