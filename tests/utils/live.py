"""Clocks for the live handoff's tests: time that runs, from a moment the dealer is open."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.utils.bookings import NOW

# Monday 30 November 2026, 15:00 in Santo Domingo: the demo dealers are open.
OPEN = NOW


@dataclass
class RunningClock:
    """A clock that starts at `start` and runs as real time does; `advance` jumps ahead."""

    start: datetime = OPEN
    ahead: timedelta = timedelta()
    _began: float = field(default_factory=time.monotonic)

    def __call__(self) -> datetime:
        return self.start + self.ahead + timedelta(seconds=time.monotonic() - self._began)

    def advance(self, seconds: float) -> None:
        """Move the clock `seconds` ahead."""
        self.ahead += timedelta(seconds=seconds)
