"""The spawn helper's ready/error handshake: ready, a start failure with the child's
message, a child that dies before answering, and one that does not answer in time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection

import pytest

from livetimbre.errors import ConfigError
from livetimbre.system.processes import ChildProcess, Ready, StartFailed, pid_alive

pytestmark = pytest.mark.timeout(60)


# Entry points of the children (module level, so a spawned child can import them).
def _ready(conn: Connection, payload: str) -> None:
    conn.send(Ready(payload))
    conn.send(conn.recv().upper())  # one echo, then end


def _fails(conn: Connection, message: str) -> None:
    conn.send(StartFailed(message))


def _dies(conn: Connection, code: int) -> None:
    os._exit(code)


def _silent(conn: Connection, seconds: float) -> None:
    time.sleep(seconds)


def _child(target: Callable[..., None], argument: object) -> ChildProcess:
    child = ChildProcess(target, (argument,), name="livetimbre-test-child",
                         what="the test child")
    child.start()
    return child


def test_ready_returns_the_payload_and_the_pipe_stays_open() -> None:
    child = _child(_ready, "hello")
    assert child.wait_ready(str, ConfigError, 30) == "hello"
    assert child.pid is not None and child.is_alive()
    child.conn.send("echo")
    assert child.conn.recv() == "ECHO"
    assert child.join(10) and child.exitcode == 0


def test_a_start_failure_raises_the_callers_error_with_the_childs_message() -> None:
    child = _child(_fails, "No such MIDI port 'x'.")
    with pytest.raises(ConfigError) as raised:
        child.wait_ready(str, ConfigError, 30)
    assert str(raised.value) == "No such MIDI port 'x'."
    assert child.join(10)


def test_a_child_dying_before_ready_is_reported_with_its_exit_code() -> None:
    child = _child(_dies, 3)
    with pytest.raises(ConfigError, match=r"The test child stopped before it was ready "
                                          r"\(exit code 3\)"):
        child.wait_ready(str, ConfigError, 30)


def test_a_child_that_does_not_answer_in_time_is_killed() -> None:
    child = _child(_silent, 60.0)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match=r"The test child did not start within 0\.5 s"):
        child.wait_ready(str, RuntimeError, 0.5)
    assert time.monotonic() - started < 10
    assert not child.is_alive() and child.exitcode == -9


def test_a_payload_of_the_wrong_type_is_an_error() -> None:
    child = _child(_ready, "hello")
    with pytest.raises(ConfigError, match="answered its start with"):
        child.wait_ready(int, ConfigError, 30)
    assert not child.is_alive()


def test_pid_alive_tells_a_running_process_from_a_reaped_one() -> None:
    child = _child(_ready, "hello")
    assert child.wait_ready(str, ConfigError, 30) == "hello"
    assert child.pid is not None and pid_alive(child.pid)
    child.kill()
    assert not pid_alive(child.pid)  # killed and reaped: no such process
    assert pid_alive(os.getpid())
    assert pid_alive(2**70)  # an id the system cannot check counts as running
