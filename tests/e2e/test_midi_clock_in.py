"""MIDI clock in and /panic over real JACK MIDI (the clock-out timing test, which needs a
64-frame JACK period, is in tests/timing)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from livetimbre.controllers.midi.clock import PPQN
from livetimbre.controllers.surfaces import SurfaceOptions, Surfaces
from tests.e2e.midi_device import JACK_MIDI, TimedReceiver
from tests.e2e.test_live_audio import _all_ready, _app, until

TICK, START, STOP = 0xF8, 0xFA, 0xFC


@pytest.fixture
def jack_midi(monkeypatch: pytest.MonkeyPatch, jack_server: str) -> str:
    monkeypatch.setenv("MIDO_BACKEND", JACK_MIDI)
    return jack_server


class _ClockSender:
    """A test device sending MIDI clock at `bpm` from a thread, on absolute deadlines."""

    def __init__(self, name: str, bpm: float) -> None:
        import rtmidi

        self._out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name="testclock")
        self._out.open_virtual_port(name)
        self.bpm = bpm
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._out.send_message([START])
        self._thread.start()

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            due += 60.0 / (self.bpm * PPQN)
            time.sleep(max(0.0, due - time.monotonic()))
            self._out.send_message([TICK])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._out.send_message([STOP])

    def close(self) -> None:
        self._out.close_port()
        self._out.delete()


def test_clock_in_sets_the_tempo_and_follows_start_and_stop(jack_midi: str) -> None:
    async def scenario() -> None:
        device = _ClockSender("clock source", 131.5)
        app = _app()
        await app.start()
        surfaces = Surfaces(app.surface_context(), SurfaceOptions(clock_in="clock source"))
        try:
            assert await surfaces.start() == ["MIDI clock in: testclock:clock source"]
            await until(lambda: _all_ready(app), "renders")
            device.start()
            await until(lambda: app.views.playing("drums") is not None, "Start → scene 1")
            await until(lambda: abs(app.session.tempo - 131.5) <= 0.5, "the tempo followed", 15)
            await until(lambda: app.engine.transport.tempo == app.session.tempo,
                        "the engine's tempo")
            device.bpm = 98.0
            await until(lambda: abs(app.session.tempo - 98.0) <= 0.5, "the new tempo", 15)
            device.stop()
            await until(lambda: app.views.playing("drums") is None, "Stop → all stopped")
        finally:
            await surfaces.stop()
            await app.stop()
            device.close()

    asyncio.run(scenario())


def test_panic_and_exit_silence_every_channel(jack_midi: str) -> None:
    async def scenario() -> TimedReceiver:
        sink = TimedReceiver("notes sink")
        app = _app()
        await app.start()
        surfaces = Surfaces(app.surface_context(), SurfaceOptions(midi_out="notes sink"))
        try:
            await surfaces.start()
            app.launcher.panic()
            await until(lambda: len(sink.events()) >= 32, "all notes / sound off")
        finally:
            await surfaces.stop()
            await app.stop()
        return sink

    sink = asyncio.run(scenario())
    events = [data for _, data in sink.events()]
    sink.close()
    silence = [[0xB0 | channel, control, 0] for channel in range(16) for control in (123, 120)]
    assert events[:32] == silence  # /panic
    assert events[32:] == silence  # leaving


def test_devices_lists_midi_ports_with_their_backend(jack_midi: str) -> None:
    from livetimbre.system.devices import describe_devices

    sink = TimedReceiver("listed port")
    try:
        text = describe_devices()
    finally:
        sink.close()
    assert "MIDI outputs (rtmidi Jack):" in text
    assert "testreceiver:listed port" in text


def test_devices_says_why_midi_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    from livetimbre.system.devices import describe_devices

    monkeypatch.setenv("MIDO_BACKEND", "mido.backends.portmidi")
    assert "MIDI: unavailable: MIDO_BACKEND='mido.backends.portmidi'" in describe_devices()
