"""The Session View grid and the status toolbar, as prompt_toolkit formatted text."""

from __future__ import annotations

__all__ = ["grid_fragments", "toolbar_fragments"]

from livetimbre.live.slots import Status, cell_text, grid_rows, sung_lines
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
    for layer, text in sung_lines(view):  # the words being sung, as they are sung
        out.append(("class:grid.layer", f"♪ {layer}: "))
        out.append(("class:slot.playing", f"{text}\n"))
    return out


def _eta(eta: float | None) -> str:
    return f" ETA {eta:.0f}s" if eta is not None else ""


# (priority, style, text): lower numbers are kept first when the width runs short.
_Part = tuple[int, str, str]
_HINT = "  F2 grid  /help  ^D quit"


def _parts(s: Status) -> list[_Part]:
    """The toolbar's parts, most important first (the order they are shown in)."""
    bad = s.underruns > 0
    parts: list[_Part] = [
        (0, "class:toolbar.clock", f" {s.bar}.{s.beat} "),
        (0, "class:toolbar", f" {s.tempo:g} BPM  {s.key} "),
        (1 if bad else 6, "class:toolbar.bad" if bad else "class:toolbar",
         f" underruns {s.underruns} "),
    ]
    if s.recording:
        parts.append((1, "class:toolbar.rec", " ● REC "))
    if s.learning:
        parts.append((1, "class:toolbar.rec", f" LEARN {s.learning}: move a control "))
    parts.append((2 if s.renders else 5, "class:toolbar", f" renders {s.renders}{_eta(s.eta)} "))
    parts.append((3, "class:toolbar", f" q {s.quantize} "))
    if s.compose:
        parts.append((4, "class:toolbar", f" compose {s.compose} "))
    parts.append((7, "class:toolbar.hint", _HINT))
    return sorted(parts, key=lambda part: part[0])


def toolbar_fragments(view: SessionView, width: int = 80) -> Fragments:
    """bar.beat, tempo and key, underruns (first when there are any), recording, renders
    in flight, quantize, a compose's progress, key hints: within `width` columns, the
    least important parts left out (a compose's progress shortened) when they do not fit."""
    parts = _parts(view.status())
    while sum(len(text) for _, _, text in parts) > width and len(parts) > 2:
        worst = max(range(len(parts)), key=lambda i: (parts[i][0], i))
        rank, style, text = parts[worst]
        over = sum(len(t) for _, _, t in parts) - width
        if text.startswith(" compose ") and len(text) - over >= len(" compose ") + 6:
            parts[worst] = (rank, style, text[:len(text) - over - 2] + "… ")
        else:
            del parts[worst]
    return [(style, text) for _, style, text in parts]
