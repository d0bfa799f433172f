"""A Session back to patch data: what `/save` writes and every sidecar's recipe holds."""

from __future__ import annotations

__all__ = ["session_to_patch"]

from collections.abc import Mapping
from typing import Any

from livetimbre.music.effects import show_fx
from livetimbre.music.values import DEFAULT_COMPOSE_SECONDS, DEFAULT_RELEASE_MS
from livetimbre.session.mapping import Binding
from livetimbre.session.model import ClipSlot, Session


def _number_or_text(text: str) -> float | int | str:
    """`"2"` saved as 2 and `"1.5"` as 1.5, so a patch keeps the number it was given;
    a pattern (`"<1 2>"`) as text."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def _pattern_clip(slot: ClipSlot) -> dict[str, Any]:
    assert slot.pattern is not None
    clip: dict[str, Any] = {"pattern": slot.pattern.text}
    if slot.prompt:
        clip["prompt"] = slot.prompt
    for name, value in (("vel", slot.pattern.vel), ("gate", slot.pattern.gate),
                        ("bars", slot.bars), ("seed", slot.seed)):
        if value is not None:
            clip[name] = value
    if slot.pattern.cycles != "1":
        clip["cycles"] = _number_or_text(slot.pattern.cycles)
    return clip


def _sample_clip(slot: ClipSlot) -> dict[str, Any]:
    assert slot.sample is not None
    clip: dict[str, Any] = {"sample": slot.sample.path}
    for name, value in (("bpm", slot.sample.bpm), ("key", slot.sample.key),
                        ("bars", slot.bars), ("seed", slot.seed)):
        if value is not None:
            clip[name] = value
    return clip


def _fx(values: Mapping[str, float]) -> dict[str, Any]:
    """Effect values as a person writes them (choices by name)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        shown = show_fx(name, value)
        out[name] = value if shown == f"{value:g}" else shown
    return out


def session_to_patch(session: Session) -> dict[str, Any]:
    """Plain data that `patch.load.parse_patch` turns back into an equal Session."""
    head: dict[str, Any] = {
        "genre": session.genre, "tempo": session.tempo, "key": session.key,
        "meter": session.meter, "quantize": session.quantize, "bars": session.bars,
    }
    if session.seed is not None:
        head["seed"] = session.seed
    if session.backend != "procedural":
        head["backend"] = session.backend
    if session.sampling:
        head["sampling"] = dict(session.sampling)
    if session.duration != DEFAULT_COMPOSE_SECONDS:
        head["duration"] = session.duration
    if session.director is not None:
        head["director"] = session.director
    if session.render_server is not None:
        head["render_server"] = session.render_server
    layers: dict[str, Any] = {}
    for layer in session.layers:
        spec: dict[str, Any] = {}
        if layer.instrument:
            spec["instrument"] = layer.instrument
        if layer.gain_db:
            spec["gain"] = layer.gain_db
        if layer.muted:
            spec["mute"] = True
        if layer.soloed:
            spec["solo"] = True
        if layer.backend is not None:
            spec["backend"] = layer.backend
        if layer.release_ms != DEFAULT_RELEASE_MS:
            spec["release"] = layer.release_ms
        if layer.sampling:
            spec["sampling"] = dict(layer.sampling)
        if layer.kit is not None:
            spec["kit"] = layer.kit
        if layer.fx:
            spec["fx"] = _fx(layer.fx)
        layers[layer.name] = spec
    scenes = []
    for scene in session.scenes:
        clips: dict[str, Any] = {}
        for name, slot in scene.clips.items():
            if slot.sample is not None:
                clips[name] = _sample_clip(slot)
            elif slot.pattern is not None:
                clips[name] = _pattern_clip(slot)
            elif (slot.bars is None and slot.seed is None and slot.continues is None
                    and slot.lyrics is None):
                clips[name] = slot.prompt
            else:
                clip: dict[str, Any] = {"prompt": slot.prompt}
                if slot.bars is not None:
                    clip["bars"] = slot.bars
                if slot.seed is not None:
                    clip["seed"] = slot.seed
                if slot.continues is not None:
                    clip["continue"] = slot.continues
                if slot.lyrics is not None:  # a lyrics_file's words too: saved inline
                    clip["lyrics"] = slot.lyrics
                clips[name] = clip
        entry: dict[str, Any] = {"name": scene.name, "clips": clips}
        if scene.bars is not None:
            entry["bars"] = scene.bars
        scenes.append(entry)
    patch: dict[str, Any] = {"session": head, "layers": layers, "scenes": scenes}
    if session.controller:
        patch["controller"] = session.controller
    if session.midi_map:
        patch["midi_map"] = [_map_entry(binding) for binding in session.midi_map]
    if session.fx:
        patch["fx"] = _fx(session.fx)
    return patch


def _map_entry(binding: Binding) -> dict[str, Any]:
    control = binding.control
    entry: dict[str, Any] = (
        {"osc": control.address} if control.kind == "osc"
        else {control.kind: control.number, "channel": control.channel})
    entry["target"] = binding.target
    if binding.encoding != "absolute":
        entry["encoder"] = binding.encoding
    if not binding.takeover:
        entry["takeover"] = False
    return entry
