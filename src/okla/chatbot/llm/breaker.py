"""A circuit breaker that closes by itself: no restart is ever needed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, Protocol

BreakerState = Literal["closed", "open", "half_open"]


class Breaker(Protocol):
    """What the reply step and the health report need of a breaker (one, or one per replica)."""

    @property
    def state(self) -> BreakerState:
        """Return the state now."""
        ...

    @property
    def failures(self) -> int:
        """Return the failures in a row."""
        ...

    @property
    def times_opened(self) -> int:
        """Return how often it opened."""
        ...

    def seconds_until_probe(self) -> float:
        """Return how long until an open breaker lets a probe through."""
        ...

    def allow(self) -> bool:
        """Tell whether a call may go to the LLM now."""
        ...

    def record_success(self) -> None:
        """Count a success."""
        ...

    def record_failure(self) -> None:
        """Count a failure."""
        ...

    def release_probe(self) -> None:
        """Give back a probe that was never sent."""
        ...


class CircuitBreaker:
    """Open after `threshold` failures in a row; after `cooldown` let one probe through."""

    def __init__(
        self,
        threshold: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown_seconds
        self._clock = clock
        self.failures = 0
        self._opened_at: float | None = None
        self._probe_in_flight = False
        self.times_opened = 0

    @property
    def state(self) -> BreakerState:
        """Return the state now (an open breaker turns half-open once the cooldown ends)."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cooldown:
            return "half_open"
        return "open"

    def seconds_until_probe(self) -> float:
        """Return how long until an open breaker lets a probe through."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (self._clock() - self._opened_at))

    def ready(self) -> bool:
        """Tell whether `allow` would let a call through now, without taking the probe."""
        state = self.state
        return state == "closed" or (state == "half_open" and not self._probe_in_flight)

    def allow(self) -> bool:
        """Tell whether a call may go to the LLM now (one probe at a time when half-open)."""
        state = self.state
        if state == "closed":
            return True
        if state == "open" or self._probe_in_flight:
            return False
        self._probe_in_flight = True
        return True

    def record_success(self) -> None:
        """Close the breaker."""
        self.failures = 0
        self._opened_at = None
        self._probe_in_flight = False

    def record_failure(self) -> None:
        """Count a failure; open (again) when there are too many, or when a probe fails."""
        self.failures += 1
        probe_failed = self._probe_in_flight
        self._probe_in_flight = False
        if probe_failed or self.failures >= self.threshold:
            if self._opened_at is None or probe_failed:
                self.times_opened += 1
            self._opened_at = self._clock()

    def release_probe(self) -> None:
        """Give back a probe that was never sent (e.g. the customer went away)."""
        self._probe_in_flight = False
