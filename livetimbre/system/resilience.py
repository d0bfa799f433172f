"""Resilience for calls to outside services (AETHER's patterns): retries with exponential
backoff and full jitter inside a total time budget, and a circuit breaker.

`Budget` bounds one call, attempts and waits together; `CircuitBreaker` skips a service
after `threshold` failed calls in a row for `cooldown` seconds, then lets one call
through (half-open): a success closes it, a failure opens it again.
"""

from __future__ import annotations

__all__ = ["Budget", "CircuitBreaker", "backoff_delay"]

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """The wait before retry `attempt` (1, 2, ...): uniform in [0, min(cap, base·2^(n-1))]."""
    return rng.uniform(0.0, min(cap, base * 2 ** (attempt - 1)))


@dataclass
class Budget:
    """`seconds` for a whole call: attempts, waits and each attempt's timeout within it."""

    seconds: float
    clock: Clock = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    start: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.start = self.clock()

    def left(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self.seconds - (self.clock() - self.start))

    def pause(self, seconds: float) -> None:
        """Wait `seconds`, never past the end of the budget."""
        self.sleep(min(seconds, self.left()))


class CircuitBreaker:
    """Closed → open after `threshold` failures in a row → half-open after `cooldown`."""

    def __init__(self, threshold: int = 3, cooldown: float = 30.0,
                 clock: Clock = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self._failures = 0
        self._opened: float | None = None
        self._trial = False
        self._lock = threading.Lock()

    def refusal(self) -> str | None:
        """None when a call may go ahead (then report it); else why it may not."""
        with self._lock:
            if self._opened is None:
                return None
            waited = self.clock() - self._opened
            if waited >= self.cooldown and not self._trial:
                self._trial = True  # half-open: this one call decides
                return None
            wait = max(0.0, self.cooldown - waited)
            return (f"circuit open after {self._failures} failed calls in a row "
                    f"(next try in {wait:.0f} s)")

    def success(self) -> None:
        with self._lock:
            self._failures, self._opened, self._trial = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial or self._failures >= self.threshold:
                self._opened = self.clock()
            self._trial = False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened is not None
