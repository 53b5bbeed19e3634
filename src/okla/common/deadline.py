"""The request deadline the gateway passes on: seconds the caller will wait for the answer."""

from __future__ import annotations

import math

# Set by the gateway on every proxied request (a client's own value is dropped); the
# service behind it must finish its answer within this many seconds.
REQUEST_TIMEOUT_HEADER = "x-request-timeout"


def format_timeout(seconds: float) -> str:
    """Write seconds as a plain decimal number ("60", "2.5")."""
    return f"{seconds:.3f}".rstrip("0").rstrip(".")


def parse_timeout(value: str | None) -> float | None:
    """Read the header's seconds; None if absent or not a positive, finite number."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None
