"""MIDI ports through python-rtmidi: listing, finding by name, opening; mido parses.

The MIDI API is rtmidi's default (ALSA on Linux) unless `MIDO_BACKEND` names another,
as mido spells it: `MIDO_BACKEND=mido.backends.rtmidi/UNIX_JACK` uses JACK MIDI. Ports
are opened with rtmidi directly so livetimbre's own ports carry its name (mido would
turn a named client into a virtual port). Where the API cannot start (no ALSA
sequencer, no JACK server) the error says so instead of pretending there are no ports.
"""

from __future__ import annotations

__all__ = ["MidiInput", "MidiOutput", "MidiPorts", "close_listers", "find_port", "list_ports",
           "resolve_input", "resolve_output"]

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from livetimbre.errors import ConfigError

ALSA_SEQUENCER = "/dev/snd/seq"
CLIENT_NAME = "livetimbre"  # how livetimbre's own MIDI ports are named to other programs
RTMIDI_BACKEND = "mido.backends.rtmidi"
INPUT_POLL_SECONDS = 0.002


@dataclass(frozen=True)
class MidiPorts:
    backend: str
    inputs: list[str]
    outputs: list[str]
    problem: str = ""  # why the backend could not list ports


def _api() -> tuple[int, str]:
    """The rtmidi API MIDO_BACKEND asks for, and how to name it."""
    import rtmidi

    setting = os.environ.get("MIDO_BACKEND", "").strip() or RTMIDI_BACKEND
    module, _, api_name = setting.partition("/")
    if module != RTMIDI_BACKEND:
        raise ConfigError(f"MIDO_BACKEND={setting!r}: livetimbre uses MIDI through "
                          f"python-rtmidi; use {RTMIDI_BACKEND} or {RTMIDI_BACKEND}/API "
                          "(LINUX_ALSA, UNIX_JACK, MACOSX_CORE, WINDOWS_MM).")
    if not api_name:
        return rtmidi.API_UNSPECIFIED, "rtmidi (ALSA on Linux)" if _on_linux() else "rtmidi"
    api = getattr(rtmidi, f"API_{api_name.upper()}", None)
    if api is None or api not in rtmidi.get_compiled_api():
        known = ", ".join(rtmidi.get_api_name(a).upper() for a in rtmidi.get_compiled_api())
        raise ConfigError(f"MIDO_BACKEND={setting!r}: this python-rtmidi has no "
                          f"{api_name} API (it has {known}).")
    return api, f"rtmidi {rtmidi.get_api_display_name(api)}"


def _on_linux() -> bool:
    return sys.platform.startswith("linux")


def backend_name() -> str:
    try:
        return _api()[1]
    except ConfigError:
        return os.environ.get("MIDO_BACKEND", RTMIDI_BACKEND)


def _client(kind: str) -> Any:
    """An rtmidi MidiIn or MidiOut client named livetimbre; ConfigError when the API
    cannot start."""
    import rtmidi

    api, name = _api()
    if _on_linux() and api in (rtmidi.API_UNSPECIFIED, rtmidi.API_LINUX_ALSA) and \
            not os.path.exists(ALSA_SEQUENCER):
        # Checked first: ALSA itself would print its complaint on the terminal.
        raise ConfigError(f"{name}: no ALSA sequencer ({ALSA_SEQUENCER} is missing: no sound "
                          "hardware, or the snd-seq module is not loaded)")
    factory = rtmidi.MidiIn if kind == "input" else rtmidi.MidiOut
    try:
        return factory(api, name=CLIENT_NAME)
    except Exception as exc:  # rtmidi's SystemError kinds: no server, no sequencer
        raise ConfigError(f"{name}: {exc}") from exc


_listers: dict[str, Any] = {}  # kept open: a JACK client coming and going every second
# (as the controller watcher lists ports) would change JACK's graph every second


def list_ports() -> MidiPorts:
    """Input and output port names, or the reason they cannot be listed."""
    try:
        if _listers.get("api") != _api()[0]:
            close_listers()
            _listers.update(api=_api()[0], input=_client("input"), output=_client("output"))
        return MidiPorts(backend_name(), list(_listers["input"].get_ports()),
                         list(_listers["output"].get_ports()))
    except ConfigError as exc:
        return MidiPorts(backend_name(), [], [], str(exc))
    except Exception as exc:  # the server went away under a kept client
        close_listers()
        return MidiPorts(backend_name(), [], [], f"{type(exc).__name__}: {exc}")


def close_listers() -> None:
    """Let go of the clients kept for listing ports (at exit, or after an error)."""
    for kind in ("input", "output"):
        client = _listers.pop(kind, None)
        if client is not None:
            with contextlib.suppress(Exception):
                client.delete()
    _listers.clear()


def find_port(names: Iterable[str], words: list[str]) -> str | None:
    """The first port whose name holds one of `words` (case-insensitive)."""
    names = list(names)
    for word in words:
        for name in names:
            if word.lower() in name.lower():
                return name
    return None


class MidiOutput:
    """An open output port: `send` takes mido messages, `send_bytes` raw MIDI."""

    def __init__(self, port: str, label: str) -> None:
        self.port = port
        self._rt = _open(_client("output"), port, label)

    def send(self, message: Any) -> None:
        self._rt.send_message(message.bytes())

    def send_bytes(self, data: list[int] | bytes) -> None:
        self._rt.send_message(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._rt.close_port()
            self._rt.delete()


class MidiInput:
    """An open input port whose messages reach `callback(mido message)` on the asyncio
    loop, or with `timed`, `callback(message, seconds)` where seconds count from the
    first message by the backend's own timestamps (JACK's: exact to the period). Clock
    and SysEx pass, active sensing does not.

    rtmidi is polled, never given a callback: on JACK a callback runs in the JACK
    client's real-time thread, where waiting for this process's GIL would make the
    whole JACK graph, audio included, miss its deadline.
    """

    def __init__(self, port: str, label: str, callback: Callable[..., None],
                 timed: bool = False) -> None:
        self.port = port
        self._callback = callback
        self._timed = timed
        self._clock = 0.0
        self._rt = _open(_client("input"), port, label)
        self._rt.ignore_types(sysex=False, timing=False, active_sense=True)
        self._task = asyncio.get_running_loop().create_task(self._poll())

    async def _poll(self) -> None:
        import mido

        while True:
            while (event := self._rt.get_message()) is not None:
                self._clock += event[1]
                try:
                    message = mido.Message.from_bytes(event[0])
                except (ValueError, TypeError, IndexError):
                    continue  # a device's malformed bytes are not a command
                if self._timed:
                    self._callback(message, self._clock)
                else:
                    self._callback(message)
            await asyncio.sleep(INPUT_POLL_SECONDS)

    def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(Exception):
            self._rt.close_port()
            self._rt.delete()


def _open(client: Any, port: str, label: str) -> Any:
    names = list(client.get_ports())
    if port not in names:
        client.delete()
        raise ConfigError(f"MIDI port '{port}' is gone.")
    try:
        client.open_port(names.index(port), name=label)
    except Exception as exc:
        client.delete()
        raise ConfigError(f"Cannot open MIDI port '{port}': {exc}") from exc
    return client


def _require(name: str, names: list[str], ports: MidiPorts, kind: str, option: str) -> str:
    if ports.problem:
        raise ConfigError(f"Cannot use MIDI {kind} '{name}' ({option}): the MIDI backend is "
                          f"unavailable ({ports.problem}).")
    found = find_port(names, [name])
    if found is None:
        known = ", ".join(names) or "none"
        raise ConfigError(f"No MIDI {kind} port matches {option} '{name}' (ports: {known}; "
                          "see 'livetimbre devices').")
    return found


def resolve_output(name: str, option: str) -> str:
    """The full name of the output port whose name holds `name`; ConfigError naming the
    choices (or why there are none)."""
    ports = list_ports()
    return _require(name, ports.outputs, ports, "output", option)


def resolve_input(name: str, option: str) -> str:
    """The full name of the input port whose name holds `name`."""
    ports = list_ports()
    return _require(name, ports.inputs, ports, "input", option)
