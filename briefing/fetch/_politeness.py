"""Take turns at each host: a per-host rate limit and a bound on concurrent requests per host.

``HostGate`` is shared by every thread of a run. ``acquire(host, interval, deadline)`` blocks until the
host has a free slot (at most ``per_host`` requests in flight) and ``interval`` seconds have passed since
the previous request to it started; it returns False instead when the wait would outlast ``deadline``,
so a source's time budget also bounds the time it queues. Hosts never wait for one another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["HostGate"]


class HostGate:
    """Per-host slots and pacing; thread-safe."""

    def __init__(self, per_host: int = 2, clock: Callable[[], float] = time.monotonic) -> None:
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.per_host = per_host
        self._clock = clock
        self._cond = threading.Condition()
        self._active: dict[str, int] = {}
        self._next_start: dict[str, float] = {}

    def acquire(self, host: str, *, interval: float = 0.0, deadline: float | None = None) -> bool:
        """Wait for a turn at ``host``; False when ``deadline`` (a ``clock`` time) comes first."""
        with self._cond:
            while True:
                now = self._clock()
                active = self._active.get(host, 0)
                ready_at = self._next_start.get(host, 0.0)
                if active < self.per_host and now >= ready_at:
                    self._active[host] = active + 1
                    self._next_start[host] = now + max(0.0, interval)
                    return True
                wait = ready_at - now if active < self.per_host else None
                if deadline is not None:
                    if now >= deadline or (wait is not None and now + wait > deadline):
                        return False
                    wait = min(wait, deadline - now) if wait is not None else deadline - now
                self._cond.wait(timeout=wait)

    def release(self, host: str) -> None:
        with self._cond:
            left = self._active.get(host, 0) - 1
            if left > 0:
                self._active[host] = left
            else:
                self._active.pop(host, None)
            self._cond.notify_all()

    def in_flight(self, host: str) -> int:
        with self._cond:
            return self._active.get(host, 0)
