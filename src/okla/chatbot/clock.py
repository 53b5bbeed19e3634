"""What time it is, as the service reads it: the system's clock, or a fixed one in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# Returns the current moment, timezone-aware.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Return the current moment in UTC."""
    return datetime.now(UTC)
