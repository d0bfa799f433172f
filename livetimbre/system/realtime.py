"""Process settings that keep the audio thread on time in a Python process.

The audio callback needs the GIL every few milliseconds. Four things can make it wait
far longer than a block: another thread keeping the GIL for the default 5 ms switch
interval; that thread, holding the GIL, preempted by some other process (the callback
then waits until the scheduler comes back to it: 9-30 ms measured); a full garbage
collection; and the kernel unmapping a large freed array, which interrupts every CPU
running the process (a TLB shootdown: measured here, freeing 15 MB clip buffers through
mmap pushed the callback's p99 wake-up latency from 0.8 ms to 12 ms). `tune_for_audio`
guards against the first, third and fourth and returns what `restore` needs to undo it;
`realtime_thread` against the second.
"""

from __future__ import annotations

__all__ = [
    "RuntimeSettings",
    "keep_memory",
    "lower_priority",
    "realtime_thread",
    "restore",
    "tune_for_audio",
]

import contextlib
import ctypes
import ctypes.util
import gc
import os
import sys
from dataclasses import dataclass

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_HEAP_LIMIT = 32 * 1024 * 1024  # glibc's largest mmap threshold on 64-bit
_DEFAULT_MMAP_THRESHOLD = 128 * 1024


@dataclass(frozen=True)
class RuntimeSettings:
    switch_interval: float
    gc_thresholds: tuple[int, int, int]
    malloc_tuned: bool


def _mallopt(option: int, value: int) -> bool:
    """glibc's mallopt; False where there is no glibc."""
    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return False
    with contextlib.suppress(OSError, AttributeError):
        return bool(ctypes.CDLL(name).mallopt(option, value))
    return False


def keep_memory() -> bool:
    """Serve arrays up to 32 MB from the heap and keep freed memory there.

    Used in every livetimbre process: besides the unmapping above, each fresh mapping
    costs the kernel a page fault and a zeroed page per 4 KB, and on a kernel built
    without preemption that work delays a real-time thread on the same CPU however low
    the priority of the process doing it. Reused heap memory needs neither.
    """
    return _mallopt(_M_MMAP_THRESHOLD, _HEAP_LIMIT) and _mallopt(_M_TRIM_THRESHOLD, 1 << 30)


def tune_for_audio() -> RuntimeSettings:
    """A 2 ms GIL switch interval, start-up objects frozen out of the GC, and arrays up
    to 32 MB served from the heap and kept there when freed (no unmapping).

    The switch interval works both ways: a thread wanting the GIL makes its holder let
    go after that long. 2 ms is longer than nearly every callback (p99.9 1.3 ms with
    effects on 8 layers), so the process's other thread no longer interrupts one midway
    (at 0.2 ms it did, in the callbacks that effects made longer), and short enough
    that the callback never waits a whole block for it."""
    interval, thresholds = sys.getswitchinterval(), gc.get_threshold()
    sys.setswitchinterval(0.002)
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 1000)
    return RuntimeSettings(interval, thresholds, keep_memory())


def restore(saved: RuntimeSettings) -> None:
    """Undo `tune_for_audio` (memory already taken from the heap stays there)."""
    sys.setswitchinterval(saved.switch_interval)
    gc.set_threshold(*saved.gc_thresholds)
    gc.unfreeze()
    if saved.malloc_tuned:
        _mallopt(_M_MMAP_THRESHOLD, _DEFAULT_MMAP_THRESHOLD)


def lower_priority(nice: int = 19) -> None:
    """Background work (renders, a compose) must never compete with audio: on Linux it
    runs only on idle CPU time (SCHED_IDLE), elsewhere at a low nice level."""
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is not None:
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, idle, os.sched_param(0))
            return
    with contextlib.suppress(OSError):
        os.nice(nice)


def realtime_thread(priority: int) -> bool:
    """Give the calling thread real-time (FIFO) scheduling at `priority` where the
    system allows it (root or an rtprio limit); False where it does not. Threads it
    starts afterwards inherit the policy."""
    policy = getattr(os, "SCHED_FIFO", None)
    if policy is None:
        return False
    try:
        os.sched_setscheduler(0, policy, os.sched_param(priority))
    except OSError:
        return False
    return True
