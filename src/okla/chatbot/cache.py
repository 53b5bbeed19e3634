"""Per-session locks and rate limits: Redis when configured, else in-process.

If Redis goes away, every operation falls back to the in-process equivalent and the service
keeps answering; it tries Redis again a few seconds later. Degraded mode is per process:
locks and limits then hold within one process only (documented in the README).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from redis.asyncio import Redis

from okla.common.rate_limit import RateLimiter
from okla.common.redis_link import RedisLink, RedisState

logger = logging.getLogger("okla.chatbot")

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_EXTEND = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class Coordinator:
    """Locks and rate limits shared by the service's workers."""

    def __init__(self, redis_url: str | None, *, retry_after_seconds: float = 5.0) -> None:
        self._link = RedisLink(redis_url, logger, retry_after_seconds=retry_after_seconds)
        self._limiter = RateLimiter(self._link)
        self._locks: dict[str, tuple[str, float]] = {}
        self._renewals: dict[str, asyncio.Task[None]] = {}

    @property
    def state(self) -> RedisState:
        """Say which backend serves: redis, memory (none configured) or degraded."""
        return self._link.state

    async def close(self) -> None:
        """Stop renewing leases; close the Redis connection pool."""
        for task in self._renewals.values():
            task.cancel()
        self._renewals.clear()
        await self._link.close()

    async def ping(self) -> bool:
        """Tell whether Redis answers (True without Redis: the memory backend is always up)."""
        return await self._link.ping()

    # Locks

    async def acquire(self, key: str, ttl_seconds: float, *, tag: str = "") -> str | None:
        """Take the lock `key`; return its token, or None if someone holds it.

        `tag` starts the token (`tag:random`): whoever reads the lock's holder can tell what
        it was taken for.
        """
        token = f"{tag}:{secrets.token_hex(16)}" if tag else secrets.token_hex(16)

        async def redis_lock(redis: Redis) -> str | None:
            ok = await redis.set(f"okla:lock:{key}", token, nx=True, px=int(ttl_seconds * 1000))
            return token if ok else None

        async def memory_lock() -> str | None:
            now = time.monotonic()
            held = self._locks.get(key)
            if held is not None and held[1] > now:
                return None
            self._locks[key] = (token, now + ttl_seconds)
            return token

        return await self._link.run(redis_lock, memory_lock)

    async def holder(self, key: str) -> str | None:
        """Return the token holding the lock `key`, or None if it is free."""

        async def redis_holder(redis: Redis) -> str | None:
            value = await redis.get(f"okla:lock:{key}")
            return value.decode() if isinstance(value, bytes) else value

        async def memory_holder() -> str | None:
            held = self._locks.get(key)
            return held[0] if held is not None and held[1] > time.monotonic() else None

        return await self._link.run(redis_holder, memory_holder)

    async def lease(
        self, key: str, lease_seconds: float, most_seconds: float, *, tag: str = ""
    ) -> str | None:
        """Take the lock `key` for `lease_seconds`, renewed while this process lives.

        A process that dies (a killed replica) stops renewing: its lock frees itself a lease
        later instead of a whole turn's time later. `release` stops the renewal; so does
        `most_seconds`, a bound on a turn that forgot to release.
        """
        token = await self.acquire(key, lease_seconds, tag=tag)
        if token is not None:
            self._renewals[token] = asyncio.create_task(
                self._renew(key, token, lease_seconds, time.monotonic() + most_seconds)
            )
        return token

    async def _renew(self, key: str, token: str, lease_seconds: float, until: float) -> None:
        try:
            while time.monotonic() < until:
                await asyncio.sleep(lease_seconds / 3)
                if not await self._extend(key, token, lease_seconds):
                    return
        except Exception:  # the lease then runs out by itself
            logger.warning("Renewing the lock %s failed", key.split(":")[0], exc_info=True)
        finally:
            self._renewals.pop(token, None)

    async def _extend(self, key: str, token: str, ttl_seconds: float) -> bool:
        """Extend the lock `key` if `token` still holds it; tell whether it did."""

        async def redis_extend(redis: Redis) -> bool:
            done = await redis.eval(_EXTEND, 1, f"okla:lock:{key}", token, int(ttl_seconds * 1000))
            return bool(done)

        async def memory_extend() -> bool:
            held = self._locks.get(key)
            if held is None or held[0] != token:
                return False
            self._locks[key] = (token, time.monotonic() + ttl_seconds)
            return True

        return await self._link.run(redis_extend, memory_extend)

    async def release(self, key: str, token: str) -> None:
        """Release the lock `key` if `token` still holds it (and stop renewing it)."""
        renewal = self._renewals.pop(token, None)
        if renewal is not None:
            renewal.cancel()

        async def redis_release(redis: Redis) -> None:
            await redis.eval(_RELEASE, 1, f"okla:lock:{key}", token)

        async def memory_release() -> None:
            held = self._locks.get(key)
            if held is not None and held[0] == token:
                del self._locks[key]

        # A lock taken in memory (Redis was down) is released there too, and vice versa.
        await memory_release()
        await self._link.run(redis_release, memory_release)

    # Rate limits

    async def hit(self, limit: str, *identifiers: str) -> tuple[bool, int]:
        """Count one hit; return (allowed, seconds until a retry may succeed)."""
        decision = await self._limiter.hit(limit, *identifiers)
        return decision.allowed, decision.retry_after
