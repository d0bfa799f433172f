"""A virtual MIDI device on JACK MIDI, standing in for a Launchpad or an APC in tests."""

from __future__ import annotations

import threading
import time
from typing import Any

import mido

JACK_MIDI = "mido.backends.rtmidi/UNIX_JACK"


class VirtualDevice:
    """Ports named `name` that livetimbre finds and opens as it would the hardware; what
    livetimbre sends lands in `received` as (monotonic time, message)."""

    def __init__(self, name: str) -> None:
        backend = mido.Backend(JACK_MIDI, load=True)
        self.name = name
        self.received: list[tuple[float, Any]] = []
        self._lock = threading.Lock()
        self._out = backend.open_output(name, virtual=True, client_name="testdevice")
        self._in = backend.open_input(name, virtual=True, client_name="testdevice",
                                      callback=self._got)

    @property
    def output_port(self) -> str:
        """The device's output as others list it: JACK adds the client's name, which
        JACK makes unique (testdevice, testdevice-01, ...)."""
        backend = mido.Backend(JACK_MIDI, load=True)
        names = [n for n in backend.get_input_names() if n.endswith(f":{self.name}")]
        assert len(names) == 1, names
        return str(names[0])

    def _got(self, message: Any) -> None:
        stamp = time.monotonic()
        with self._lock:
            self.received.append((stamp, message))

    def messages(self) -> list[Any]:
        with self._lock:
            return [m for _, m in self.received]

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
