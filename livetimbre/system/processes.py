"""Child processes (audio, render workers, MIDI sender): one way to start them.

`ChildProcess` starts a `spawn`-context process whose entry point gets one end of a
duplex pipe as its first argument. The child answers the start with `Ready(payload)`
or `StartFailed(message)`; `wait_ready` turns that into the payload or the caller's
error, and says so when the child timed out or died before answering. `pid_alive` says
whether a process named by its id (in a marker or job file) still runs.
"""

from __future__ import annotations

__all__ = ["ChildProcess", "Ready", "SharedInts", "StartFailed", "pid_alive", "shared_ints"]

import ctypes
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")
SharedInts: TypeAlias = "ctypes.Array[ctypes.c_int64]"


def shared_ints(count: int) -> SharedInts:
    """`count` 64-bit integers in shared memory, for a child's `args` (no lock: each is
    written by one process and read whole)."""
    return multiprocessing.get_context("spawn").RawArray(ctypes.c_int64, count)


def pid_alive(pid: int) -> bool:
    """Whether process `pid` runs: False only when no such process exists (another user's
    process, or an id the system cannot check, counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


@dataclass(frozen=True)
class Ready(Generic[T]):
    """Child → parent, first message: the child is ready; `payload` is what it reports."""

    payload: T


@dataclass(frozen=True)
class StartFailed:
    """Child → parent, first message: the child could not start, and why (for the user)."""

    message: str


class ChildProcess:
    """A spawned child and the parent's end of its pipe (`conn`)."""

    def __init__(self, target: Callable[..., None], args: tuple[object, ...], *, name: str,
                 what: str) -> None:
        """Prepare `target(child_end, *args)` in a daemon process called `name`; `what`
        names it in errors ("the audio process"). Nothing runs until `start`."""
        context = multiprocessing.get_context("spawn")
        self.conn, self._child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=target, args=(self._child_end, *args),
                                       name=name, daemon=True)
        self.what = what

    def start(self) -> None:
        """Start the child (without waiting for it to be ready)."""
        self.process.start()
        self._child_end.close()  # so the parent sees EOF when the child is gone

    def wait_ready(self, payload: type[T], error: Callable[[str], Exception],
                   timeout: float) -> T:
        """The child's `Ready` payload; raises `error(...)` with the child's own message,
        or saying it did not answer in time (the child is killed) or died first."""
        try:
            answered = self.conn.poll(timeout)
            message = self.conn.recv() if answered else None
        except (EOFError, OSError):
            self.join(2)
            raise error(f"{self._capital} stopped before it was ready "
                        f"(exit code {self.process.exitcode}).") from None
        if not answered:
            self.kill()
            raise error(f"{self._capital} did not start within {timeout:g} s.")
        if isinstance(message, StartFailed):
            self.join(2)
            raise error(message.message)
        if isinstance(message, Ready) and isinstance(message.payload, payload):
            return message.payload
        self.kill()
        raise error(f"{self._capital} answered its start with {message!r}.")

    @property
    def _capital(self) -> str:
        return self.what[:1].upper() + self.what[1:]

    @property
    def pid(self) -> int | None:
        return self.process.pid

    @property
    def sentinel(self) -> int:
        """Ready for `multiprocessing.connection.wait` once the child has ended."""
        return self.process.sentinel

    @property
    def exitcode(self) -> int | None:
        return self.process.exitcode

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def join(self, timeout: float) -> bool:
        """Wait up to `timeout` s for the child to end; True if it has."""
        self.process.join(timeout)
        return not self.process.is_alive()

    def kill(self, timeout: float = 2.0) -> None:
        """End the child now (SIGKILL) and reap it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout)

    def stop(self, timeout: float) -> None:
        """Give the child `timeout` s to end by itself, then kill it."""
        if not self.join(timeout):
            self.kill()
