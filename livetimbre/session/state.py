"""Applying commands to a session snapshot; every change is validated first."""

from __future__ import annotations

__all__ = ["SessionHistory", "apply"]

import time
from collections.abc import Callable
from dataclasses import replace

from livetimbre.errors import ValueProblem
from livetimbre.music.seeds import MAX_SEED
from livetimbre.music.theory import parse_key
from livetimbre.music.values import check_gain_db, check_quantize, check_tempo
from livetimbre.session import commands as c
from livetimbre.session.model import ClipSlot, Layer, Scene, Session

MAX_PROMPT = 500
GESTURE_SECONDS = 1.0  # gain changes of one layer this close together are one undo step
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def _check_name(name: str, what: str) -> str:
    if not name or not set(name.lower()) <= _NAME_CHARS or len(name) > 32:
        raise ValueProblem(
            f"{what} name {name!r} must be 1-32 letters, digits, '-' or '_' (no spaces)."
        )
    return name


def _replace_layer(session: Session, name: str, **changes: object) -> Session:
    session.layer(name)
    layers = tuple(replace(ly, **changes) if ly.name == name else ly for ly in session.layers)  # type: ignore[arg-type]
    return replace(session, layers=layers)


def apply(session: Session, command: c.Command) -> Session:
    """The session after `command`; transport commands (launch/stop) leave it unchanged."""
    match command:
        case c.SetTempo(bpm):
            return replace(session, tempo=check_tempo(bpm, "/tempo"))
        case c.SetKey(key):
            return replace(session, key=str(parse_key(key)))
        case c.SetGenre(genre):
            return replace(session, genre=genre)
        case c.SetSeed(seed):
            if seed is not None and not 0 <= seed <= MAX_SEED:
                raise ValueProblem(f"Seed {seed} is out of range: use 0 to {MAX_SEED}.")
            return replace(session, seed=seed)
        case c.SetQuantize(q):
            return replace(session, quantize=check_quantize(q, "/quantize"))
        case c.SetGain(layer, db):
            return _replace_layer(session, layer, gain_db=check_gain_db(db, "/gain"))
        case c.SetMute(layer, muted):
            return _replace_layer(session, layer, muted=muted)
        case c.SetSolo(layer, soloed):
            return _replace_layer(session, layer, soloed=soloed)
        case c.AddLayer(name, instrument):
            if any(ly.name == name for ly in session.layers):
                raise ValueProblem(f"Layer '{name}' already exists.")
            added = Layer(_check_name(name, "Layer"), instrument)
            return replace(session, layers=(*session.layers, added))
        case c.AddScene(name):
            if any(s.name == name for s in session.scenes):
                raise ValueProblem(f"Scene '{name}' already exists.")
            return replace(session, scenes=(*session.scenes, Scene(_check_name(name, "Scene"))))
        case c.RenameScene(ref, name):
            index = session.scene_index(ref)
            if any(s.name == name for i, s in enumerate(session.scenes) if i != index):
                raise ValueProblem(f"Scene '{name}' already exists.")
            scenes = list(session.scenes)
            scenes[index] = replace(scenes[index], name=_check_name(name, "Scene"))
            return replace(session, scenes=tuple(scenes))
        case c.SetClipPrompt(layer, ref, prompt):
            session.layer(layer)
            index = session.scene_index(ref)
            scene = session.scenes[index]
            clips = dict(scene.clips)
            if prompt and len(prompt) > MAX_PROMPT:
                raise ValueProblem(f"Prompt is {len(prompt)} characters; the limit is "
                                   f"{MAX_PROMPT}.")
            if prompt:
                clips[layer] = replace(clips.get(layer, ClipSlot(prompt)), prompt=prompt)
            else:
                clips.pop(layer, None)
            scenes = list(session.scenes)
            scenes[index] = replace(scene, clips=clips)
            return replace(session, scenes=tuple(scenes))
        case c.LaunchClip(layer, ref):
            session.layer(layer)
            session.scene_index(ref)
            return session
        case c.LaunchScene(ref):
            session.scene_index(ref)
            return session
        case c.StopLayer(layer):
            session.layer(layer)
            return session
        case c.StopAll():
            return session
    raise ValueProblem(f"Unknown command {command!r}.")


class SessionHistory:
    """The current session, the snapshots before it (for /undo), and change listeners."""

    def __init__(self, session: Session, depth: int = 200) -> None:
        self.current = session
        self._undo: list[Session] = []
        self._depth = depth
        self._listeners: list[Callable[[Session, Session], None]] = []
        self._gesture: str | None = None  # the layer whose gain is being moved
        self._gesture_time = 0.0

    def listen(self, listener: Callable[[Session, Session], None]) -> None:
        """Call `listener(old, new)` after every change."""
        self._listeners.append(listener)

    def apply(self, command: c.Command) -> Session:
        """Apply `command`; raises ValueProblem (and changes nothing) when it is invalid.

        A fader move continuing the last one (the same layer's gain within a second) is
        merged into it, so one /undo takes back the whole move.
        """
        session = apply(self.current, command)
        now = time.monotonic()
        gesture = command.layer if isinstance(command, c.SetGain) else None
        continues = gesture is not None and gesture == self._gesture and (
            now - self._gesture_time < GESTURE_SECONDS)
        self._gesture, self._gesture_time = gesture, now
        return self.replace(session, undoable=not continues)

    def replace(self, session: Session, undoable: bool = True) -> Session:
        """Make `session` current (a loaded or hot-reloaded patch)."""
        old = self.current
        if session == old:
            return old
        if undoable or not self._undo:
            self._undo.append(old)
            del self._undo[: -self._depth]
        self.current = session
        for listener in self._listeners:
            listener(old, session)
        return session

    def undo(self) -> bool:
        """Step back one change; False when there is nothing to undo."""
        if not self._undo:
            return False
        old, self.current = self.current, self._undo.pop()
        for listener in self._listeners:
            listener(old, self.current)
        return True
