"""`SetClipPattern` (`/pattern LAYER SCENE "PATTERN"`): a mini-notation pattern in a slot.

Only the text's size is checked here; the live performer parses it (the column of a
mistake) and checks its values against the layer before the session changes.
"""

from __future__ import annotations

__all__ = ["MAX_PATTERN", "SetClipPattern"]

from dataclasses import dataclass

from livetimbre.errors import ValueProblem
from livetimbre.session.model import Session

MAX_PATTERN = 4096  # characters, as the mini-notation's own limit


@dataclass(frozen=True)
class SetClipPattern:
    """Put pattern `text` in a slot (its notes fall where it says; the slot's prompt, if
    any, chooses the sound); None takes the pattern out."""

    layer: str
    scene: str | int  # a scene by 1-based number or by name
    text: str | None

    def __post_init__(self) -> None:
        if self.text is not None and len(self.text) > MAX_PATTERN:
            raise ValueProblem(f"The pattern is {len(self.text):,} characters; the limit is "
                               f"{MAX_PATTERN:,}.")

    def slash(self) -> str:
        shown = (self.text or "").replace('"', "'")
        return f"/pattern {self.layer} {self.scene}" + (f' "{shown}"' if shown else "")

    def answer(self, new: Session) -> str:
        name = new.scenes[new.scene_index(self.scene)].name
        if self.text is None:
            return f"{self.layer}@{name}: no pattern"
        return f"{self.layer}@{name}: pattern set"
