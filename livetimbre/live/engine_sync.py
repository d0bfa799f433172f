"""The engine follows the session: tempo, quantization, layers and their mixer settings."""

from __future__ import annotations

__all__ = ["follow_session", "send_layer_settings"]

from livetimbre.engine.client import AudioClient
from livetimbre.engine.commands import (
    ChangeQuantize,
    ChangeTempo,
    RemoveChannel,
    SetChannel,
    SetRelease,
)
from livetimbre.engine.effects import effect_commands
from livetimbre.session.model import Session


def send_layer_settings(engine: AudioClient, session: Session, old: Session | None = None
                        ) -> None:
    """Each layer's gain, mute and solo, its release, and the effects, applied at the
    start of the next block: all of them, or (given `old`) those that differ from `old`'s
    (a knob turned 50 times a second sends one command a turn, not one per layer)."""
    was = {layer.name: layer for layer in old.layers} if old else {}
    for layer in session.layers:
        before = was.get(layer.name)
        mix = (layer.gain_db, layer.muted, layer.soloed)
        if before is None or (before.gain_db, before.muted, before.soloed) != mix:
            engine.submit(SetChannel(layer.name, *mix))
        if before is None or before.release_ms != layer.release_ms:
            engine.submit(SetRelease(layer.name, layer.release_ms))
    for command in effect_commands(session, old):
        engine.submit(command)


def follow_session(engine: AudioClient, old: Session, new: Session) -> None:
    """Tell the engine what changed from `old` to `new` (a tempo from the next bar)."""
    if new.tempo != old.tempo:
        engine.submit(ChangeTempo(new.tempo))
    if new.quantize != old.quantize:
        engine.submit(ChangeQuantize(new.quantize))
    old_names = {layer.name for layer in old.layers}
    new_names = {layer.name for layer in new.layers}
    for name in new_names - old_names:
        engine.add_channel(name)
    for name in old_names - new_names:
        engine.submit(RemoveChannel(name))
    send_layer_settings(engine, new, old)
