"""The engine follows the session: a layer's release reaches it when it changes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from livetimbre.engine.client import AudioClient
from livetimbre.engine.commands import SetChannel, SetEffect, SetRelease
from livetimbre.live.engine_sync import follow_session, send_layer_settings
from livetimbre.session import commands as c
from livetimbre.session.model import Layer, Session
from livetimbre.session.state import apply


class _Engine:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def submit(self, command: Any) -> None:
        self.sent.append(command)


def _session() -> Session:
    return Session(tempo=120, key="A minor", meter="4/4", genre="house",
                   layers=(Layer("drums"), Layer("pads", release_ms=900.0)))


def test_every_layers_release_is_sent_at_start_and_only_changes_later() -> None:
    engine = _Engine()
    session = _session()
    send_layer_settings(cast(AudioClient, engine), session)
    assert [x for x in engine.sent if isinstance(x, SetRelease)] == [
        SetRelease("drums", 40.0), SetRelease("pads", 900.0)]
    engine.sent.clear()
    louder = apply(session, c.SetGain("drums", -3))
    follow_session(cast(AudioClient, engine), session, louder)
    assert not [x for x in engine.sent if isinstance(x, SetRelease)]
    assert SetChannel("drums", -3.0, False, False) in engine.sent
    engine.sent.clear()
    slower = apply(louder, c.SetRelease("drums", 250))
    follow_session(cast(AudioClient, engine), louder, slower)
    assert [x for x in engine.sent if isinstance(x, SetRelease)] == [SetRelease("drums", 250.0)]


def test_a_new_layers_release_is_sent() -> None:
    engine = _Engine()
    session = _session()
    engine.add_channel = lambda name: engine.sent.append(("add", name))  # type: ignore[attr-defined]
    grown = replace(session, layers=(*session.layers, Layer("keys", release_ms=120.0)))
    follow_session(cast(AudioClient, engine), session, grown)
    assert ("add", "keys") in engine.sent
    assert [x for x in engine.sent if isinstance(x, SetRelease)] == [SetRelease("keys", 120.0)]


def _effects(engine: _Engine) -> list[SetEffect]:
    return [x for x in engine.sent if isinstance(x, SetEffect)]


def test_effects_reach_the_engine_at_start_on_change_and_on_undo() -> None:
    engine = _Engine()
    session = apply(apply(_session(), c.SetFx("drums", "cutoff", 800)),
                    c.SetFx(None, "room", 0.9))
    send_layer_settings(cast(AudioClient, engine), session)
    assert _effects(engine) == [SetEffect("drums", "cutoff", 800.0), SetEffect(None, "room", 0.9)]
    engine.sent.clear()
    swept = apply(session, c.SetFx("drums", "cutoff", 400))
    follow_session(cast(AudioClient, engine), session, swept)
    assert _effects(engine) == [SetEffect("drums", "cutoff", 400.0)]  # only what changed
    engine.sent.clear()
    follow_session(cast(AudioClient, engine), swept, _session())  # an undo back to defaults
    assert _effects(engine) == [SetEffect("drums", "cutoff", 20000.0),
                                SetEffect(None, "room", 0.6)]


def test_a_change_sends_only_what_changed() -> None:
    engine = _Engine()
    session = _session()
    louder = apply(session, c.SetGain("drums", -3))
    follow_session(cast(AudioClient, engine), session, louder)
    assert engine.sent == [SetChannel("drums", -3.0, False, False)]
    engine.sent.clear()
    swept = apply(louder, c.SetFx("pads", "cutoff", 900))
    follow_session(cast(AudioClient, engine), louder, swept)
    assert engine.sent == [SetEffect("pads", "cutoff", 900.0)]
