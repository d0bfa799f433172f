"""The Session View grid and the status toolbar, as prompt_toolkit formatted text."""

from __future__ import annotations

__all__ = ["grid_fragments", "toolbar_fragments"]

from livetimbre.live.slots import cell_text, grid_rows
from livetimbre.live.surface import SessionView
from livetimbre.session.model import SlotState

Fragments = list[tuple[str, str]]

_STYLE = {
    SlotState.EMPTY: "class:slot.empty", SlotState.QUEUED: "class:slot.queued",
    SlotState.RENDERING: "class:slot.rendering", SlotState.READY: "class:slot.ready",
    SlotState.PLAYING: "class:slot.playing", SlotState.FAILED: "class:slot.failed",
}
_CELL = 14


def grid_fragments(view: SessionView) -> Fragments:
    """Layers down, scenes across; each slot's state in its colour."""
    session = view.session
    width = max([5, *(len(layer.name) for layer in session.layers)]) + 1
    out: Fragments = [("class:grid.head", "".ljust(width))]
    for number, scene in enumerate(session.scenes, start=1):
        out.append(("class:grid.head", f"{number} {scene.name}"[:_CELL].ljust(_CELL) + " "))
    out.append(("", "\n"))
    for layer, cells in grid_rows(view):
        out.append(("class:grid.layer", layer.ljust(width)))
        for cell in cells:
            out.append((_STYLE[cell.state], cell_text(cell)))
            out.append(("", " "))
        out.append(("", "\n"))
    return out


def _eta(eta: float | None) -> str:
    return f" ETA {eta:.0f}s" if eta is not None else ""


def toolbar_fragments(view: SessionView) -> Fragments:
    """bar.beat, tempo, key, quantize, underruns, renders in flight, recording."""
    s = view.status()
    parts: Fragments = [
        ("class:toolbar.clock", f" {s.bar}.{s.beat} "),
        ("class:toolbar", f" {s.tempo:g} BPM  {s.key}  q {s.quantize} "),
        ("class:toolbar", f" renders {s.renders}{_eta(s.eta)} "),
        ("class:toolbar.bad" if s.underruns else "class:toolbar", f" underruns {s.underruns} "),
        *([("class:toolbar", f" compose {s.compose} ")] if s.compose else []),
    ]
    if s.recording:
        parts.append(("class:toolbar.rec", " ● REC "))
    parts.append(("class:toolbar.hint", "  F2 grid  /help  Ctrl-D quit"))
    return parts
