"""The Session View grid and the status toolbar, as prompt_toolkit formatted text."""

from __future__ import annotations

__all__ = ["grid_fragments", "grid_text", "toolbar_fragments"]

from livetimbre.app import App, SlotView
from livetimbre.session.model import SlotState

Fragments = list[tuple[str, str]]

_STYLE = {
    SlotState.EMPTY: "class:slot.empty", SlotState.QUEUED: "class:slot.queued",
    SlotState.RENDERING: "class:slot.rendering", SlotState.READY: "class:slot.ready",
    SlotState.PLAYING: "class:slot.playing", SlotState.FAILED: "class:slot.failed",
}
_CELL = 14


def _cell(view: SlotView) -> str:
    if view.state is SlotState.RENDERING:
        text = f"rendering {view.progress:.0%}"
    elif view.state is SlotState.PLAYING and view.progress:
        text = f"playing {view.progress:.0%}"
    else:
        text = {SlotState.EMPTY: "·"}.get(view.state, view.state.value)
    return text[:_CELL].ljust(_CELL)


def grid_fragments(app: App) -> Fragments:
    """Layers down, scenes across; each slot's state in its colour."""
    session = app.session
    width = max([5, *(len(layer.name) for layer in session.layers)]) + 1
    out: Fragments = [("class:grid.head", "".ljust(width))]
    for number, scene in enumerate(session.scenes, start=1):
        out.append(("class:grid.head", f"{number} {scene.name}"[:_CELL].ljust(_CELL) + " "))
    out.append(("", "\n"))
    for layer in session.layers:
        out.append(("class:grid.layer", layer.name.ljust(width)))
        for index in range(len(session.scenes)):
            view = app.slot_view(layer.name, index)
            out.append((_STYLE[view.state], _cell(view)))
            out.append(("", " "))
        out.append(("", "\n"))
    return out


def grid_text(app: App) -> str:
    """The grid as plain text (for /grid and logs)."""
    return "".join(text for _, text in grid_fragments(app)).rstrip("\n")


def toolbar_fragments(app: App) -> Fragments:
    """bar.beat, tempo, key, quantize, underruns, renders in flight, recording."""
    s = app.status()
    parts: Fragments = [
        ("class:toolbar.clock", f" {s.bar}.{s.beat} "),
        ("class:toolbar", f" {s.tempo:g} BPM  {s.key}  q {s.quantize} "),
        ("class:toolbar", f" renders {s.renders} "),
        ("class:toolbar.bad" if s.underruns else "class:toolbar", f" underruns {s.underruns} "),
    ]
    if s.recording:
        parts.append(("class:toolbar.rec", " ● REC "))
    parts.append(("class:toolbar.hint", "  F2 grid  /help  Ctrl-D quit"))
    return parts
