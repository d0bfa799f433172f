"""Applying session changes to a snapshot, with undo history and change listeners."""

from __future__ import annotations

__all__ = ["SessionHistory", "apply"]

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import assert_never

from livetimbre.errors import ValueProblem
from livetimbre.music.effects import FX
from livetimbre.music.values import clamp_compose_seconds
from livetimbre.session import commands as c
from livetimbre.session.learnable import resolve
from livetimbre.session.model import ClipSlot, Layer, PatternRef, SampleRef, Scene, Session

_ONE_OF = {"stutter": "tapestop", "tapestop": "stutter"}  # master effects that exclude
GESTURE_SECONDS = 1.0  # gain changes of one layer this close together are one undo step


def _replace_layer(session: Session, layer: Layer) -> Session:
    layers = tuple(layer if ly.name == layer.name else ly for ly in session.layers)
    return replace(session, layers=layers)


def _updated(old: Mapping[str, float], params: tuple[tuple[str, float | None], ...]
             ) -> dict[str, float]:
    new = dict(old)
    for name, value in params:
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
    return new


def _with_fx(old: Mapping[str, float], param: str, value: float) -> dict[str, float]:
    """Effect values off their default (a default value is dropped, so equal sounds
    compare equal)."""
    new = {k: v for k, v in old.items() if k != param}
    if value != FX[param].default:
        new[param] = value
    return new


def apply(session: Session, command: c.SessionChange) -> Session:
    """The session after `command` (whose values were checked when it was built); what
    depends on the session (an unknown layer, a duplicate name) raises ValueProblem."""
    if not isinstance(command, c.SessionChange):  # a caller without types
        raise ValueProblem(f"Not a session change: {command!r}.")
    match command:
        case c.SetTempo(bpm):
            return replace(session, tempo=bpm)
        case c.SetKey(key):
            return replace(session, key=key)
        case c.SetGenre(genre):
            return replace(session, genre=genre)
        case c.SetSeed(seed):
            return replace(session, seed=seed)
        case c.SetQuantize(q):
            return replace(session, quantize=q)
        case c.SetModel(backend):
            return replace(session, backend=backend)
        case c.SetDuration(seconds):
            return replace(session, duration=clamp_compose_seconds(seconds))
        case c.SetSampling(params, layer):
            if layer is None:
                return replace(session, sampling=_updated(session.sampling, params))
            old = session.layer(layer)
            return _replace_layer(session, replace(old, sampling=_updated(old.sampling, params)))
        case c.SetGain(layer, db):
            return _replace_layer(session, replace(session.layer(layer), gain_db=db))
        case c.SetRelease(layer, ms):
            return _replace_layer(session, replace(session.layer(layer), release_ms=ms))
        case c.SetFx(layer, param, value):
            if layer is None:
                fx = _with_fx(session.fx, param, value)
                if value and param in _ONE_OF:  # engaging one releases the other
                    fx = _with_fx(fx, _ONE_OF[param], 0.0)
                return replace(session, fx=fx)
            old = session.layer(layer)
            return _replace_layer(session, replace(old, fx=_with_fx(old.fx, param, value)))
        case c.SetMute(layer, muted):
            return _replace_layer(session, replace(session.layer(layer), muted=muted))
        case c.SetSolo(layer, soloed):
            return _replace_layer(session, replace(session.layer(layer), soloed=soloed))
        case c.AddLayer(name, instrument):
            if any(ly.name == name for ly in session.layers):
                raise ValueProblem(f"Layer '{name}' already exists.")
            return replace(session, layers=(*session.layers, Layer(name, instrument)))
        case c.AddScene(name):
            if any(s.name == name for s in session.scenes):
                raise ValueProblem(f"Scene '{name}' already exists.")
            return replace(session, scenes=(*session.scenes, Scene(name)))
        case c.RenameScene(ref, name):
            index = session.scene_index(ref)
            if any(s.name == name for i, s in enumerate(session.scenes) if i != index):
                raise ValueProblem(f"Scene '{name}' already exists.")
            scenes = list(session.scenes)
            scenes[index] = replace(scenes[index], name=name)
            return replace(session, scenes=tuple(scenes))
        case c.SetClipPrompt(layer, ref, prompt):
            session.layer(layer)
            index = session.scene_index(ref)
            scene = session.scenes[index]
            clips = dict(scene.clips)
            if prompt:
                clips[layer] = replace(clips.get(layer, ClipSlot(prompt)), prompt=prompt,
                                       sample=None)
            else:
                clips.pop(layer, None)
            scenes = list(session.scenes)
            scenes[index] = replace(scene, clips=clips)
            return replace(session, scenes=tuple(scenes))
        case c.SetLyrics(layer, ref, words):
            session.layer(layer)
            index = session.scene_index(ref)
            scene = session.scenes[index]
            slot = scene.clips.get(layer)
            if slot is None:
                raise ValueProblem(f"{layer}@{scene.name} has no clip to sing the words: "
                                   f'/clip {layer} {index + 1} "PROMPT" first.')
            scenes = list(session.scenes)
            scenes[index] = replace(scene, clips={**scene.clips,
                                                  layer: replace(slot, lyrics=words)})
            return replace(session, scenes=tuple(scenes))
        case c.SetClipSample(layer, ref, path, bpm, key):
            session.layer(layer)
            index = session.scene_index(ref)
            scene = session.scenes[index]
            slot = replace(scene.clips.get(layer, ClipSlot("")), prompt="", continues=None,
                           sample=SampleRef(path, bpm, key))
            scenes = list(session.scenes)
            scenes[index] = replace(scene, clips={**scene.clips, layer: slot})
            return replace(session, scenes=tuple(scenes))
        case c.SetClipPattern(layer, ref, text):
            session.layer(layer)
            index = session.scene_index(ref)
            scene = session.scenes[index]
            clips = dict(scene.clips)
            slot = clips.get(layer, ClipSlot(""))
            if text is not None:
                given = slot.pattern or PatternRef(text)
                clips[layer] = replace(slot, sample=None, pattern=replace(given, text=text))
            elif slot.prompt:
                clips[layer] = replace(slot, pattern=None)
            else:
                clips.pop(layer, None)
            scenes = list(session.scenes)
            scenes[index] = replace(scene, clips=clips)
            return replace(session, scenes=tuple(scenes))
        case c.SetKit(layer, path):
            return _replace_layer(session, replace(session.layer(layer), kit=path))
        case c.MapControl(binding):
            resolve(binding.target, session)
            kept = tuple(b for b in session.midi_map if b.control != binding.control)
            return replace(session, midi_map=(*kept, binding))
        case c.Unmap() as unmap:
            kept = tuple(b for b in session.midi_map if not unmap.removes(b))
            if len(kept) == len(session.midi_map):
                raise ValueProblem(f"Nothing is mapped to {unmap.what!r} (see /map).")
            return replace(session, midi_map=kept)
        case _:
            assert_never(command)


def _gesture(command: c.SessionChange) -> str | None:
    """What a knob or fader moves, for merging a move into one undo step."""
    if isinstance(command, c.SetGain):
        return command.layer
    if isinstance(command, c.SetFx):
        return f"{command.layer or ''}/{command.param}"
    if isinstance(command, c.SetTempo):  # a tempo knob or encoder
        return "/tempo"
    return None


class SessionHistory:
    """The current session, the snapshots before it (for /undo, each with a label saying
    what changed), and change listeners."""

    def __init__(self, session: Session, depth: int = 200) -> None:
        self.current = session
        self._undo: list[tuple[Session, str]] = []
        self._depth = depth
        self._listeners: list[Callable[[Session, Session], None]] = []
        self._gesture: str | None = None  # the gain or effect being moved
        self._gesture_time = 0.0

    def listen(self, listener: Callable[[Session, Session], None]) -> None:
        """Call `listener(old, new)` after every change."""
        self._listeners.append(listener)

    def apply(self, command: c.SessionChange, label: str = "") -> Session:
        """Apply `command` (`label` says what it did, for /undo); raises ValueProblem (and
        changes nothing) when it is invalid.

        A fader or knob move continuing the last one (the same layer's gain, or the same
        effect parameter, within a second) is merged into it, so one /undo takes back the
        whole move.
        """
        session = apply(self.current, command)
        now = time.monotonic()
        gesture = _gesture(command)
        continues = gesture is not None and gesture == self._gesture and (
            now - self._gesture_time < GESTURE_SECONDS)
        self._gesture, self._gesture_time = gesture, now
        return self.replace(session, label, undoable=not continues)

    def replace(self, session: Session, label: str = "", undoable: bool = True) -> Session:
        """Make `session` current (a change, or a loaded or hot-reloaded patch)."""
        old = self.current
        if session == old:
            return old
        label = label or "the last change"
        if undoable or not self._undo:
            self._undo.append((old, label))
            del self._undo[: -self._depth]
        else:  # a continued gesture: the step now ends at this value
            self._undo[-1] = (self._undo[-1][0], label)
        self.current = session
        for listener in self._listeners:
            listener(old, session)
        return session

    def undo(self) -> str | None:
        """Step back one change; returns its label, or None when there is nothing to undo."""
        if not self._undo:
            return None
        (previous, label), old = self._undo.pop(), self.current
        self.current = previous
        for listener in self._listeners:
            listener(old, self.current)
        return label
