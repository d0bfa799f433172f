"""MIDI and OSC learn: which target the next moved control is bound to.

`/learn drums cutoff` (or the grid's shift + a pad) arms learning here; the control
surfaces ask `take` when a control moves that is not mapped, or any control while
learning is armed, and perform the `MapControl` it gives. `map_text` is what `/map`
shows.
"""

from __future__ import annotations

__all__ = ["Learning", "map_text"]

from livetimbre.session import commands as c
from livetimbre.session.learnable import resolve
from livetimbre.session.mapping import Binding, Control
from livetimbre.session.model import Session


class Learning:
    """The armed learn request, if any."""

    def __init__(self) -> None:
        self.armed: c.Learn | None = None

    def arm(self, learn: c.Learn, session: Session) -> str:
        """Arm `learn` (its target checked against `session` first)."""
        target = resolve(learn.target, session)
        self._set(learn)
        return (f"learning {target.label}: move a knob, fader or pad, or send an OSC "
                "message (/learn off to stop)")

    def stop(self) -> str:
        if self.armed is None:
            return "not learning"
        label = self.armed.target
        self._set(None)
        return f"stopped learning {label}"

    def take(self, control: Control) -> c.MapControl | None:
        """The binding of `control` to the armed target, disarming; None when not armed."""
        learn = self.armed
        if learn is None:
            return None
        self._set(None)
        encoding = learn.encoding if control.kind == "cc" else "absolute"
        return c.MapControl(Binding(control, learn.target, encoding, learn.takeover))

    def _set(self, learn: c.Learn | None) -> None:
        self.armed = learn


def map_text(session: Session, learning: Learning) -> str:
    """The mapped controls, one a line, and what is being learned."""
    lines = []
    width = max((len(str(b.control)) for b in session.midi_map), default=0)
    for binding in session.midi_map:
        options = "".join(f" ({w})" for w in binding.options())
        lines.append(f"  {str(binding.control).ljust(width)}  → {binding.target}{options}")
    head = "Mapped controls:" if lines else "No controls mapped (/learn LAYER PARAM)."
    if learning.armed is not None:
        head += f"  Learning {learning.armed.target}: move a control."
    return "\n".join([head, *lines])
