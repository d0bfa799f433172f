"""A virtual MIDI device on JACK MIDI, standing in for a Launchpad or an APC in tests."""

from __future__ import annotations

import threading
import time
from typing import Any

import mido

JACK_MIDI = "mido.backends.rtmidi/UNIX_JACK"


class _Polled:
    """An rtmidi virtual input on JACK read by a thread of its own: an rtmidi callback
    would run in the JACK client's real-time thread and wait there for the GIL, making
    the whole JACK graph (the audio under test included) miss deadlines."""

    def __init__(self, name: str, client: str) -> None:
        import rtmidi

        self._rt = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, name=client)
        self._rt.ignore_types(sysex=False, timing=False, active_sense=True)
        self._rt.open_virtual_port(name)
        self._clock = 0.0
        self._lock = threading.Lock()
        self.received: list[tuple[float, list[int]]] = []  # backend time (s), bytes
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._closed.is_set():
            event = self._rt.get_message()
            if event is None:
                time.sleep(0.001)
                continue
            with self._lock:
                self._clock += event[1]
                self.received.append((self._clock, list(event[0])))

    def events(self) -> list[tuple[float, list[int]]]:
        with self._lock:
            return list(self.received)

    def close(self) -> None:
        if not self._closed.is_set():
            self._closed.set()
            self._thread.join()
            self._rt.close_port()
            self._rt.delete()


class VirtualDevice:
    """Ports named `name` that livetimbre finds and opens as it would the hardware; what
    livetimbre sends is kept, in order."""

    def __init__(self, name: str) -> None:
        backend = mido.Backend(JACK_MIDI, load=True)
        self.name = name
        self._out = backend.open_output(name, virtual=True, client_name="testdevice")
        self._in = _Polled(name, "testdevice")

    @property
    def output_port(self) -> str:
        """The device's output as others list it: JACK adds the client's name, which
        JACK makes unique (testdevice, testdevice-01, ...)."""
        backend = mido.Backend(JACK_MIDI, load=True)
        names = [n for n in backend.get_input_names() if n.endswith(f":{self.name}")]
        assert len(names) == 1, names
        return str(names[0])

    def messages(self) -> list[Any]:
        return [mido.Message.from_bytes(data) for _, data in self._in.events()]

    def send(self, message: Any) -> None:
        self._out.send(message)

    def note(self, note: int, velocity: int = 100, channel: int = 0) -> None:
        self.send(mido.Message("note_on", note=note, velocity=velocity, channel=channel))
        self.send(mido.Message("note_off", note=note, channel=channel))

    def cc(self, control: int, value: int = 127, channel: int = 0) -> None:
        self.send(mido.Message("control_change", control=control, value=value,
                               channel=channel))

    def leds(self) -> dict[tuple[str, int], tuple[int, int]]:
        """The last (channel, value) livetimbre sent to each (kind, number)."""
        lit: dict[tuple[str, int], tuple[int, int]] = {}
        for message in self.messages():
            if message.type == "note_on":
                lit[("note", message.note)] = (message.channel, message.velocity)
            elif message.type == "control_change":
                lit[("cc", message.control)] = (message.channel, message.value)
        return lit

    def close(self) -> None:
        """Unplug (again: nothing)."""
        self._in.close()
        self._out.close()


class TimedReceiver(_Polled):
    """A virtual MIDI input on JACK keeping each message with the backend's timestamp
    (seconds from the first message; JACK's are exact to the period)."""

    def __init__(self, name: str) -> None:
        super().__init__(name, "testreceiver")
        self.name = name
