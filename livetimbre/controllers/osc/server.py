"""The OSC server: UDP datagrams on the asyncio loop → commands; replies to the sender.

python-osc reads and writes the wire format; `osc_routes` turns a message into a
request; this module performs it and answers. A malformed or refused message is
answered with `/livetimbre/error s` (at most `error_rate` a second per client, the
rest counted and reported with the next one) and changes nothing. Listeners get
`/livetimbre/beat i i` on every beat and `/livetimbre/clip/state s i s` on every slot
change. Bound to 127.0.0.1 unless `host` opens it; `allow` limits the clients.
"""

from __future__ import annotations

__all__ = ["OscServer"]

import asyncio
import ipaddress
import json
import time
from functools import partial
from typing import Any

from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from livetimbre.controllers.feedback import Cell, Feedback
from livetimbre.controllers.mapped import ControlMapper, osc_move
from livetimbre.controllers.osc.echo import MappedEcho
from livetimbre.controllers.osc.files import FilePolicy
from livetimbre.controllers.osc.routes import (
    PREFIX,
    GetState,
    Listen,
    RunLine,
    check_datagram,
    parse_message,
)
from livetimbre.errors import ConfigError, ValueProblem
from livetimbre.live.boundary import Failure
from livetimbre.live.slots import sung_lines
from livetimbre.live.surface import SurfaceContext
from livetimbre.patch.dump import session_to_patch
from livetimbre.session.model import SlotKey, SlotState

Address = tuple[str, int]
MAX_LISTENERS = 64


def _message(address: str, *args: Any) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


class _ErrorBudget:
    """Per-client token bucket for error replies, so a flood cannot become one."""

    def __init__(self, per_second: float) -> None:
        self._rate = per_second
        self._tokens: dict[Address, tuple[float, float]] = {}
        self.suppressed: dict[Address, int] = {}

    def take(self, client: Address) -> bool:
        now = time.monotonic()
        tokens, last = self._tokens.get(client, (self._rate, now))
        tokens = min(self._rate, tokens + (now - last) * self._rate)
        if len(self._tokens) > 4096:  # forget idle clients rather than grow forever
            self._tokens.clear()
        if tokens < 1:
            self._tokens[client] = (tokens, now)
            self.suppressed[client] = self.suppressed.get(client, 0) + 1
            return False
        self._tokens[client] = (tokens - 1, now)
        return True


class OscServer(asyncio.DatagramProtocol):
    """Serves the `/livetimbre/...` address space for one App."""

    def __init__(self, ctx: SurfaceContext, feedback: Feedback, host: str = "127.0.0.1",
                 port: int = 9000, allow: frozenset[str] | None = None,
                 error_rate: float = 20.0, files: str = "patches",
                 mapper: ControlMapper | None = None) -> None:
        self._ctx = ctx
        self._mapper = mapper  # OSC learn and mapped addresses outside /livetimbre
        self._echo = MappedEcho(mapper, self._send_value) if mapper is not None else None
        self._control = ctx.control
        self._files = FilePolicy(files, ctx.file_roots)
        self.host = host
        self.port = port
        self.allow = allow
        self.received = 0
        self.refused = 0  # datagrams from clients outside the allow-list
        self.errors = 0
        self._budget = _ErrorBudget(error_rate)
        self._transport: asyncio.DatagramTransport | None = None
        self._listeners: dict[str, set[Address]] = {"beat": set(), "clips": set()}
        feedback.on_beat(self._send_beat)
        feedback.on_slot(self._send_slots)

    async def start(self) -> str:
        """Bind the socket; returns a line saying where OSC listens."""
        loop = asyncio.get_running_loop()
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: self, local_addr=(self.host, self.port))
        except OSError as exc:
            raise ConfigError(
                f"Cannot listen for OSC on {self.host}:{self.port} ({exc.strerror or exc}); "
                "choose another --osc-port, or 0 to turn OSC off."
            ) from None
        self._transport = transport
        self.port = transport.get_extra_info("sockname")[1]
        if self._echo is not None:
            self._echo.start()
        line = f"OSC on udp://{self.host}:{self.port}"
        if self.allow:
            line += f", clients {', '.join(sorted(self.allow))} only"
        elif not _is_loopback(self.host):
            line += " — open to any client on the network (limit them with --osc-allow)"
        return line

    def close(self) -> None:
        if self._echo is not None:
            self._echo.stop()
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    # --- receiving ------------------------------------------------------------------
    def datagram_received(self, data: bytes, addr: Address) -> None:
        client = (addr[0], addr[1])
        if self.allow is not None and client[0] not in self.allow:
            self.refused += 1
            return
        self.received += 1
        try:
            check_datagram(data)
            messages = [timed.message for timed in OscPacket(data).messages]
        except Exception as exc:  # any garbage: python-osc raises several kinds
            self._error(client, f"Malformed OSC datagram ({len(data)} bytes): {exc}")
            return
        for message in messages:
            address = _short(message.address)
            outcome = self._control.boundary.run(
                f"OSC {address}", partial(self._handle, message.address, message.params, client))
            if isinstance(outcome, Failure):
                self._error(client, f"{address}: {outcome.message}")

    def _handle(self, address: str, params: list[Any], client: Address) -> None:
        """Parse and perform one message; a refusal raises (and changes nothing)."""
        mapper, echo = self._mapper, self._echo
        if not address.startswith(PREFIX + "/") and mapper is not None and mapper.handle(
                osc_move(address, params), "OSC"):
            if echo is not None:
                echo.seen(address, client)
            return  # a learned or mapped control (TouchOSC, Open Stage Control)
        request = parse_message(address, params)
        match request:
            case RunLine(line):
                reply = self._control.run_line(line, "OSC", self._files.check)
                if reply.quit:
                    raise ValueProblem("/quit works in the REPL only; stop a headless "
                                       "livetimbre with SIGTERM or Ctrl-C.")
                if reply.error:
                    raise ValueProblem(reply.text)
                self._send(client, _message(f"{PREFIX}/command/reply", reply.text))
            case GetState():
                self._send(client, _message(f"{PREFIX}/state", json.dumps(self.state())))
            case Listen(topic, on):
                self._listen(topic, on, client)
            case _:
                reply = self._control.perform(request, "OSC")
                if reply.error:
                    raise ValueProblem(reply.text)

    def _listen(self, topic: str, on: bool, client: Address) -> None:
        listeners = self._listeners[topic]
        if not on:
            listeners.discard(client)
            return
        if client not in listeners and len(listeners) >= MAX_LISTENERS:
            raise ValueProblem(f"Too many {topic} listeners ({MAX_LISTENERS}); "
                               "unsubscribe one with 0 first.")
        listeners.add(client)
        if topic == "clips":  # the whole picture first, then the changes
            for (layer, scene), state in self._ctx.view.slot_states().items():
                self._send(client, _clip_state(layer, scene, state))

    # --- sending --------------------------------------------------------------------
    def _send(self, client: Address, dgram: bytes) -> None:
        if self._transport is not None:
            self._transport.sendto(dgram, client)

    def _send_value(self, client: Address, address: str, value: float) -> None:
        self._send(client, _message(address, float(value)))

    def _error(self, client: Address, text: str) -> None:
        self.errors += 1
        if not self._budget.take(client):
            return
        suppressed = self._budget.suppressed.pop(client, 0)
        if suppressed:
            text += f" (and {suppressed} more errors not reported)"
        self._send(client, _message(f"{PREFIX}/error", text))

    def _send_beat(self, bar: int, beat: int) -> None:
        if self._listeners["beat"]:
            dgram = _message(f"{PREFIX}/beat", bar, beat)
            for client in self._listeners["beat"]:
                self._send(client, dgram)

    def _send_slots(self, changed: list[tuple[Cell, SlotState]]) -> None:
        for (layer, scene), state in changed if self._listeners["clips"] else ():
            dgram = _clip_state(layer, scene, state)
            for client in self._listeners["clips"]:
                self._send(client, dgram)

    def state(self) -> dict[str, Any]:
        """The session, the transport and every slot, for `/livetimbre/get/state`."""
        view, clock = self._ctx.view, self._ctx.clock
        status = view.status()
        return {
            "session": session_to_patch(view.session),
            "transport": {"bar": status.bar, "beat": status.beat, "tempo": status.tempo,
                          "frame": clock.frame, "sample_rate": clock.sample_rate},
            "slots": [{"layer": layer, "scene": scene + 1, "state": state.value}
                      for (layer, scene), state in view.slot_states().items()],
            "playing": {layer.name: _slot_name(view.playing(layer.name))
                        for layer in view.session.layers},
            "singing": dict(sung_lines(view)),  # layer → the lyric line sung now
            "underruns": status.underruns,
            "renders": status.renders,
        }


def _slot_name(slot: SlotKey | None) -> str | None:
    return str(slot) if slot is not None else None


def _clip_state(layer: str, scene: int, state: SlotState) -> bytes:
    return _message(f"{PREFIX}/clip/state", layer, scene + 1, state.value)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _short(address: str) -> str:
    return address if len(address) <= 60 else address[:57] + "..."
