"""What the composer decided for a clip, as sidecar figures (see `compose.pipeline`)."""

from __future__ import annotations

__all__ = ["CompositionInfo", "Feel"]

from pydantic import BaseModel, ConfigDict


class Feel(BaseModel):
    """The clip's timing feel: swing, push and humanisation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    swing: float
    push_ms: float
    humanize_ms: float
    feel: str


class CompositionInfo(BaseModel):
    """The chords, form and feel of a composed clip, and the prompt's words the composer
    did not understand; `style` is set for bass and chord parts that have one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    chords: list[str]
    form: str
    feel: Feel
    ignored_words: list[str]
    style: str | None = None

    def styled(self, style: str) -> CompositionInfo:
        """This info with the part's `style` (written only when it has one)."""
        return self.model_copy(update={"style": style})
