"""What a hot reload of the patch file changed, and what of the performer's own changes
(made in the REPL or over OSC since the file was last read) it replaced."""

from __future__ import annotations

__all__ = ["reload_note"]

from collections.abc import Callable

from livetimbre.session.model import Session

# Session settings a command can change: (field, the command that sets it, its text).
_SETTINGS: tuple[tuple[str, str, Callable[[Session], str]], ...] = (
    ("tempo", "/tempo", lambda s: f"{s.tempo:g}"),
    ("key", "/key", lambda s: s.key),
    ("genre", "/genre", lambda s: s.genre),
    ("seed", "/seed", lambda s: "none" if s.seed is None else str(s.seed)),
    ("quantize", "/quantize", lambda s: s.quantize),
    ("backend", "/model", lambda s: s.backend),
    ("duration", "/duration", lambda s: f"{s.duration:g}"),
)


def reload_note(read_before: Session, yours: Session, loaded: Session) -> str:
    """A few words on a reload: each setting the file changed ('tempo 104 → 96'), and
    each change of yours it replaced ('(your /tempo 120 was replaced)'), then how to get
    those back; '' when the reload changed no setting and replaced nothing of yours.

    `read_before` is the session as the file last gave it, `yours` the one playing
    before the reload, `loaded` the one the file gives now."""
    parts: list[str] = []
    replaced = False
    for name, command, text in _SETTINGS:
        was, mine, now = text(read_before), text(yours), text(loaded)
        part = f"{name} {was} → {now}" if was != now else ""
        if mine not in (was, now):
            replaced = True
            part = f"{part or f'{name} {now}'} (your {command} {mine} was replaced)"
        if part:
            parts.append(part)
    mine_layout = (yours.layers, yours.scenes)
    if mine_layout not in ((read_before.layers, read_before.scenes),
                           (loaded.layers, loaded.scenes)):
        replaced = True
        parts.append("your changes to layers, scenes or clips were replaced")
    note = "; ".join(parts)
    return f"{note} — /undo brings them back" if replaced else note
