"""A Redis connection that steps aside while Redis is unreachable.

Callers give each operation twice, for Redis and for process memory. While Redis fails, the
memory one serves and Redis is tried again a few seconds later; the service keeps answering,
with locks and limits that then hold within one process only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from redis.asyncio import Redis
from redis.exceptions import RedisError

T = TypeVar("T")


class RedisState(StrEnum):
    """Which backend serves: Redis, memory (none configured) or memory while Redis is down."""

    MEMORY = "memory"
    REDIS = "redis"
    DEGRADED = "degraded"


class RedisLink:
    """One Redis client (and its connection pool) with an in-process fallback."""

    def __init__(
        self, url: str | None, logger: logging.Logger, *, retry_after_seconds: float = 5.0
    ) -> None:
        self.url = url
        self.client: Redis | None = None
        if url:
            self.client = Redis.from_url(
                url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
            )
        self._logger = logger
        self._retry_after = retry_after_seconds
        self._down_until = 0.0

    @property
    def state(self) -> RedisState:
        """Say which backend serves now."""
        if self.client is None:
            return RedisState.MEMORY
        return RedisState.DEGRADED if time.monotonic() < self._down_until else RedisState.REDIS

    async def close(self) -> None:
        """Close the connection pool."""
        if self.client is not None:
            await self.client.aclose()

    async def ping(self) -> bool:
        """Tell whether Redis answers (True without Redis: memory is always up)."""
        if self.client is None:
            return True
        try:
            await self.client.ping()
        except (RedisError, OSError) as exc:
            self._mark_down(exc)
            return False
        self._down_until = 0.0
        return True

    async def run(
        self, use_redis: Callable[[Redis], Awaitable[T]], use_memory: Callable[[], Awaitable[T]]
    ) -> T:
        """Run the operation on Redis, or in memory if Redis is absent or unreachable."""
        if self.client is None or time.monotonic() < self._down_until:
            return await use_memory()
        try:
            return await use_redis(self.client)
        except Exception as exc:  # limits wraps driver errors in its own type
            if not _is_connection_problem(exc):
                raise
            self._mark_down(exc)
            return await use_memory()

    def _mark_down(self, exc: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            self._logger.warning("Redis unavailable (%s); using in-process fallback", exc)
        self._down_until = time.monotonic() + self._retry_after


def _is_connection_problem(exc: BaseException) -> bool:
    if isinstance(exc, RedisError | OSError | TimeoutError):
        return True
    # limits raises its own StorageError around the driver's exception.
    cause = getattr(exc, "storage_error", None) or exc.__cause__
    return isinstance(cause, RedisError | OSError | TimeoutError)
