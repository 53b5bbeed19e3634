"""Per-session locks, rate limits and a small cache: Redis when configured, else in-process.

If Redis goes away, every operation falls back to the in-process equivalent and the service
keeps answering; it tries Redis again a few seconds later. Degraded mode is per process:
locks and limits then hold within one process only (documented in the README).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("okla.chatbot")
T = TypeVar("T")

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""

CacheState = Literal["memory", "redis", "degraded"]


class Coordinator:
    """Locks, rate limits and cached values shared by the service's workers."""

    def __init__(self, redis_url: str | None, *, retry_after_seconds: float = 5.0) -> None:
        self.redis_url = redis_url
        self._redis: Redis | None = None
        self._redis_limiter: MovingWindowRateLimiter | None = None
        if redis_url:
            self._redis = Redis.from_url(
                redis_url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
            )
            # One connection pool for both, closed with our client.
            storage: Storage = RedisStorage(
                _limits_uri(redis_url),
                implementation="redispy",
                wrap_exceptions=True,
                connection_pool=self._redis.connection_pool,  # type: ignore[arg-type]
            )
            self._redis_limiter = MovingWindowRateLimiter(storage)
        self._memory_limiter = MovingWindowRateLimiter(MemoryStorage())
        self._locks: dict[str, tuple[str, float]] = {}
        self._values: dict[str, tuple[str, float]] = {}
        self._down_until = 0.0
        self._retry_after = retry_after_seconds
        self.last_error: str | None = None

    @property
    def state(self) -> CacheState:
        """Say which backend serves: redis, memory (none configured) or degraded."""
        if self._redis is None:
            return "memory"
        return "degraded" if time.monotonic() < self._down_until else "redis"

    async def close(self) -> None:
        """Close the Redis connection pool."""
        if self._redis is not None:
            await self._redis.aclose()

    async def ping(self) -> bool:
        """Tell whether Redis answers (True without Redis: the memory backend is always up)."""
        if self._redis is None:
            return True
        try:
            await self._redis.ping()
        except (RedisError, OSError) as exc:
            self._mark_down(exc)
            return False
        self._down_until = 0.0
        return True

    async def _with_redis(
        self, use_redis: Callable[[], Awaitable[T]], use_memory: Callable[[], Awaitable[T]]
    ) -> T:
        if self._redis is None or time.monotonic() < self._down_until:
            return await use_memory()
        try:
            return await use_redis()
        except Exception as exc:  # limits wraps driver errors in its own type
            if not _is_connection_problem(exc):
                raise
            self._mark_down(exc)
            return await use_memory()

    def _mark_down(self, exc: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            logger.warning("Redis unavailable (%s); using in-process fallback", exc)
        self.last_error = str(exc)
        self._down_until = time.monotonic() + self._retry_after

    # Locks

    async def acquire(self, key: str, ttl_seconds: float) -> str | None:
        """Take the lock `key`; return its token, or None if someone holds it."""
        token = secrets.token_hex(16)

        async def redis_lock() -> str | None:
            assert self._redis is not None
            ok = await self._redis.set(
                f"okla:lock:{key}", token, nx=True, px=int(ttl_seconds * 1000)
            )
            return token if ok else None

        async def memory_lock() -> str | None:
            now = time.monotonic()
            held = self._locks.get(key)
            if held is not None and held[1] > now:
                return None
            self._locks[key] = (token, now + ttl_seconds)
            return token

        return await self._with_redis(redis_lock, memory_lock)

    async def release(self, key: str, token: str) -> None:
        """Release the lock `key` if `token` still holds it."""

        async def redis_release() -> None:
            assert self._redis is not None
            await self._redis.eval(_RELEASE, 1, f"okla:lock:{key}", token)

        async def memory_release() -> None:
            held = self._locks.get(key)
            if held is not None and held[0] == token:
                del self._locks[key]

        # A lock taken in memory (Redis was down) is released there too, and vice versa.
        await memory_release()
        await self._with_redis(redis_release, memory_release)

    # Rate limits

    async def hit(self, limit: str, *identifiers: str) -> tuple[bool, int]:
        """Count one hit; return (allowed, seconds until a retry may succeed)."""
        item = parse(limit)

        async def check(limiter: MovingWindowRateLimiter) -> tuple[bool, int]:
            if await limiter.hit(item, *identifiers):
                return True, 0
            stats = await limiter.get_window_stats(item, *identifiers)
            return False, max(1, int(stats.reset_time - time.time()) + 1)

        async def redis_check() -> tuple[bool, int]:
            assert self._redis_limiter is not None
            return await check(self._redis_limiter)

        async def memory_check() -> tuple[bool, int]:
            return await check(self._memory_limiter)

        return await self._with_redis(redis_check, memory_check)

    # Cached values

    async def get_json(self, key: str) -> Any:
        """Return a cached JSON value, or None."""

        async def redis_get() -> Any:
            assert self._redis is not None
            raw = await self._redis.get(f"okla:cache:{key}")
            return json.loads(raw) if raw else None

        async def memory_get() -> Any:
            hit = self._values.get(key)
            if hit is None or hit[1] < time.monotonic():
                return None
            return json.loads(hit[0])

        return await self._with_redis(redis_get, memory_get)

    async def set_json(self, key: str, value: Any, ttl_seconds: int) -> None:
        """Cache a JSON value for a while."""
        raw = json.dumps(value)

        async def redis_set() -> None:
            assert self._redis is not None
            await self._redis.set(f"okla:cache:{key}", raw, ex=ttl_seconds)

        async def memory_set() -> None:
            self._values[key] = (raw, time.monotonic() + ttl_seconds)

        await self._with_redis(redis_set, memory_set)

    async def delete(self, key: str) -> None:
        """Forget a cached value."""

        async def redis_delete() -> None:
            assert self._redis is not None
            await self._redis.delete(f"okla:cache:{key}")

        async def memory_delete() -> None:
            self._values.pop(key, None)

        self._values.pop(key, None)
        await self._with_redis(redis_delete, memory_delete)


def _limits_uri(redis_url: str) -> str:
    scheme, _, rest = redis_url.partition("://")
    return f"async+{scheme}://{rest}"


def _is_connection_problem(exc: BaseException) -> bool:
    if isinstance(exc, RedisError | OSError | TimeoutError):
        return True
    # limits raises its own StorageError around the driver's exception.
    cause = getattr(exc, "storage_error", None) or exc.__cause__
    return isinstance(cause, RedisError | OSError | TimeoutError)
