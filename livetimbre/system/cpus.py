"""Keep one CPU for audio: the audio process runs there, everything else elsewhere.

On a kernel without preemption, a render worker's long kernel path (page faults, a
large copy, unmapping memory) holds its CPU until it ends, however idle its scheduling
priority; a real-time thread waking on that CPU waits. Measured on a two-core VM with
JACK's dummy driver at 256 frames: even a trivial C client missed 5 deadlines in 30 s
while renders ran on both cores, and none in 60 s with the renders kept to the other
core. So, where the system allows (Linux, two or more CPUs), livetimbre reserves one
CPU for the audio process (and the audio server it talks to, when livetimbre starts
it) and keeps its render workers and control threads off it.
"""

from __future__ import annotations

__all__ = ["CpuPlan", "pin_process", "pin_this_thread", "place_threads", "plan_cpus"]

import contextlib
import os
from dataclasses import dataclass

from livetimbre.errors import ConfigError


@dataclass(frozen=True)
class CpuPlan:
    """`audio`: the CPUs of the audio process; `others`: those of everything else."""

    audio: frozenset[int]
    others: frozenset[int]

    def describe(self) -> str:
        return f"audio on CPU {_cpu_list(self.audio)}, renders on CPU {_cpu_list(self.others)}"


def _cpu_list(cpus: frozenset[int]) -> str:
    return ",".join(str(c) for c in sorted(cpus))


def _allowed() -> frozenset[int] | None:
    """The CPUs this process may use; None where the platform cannot pin threads."""
    getter = getattr(os, "sched_getaffinity", None)
    return None if getter is None else frozenset(getter(0))


def plan_cpus(choice: str = "auto", source: str = "--audio-cpu") -> CpuPlan | None:
    """The CPU plan for `choice`: 'auto' (the highest allowed CPU when two or more are
    allowed, else None), 'none', or a CPU number. `source` names the setting in errors."""
    choice = choice.strip().lower()
    if choice == "none":
        return None
    allowed = _allowed()
    if choice == "auto":
        if allowed is None or len(allowed) < 2:
            return None
        audio = max(allowed)
    else:
        try:
            audio = int(choice)
        except ValueError:
            raise ConfigError(
                f"{source} '{choice}' is not a CPU: use auto, none or a CPU number."
            ) from None
        if allowed is None:
            raise ConfigError(f"{source} {audio}: this system cannot pin threads to CPUs.")
        if audio not in allowed or len(allowed) < 2:
            raise ConfigError(
                f"{source} {audio}: livetimbre may use CPUs {_cpu_list(allowed)}; the audio "
                "CPU must be one of them and at least one other must be left for renders."
            )
    return CpuPlan(frozenset({audio}), allowed - {audio})


def pin_this_thread(cpus: frozenset[int]) -> None:
    """Move the calling thread (and the threads and processes it starts later) to `cpus`;
    quietly nothing where the system refuses."""
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setaffinity(0, cpus)


def _threads() -> list[int] | None:
    try:
        return [int(t) for t in os.listdir("/proc/self/task")]
    except OSError:
        return None


def pin_process(cpus: frozenset[int]) -> None:
    """Move every thread this process has now to `cpus` (Linux), else the calling one."""
    threads = _threads()
    if threads is None:
        pin_this_thread(cpus)
        return
    for thread in threads:
        with contextlib.suppress(OSError, AttributeError):
            os.sched_setaffinity(thread, cpus)


def place_threads(plan: CpuPlan) -> None:
    """Real-time threads of this process (a JACK client's process thread: the MIDI ports
    of controllers and clocks) to the audio CPU, every other thread off it. JACK runs
    all its clients in each period, so one late client is a missed deadline for all."""
    realtime = {getattr(os, "SCHED_FIFO", -1), getattr(os, "SCHED_RR", -1)}
    for thread in _threads() or []:
        with contextlib.suppress(OSError, AttributeError):
            policy = os.sched_getscheduler(thread)
            os.sched_setaffinity(thread, plan.audio if policy in realtime else plan.others)
