"""A grid controller over real JACK MIDI: pads, buttons and faders drive the session,
LEDs follow the slots, and an unplugged device is picked up again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pytest

from livetimbre.controllers.midi.grid import fader_db
from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
from livetimbre.engine.events import EngineEvent
from livetimbre.session import commands as c
from livetimbre.session.model import SlotKey
from tests.e2e.midi_device import JACK_MIDI, VirtualDevice
from tests.e2e.test_live_audio import _all_ready, _app, until

# The e2e patch: layers drums, bass, keys (columns 1-3); scenes a, b (rows 1-2).
LPX_PROGRAMMER_MODE = [0x00, 0x20, 0x29, 0x02, 0x0C, 0x0E, 0x01]
READY, QUEUED, PLAYING, EMPTY = (0, 13), (1, 21), (2, 21), (0, 0)


def _pad(row: int, column: int) -> int:
    """Launchpad X programmer-mode note of a pad, row 0 at the top."""
    return 81 - 10 * row + column


@pytest.fixture
def plug(monkeypatch: pytest.MonkeyPatch, jack_server: str) -> Iterator[Callable[[str],
                                                                                VirtualDevice]]:
    """Plug in virtual devices on JACK MIDI; all are unplugged after the test."""
    monkeypatch.setenv("MIDO_BACKEND", JACK_MIDI)
    devices: list[VirtualDevice] = []

    def plug_in(name: str) -> VirtualDevice:
        devices.append(VirtualDevice(name))
        return devices[-1]

    yield plug_in
    for device in devices:
        device.close()


def _events(app, kind: str, layer: str = "") -> list[EngineEvent]:  # type: ignore[no-untyped-def]
    return [e for e in app.engine.events if e.kind == kind and (not layer or e.layer == layer)]


def test_launchpad_pads_buttons_and_leds(plug: Callable[[str], VirtualDevice]) -> None:
    async def scenario() -> None:
        device = plug("Launchpad X LPX MIDI")
        app = _app()
        await app.start()
        surfaces = Surfaces(app.surface_context(), SurfaceOptions(controller="launchpad_x"))
        try:
            lines = await surfaces.start()
            assert lines == [f"controller Novation Launchpad X: {device.output_port}"]
            grid = surfaces.grid
            assert grid is not None
            await until(lambda: _all_ready(app), "renders")
            await until(lambda: device.leds().get(("note", _pad(1, 2))) == READY, "keys@b lit")
            first = device.messages()[0]
            assert first.type == "sysex" and list(first.data) == LPX_PROGRAMMER_MODE
            lit = device.leds()
            assert lit[("note", _pad(0, 0))] == READY  # drums@a
            assert lit[("note", _pad(0, 2))] == EMPTY  # keys has no clip in scene a
            assert lit[("note", _pad(5, 5))] == EMPTY  # outside the session
            assert lit[("cc", 89)] == READY and lit[("cc", 69)] == EMPTY  # scene buttons

            # A pad: bass@b (row 2, column 2) launches on the next bar.
            transport = app.engine.transport
            pressed = app.engine.frame
            device.note(_pad(1, 1))
            await until(lambda: _events(app, "launch", "bass"), "bass launch")
            launch = _events(app, "launch", "bass")[0]
            assert launch.slot == SlotKey("bass", "b")
            assert launch.bar == int(launch.bar)
            assert pressed < launch.frame <= transport.frame_at(transport.bar_at(pressed) + 2)
            await until(lambda: device.leds().get(("note", _pad(1, 1))) == PLAYING,
                        "bass@b pulsing")
            assert QUEUED in [(m.channel, m.velocity) for m in device.messages()
                              if m.type == "note_on" and m.note == _pad(1, 1)]

            # The top scene button launches scene a; its layers play; keys stops.
            device.cc(89)
            await until(lambda: _events(app, "scene"), "scene launch")
            scene = _events(app, "scene")[0]
            assert scene.scene == "a" and scene.bar == int(scene.bar)
            await until(lambda: device.leds().get(("cc", 89)) == PLAYING, "scene a lit")
            assert device.leds()[("note", _pad(0, 0))] == PLAYING
            # The second stop button (bass) stops bass at the next bar.
            device.cc(92)
            await until(lambda: _events(app, "stop", "bass"), "bass stop")
            assert _events(app, "stop", "bass")[0].bar == int(_events(app, "stop", "bass")[0].bar)
            await until(lambda: device.leds().get(("note", _pad(0, 1))) == READY, "bass@a off")
            # Releases, note-offs and unknown buttons do nothing.
            before = grid.pressed
            device.cc(89, 0)
            device.cc(20)
            device.note(0)
            await asyncio.sleep(0.3)
            assert grid.pressed == before

            # Unplugged: noticed; plugged back: reconnected, programmer mode and LEDs again.
            device.close()
            await until(lambda: grid.connected_to is None, "the unplug noticed", 5)
            device = plug("Launchpad X LPX MIDI")
            await until(lambda: grid.connected_to is not None, "the device reconnected", 5)
            await until(lambda: device.leds().get(("note", _pad(0, 0))) == PLAYING,
                        "LEDs restored", 5)
            assert list(device.messages()[0].data) == LPX_PROGRAMMER_MODE
            device.note(_pad(1, 2))  # keys@b from the replugged device
            await until(lambda: _events(app, "launch", "keys"), "keys launch after replug")
            # Shown, not asserted: see test_osc.py (the JACK MIDI threads' placement on
            # the audio CPU, which this guards, is what made the difference: 8 → 0).
            assert app.output is not None
            print(f"underruns: {app.output.underruns}")
        finally:
            await surfaces.stop()
            await app.stop()
        # Leaving: every LED off, then back to the device's own mode.
        last = device.messages()[-1]
        assert last.type == "sysex" and list(last.data)[-1] == 0
        assert {k: v for k, v in device.leds().items() if v != EMPTY} == {}

    asyncio.run(scenario())


def test_apc_faders_set_layer_gains(plug: Callable[[str], VirtualDevice]) -> None:
    async def scenario() -> None:
        device = plug("APC mini mk2 Control")
        app = _app()
        await app.start()
        # auto: the plugged-in APC is found
        surfaces = Surfaces(app.surface_context(), SurfaceOptions())
        try:
            lines = await surfaces.start()
            assert lines == [f"controller Akai APC mini mk2: {device.output_port}"]
            device.cc(48, 127)
            device.cc(49, 0)
            await until(lambda: app.session.layer("bass").gain_db == -96.0, "bass fader")
            assert app.session.layer("drums").gain_db == 6.0
            for value in (100, 90, 80):  # one move: one undo step
                device.cc(50, value)
            await until(lambda: app.session.layer("keys").gain_db == fader_db(80), "keys fader")
            assert app.execute(c.Undo()).startswith("undid /gain keys")
            assert app.session.layer("keys").gain_db == 0.0
            # APC pads: note 56 is the top-left pad (drums, scene a).
            device.note(56)
            await until(lambda: _events(app, "launch", "drums"), "drums launch")
        finally:
            await surfaces.stop()
            await app.stop()

    asyncio.run(scenario())
