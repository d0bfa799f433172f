"""The machine's own floor on a JACK server: how many deadlines a trivial C client misses.

`XrunCounter` is a JACK client with no audio of its own that counts the server's xruns
(every client is told of each one); `measure_floor` runs `jack_simple_client` (a sine
from JACK's example clients, written in C) for a while and counts them. Whatever a
Python client misses beyond this floor is its own doing.
"""

from __future__ import annotations

__all__ = ["SIMPLE_CLIENT", "XrunCounter", "how_to_get_simple_client", "late_clients",
           "measure_floor"]

import ctypes
import ctypes.util
import os
import re
import shutil
import subprocess
import threading
import time
from collections import Counter

SIMPLE_CLIENT = "jack_simple_client"
_XRUN_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


def how_to_get_simple_client() -> str:
    return (f"no floor measured: {SIMPLE_CLIENT} is not installed. It is one of JACK's "
            "example clients: Debian 12's jackd2 package ships it ('apt install jackd2'); "
            "distributions that package the examples apart call the package "
            "jack-example-tools")


class XrunCounter:
    """Counts the xruns of the default JACK server (JACK_DEFAULT_SERVER) while open."""

    def __init__(self, name: str = "xrun-counter") -> None:
        path = ctypes.util.find_library("jack")
        if path is None:
            raise OSError("libjack not found")
        self._lib = ctypes.CDLL(path)
        self._lib.jack_client_open.restype = ctypes.c_void_p
        self._lib.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int,
                                               ctypes.POINTER(ctypes.c_int)]
        self._lib.jack_set_xrun_callback.argtypes = [ctypes.c_void_p, _XRUN_CALLBACK,
                                                     ctypes.c_void_p]
        self._lib.jack_activate.argtypes = [ctypes.c_void_p]
        self._lib.jack_client_close.argtypes = [ctypes.c_void_p]
        self._lock = threading.Lock()
        self._count = 0
        self.times: list[float] = []  # monotonic time of each xrun
        self._callback = _XRUN_CALLBACK(self._on_xrun)  # kept alive while the client is
        status = ctypes.c_int(0)
        self._client = self._lib.jack_client_open(name.encode(), 0x01, ctypes.byref(status))
        if not self._client:  # 0x01: JackNoStartServer
            raise OSError(f"cannot open a JACK client (status {status.value:#x})")
        self._lib.jack_set_xrun_callback(self._client, self._callback, None)
        if self._lib.jack_activate(self._client) != 0:
            self.close()
            raise OSError("cannot activate the JACK xrun counter")

    def _on_xrun(self, _arg: int | None) -> int:
        with self._lock:
            self._count += 1
            self.times.append(time.monotonic())
        return 0

    @property
    def count(self) -> int:
        with self._lock:
            return self._count

    def close(self) -> None:
        if self._client:
            self._lib.jack_client_close(self._client)
            self._client = None


def measure_floor(seconds: float, cpus: frozenset[int] | None = None) -> int | None:
    """Xruns of the default server while `jack_simple_client` plays alone for `seconds`
    (None when the client is not installed), on `cpus` if given (where livetimbre's
    audio threads run, so both meet the same machine)."""
    if shutil.which(SIMPLE_CLIENT) is None:
        return None
    counter = XrunCounter("floor-xruns")
    client = subprocess.Popen([SIMPLE_CLIENT], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    try:
        time.sleep(1.0)  # connected and running
        before = counter.count
        time.sleep(seconds)
        return counter.count - before
    finally:
        client.terminate()
        try:
            client.wait(5)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait()
        counter.close()


def late_clients(log_text: str) -> Counter[str]:
    """Who a JACK server's log blames for its xruns: each client that 'was not finished'
    in time, and 'server' for the driver's own late wake-ups."""
    blamed: Counter[str] = Counter()
    for line in log_text.splitlines():
        if match := re.search(r"XRun: client = (.+?) was not finished", line):
            blamed[match.group(1)] += 1
        elif "Driver::Process XRun" in line:
            blamed["server"] += 1
    return blamed
