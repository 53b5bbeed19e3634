"""How a service, or one of its dependencies, is doing (the health routes' vocabulary)."""

from __future__ import annotations

from enum import StrEnum


class Health(StrEnum):
    """How one dependency, or the whole service, is doing."""

    OK = "ok"
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"
