"""A real OSC client over UDP for the tests: sends with python-osc, collects replies."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder


def osc_datagram(address: str, *args: Any) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


class OscClient:
    """A UDP socket on `host` that talks to a server on 127.0.0.1:`port`."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.server = ("127.0.0.1", port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.setblocking(False)
        self.received: list[tuple[str, list[Any]]] = []

    def send(self, address: str, *args: Any) -> None:
        self.sock.sendto(osc_datagram(address, *args), self.server)

    def send_raw(self, data: bytes) -> None:
        self.sock.sendto(data, self.server)

    def drain(self) -> list[tuple[str, list[Any]]]:
        """Read every datagram waiting now; returns (and keeps) them."""
        got = []
        while True:
            try:
                data = self.sock.recv(65536)
            except BlockingIOError:
                break
            message = OscMessage(data)
            got.append((message.address, list(message.params)))
        self.received.extend(got)
        return got

    def close(self) -> None:
        self.sock.close()


async def reply(client: OscClient, address: str, timeout: float = 5.0) -> list[Any]:
    """Arguments of the first reply to `address` not yet taken (the loop runs on while
    it waits, so a server on the same loop can answer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        client.drain()
        for index, (got, args) in enumerate(client.received):
            if got == address:
                del client.received[index]
                return args
        await asyncio.sleep(0.005)
    raise AssertionError(f"no {address} reply within {timeout} s; got {client.received[-5:]}")
