"""Moving-window rate limits on Redis, counted in process memory while Redis is unreachable."""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import MovingWindowRateLimiter
from redis.asyncio import Redis

from okla.common.redis_link import RedisLink


@dataclass(frozen=True)
class RateDecision:
    """Whether a hit is allowed, and if not, the seconds until a retry may succeed."""

    allowed: bool
    retry_after: int = 0


class RateLimiter:
    """Count hits against limits such as "20/minute", per identifiers."""

    def __init__(self, link: RedisLink) -> None:
        self._link = link
        self._redis: MovingWindowRateLimiter | None = None
        if link.client is not None and link.url:
            # The link's connection pool serves both, and is closed with it.
            storage = RedisStorage(
                limits_uri(link.url),
                implementation="redispy",
                wrap_exceptions=True,
                connection_pool=link.client.connection_pool,  # type: ignore[arg-type]
            )
            self._redis = MovingWindowRateLimiter(storage)
        self._memory = MovingWindowRateLimiter(MemoryStorage())

    async def hit(self, limit: str, *identifiers: str) -> RateDecision:
        """Count one hit of `limit` for these identifiers."""
        item = _parsed(limit)

        async def on_redis(_client: Redis) -> RateDecision:
            assert self._redis is not None
            return await _hit(self._redis, item, identifiers)

        async def in_memory() -> RateDecision:
            return await _hit(self._memory, item, identifiers)

        return await self._link.run(on_redis, in_memory)


@lru_cache(maxsize=64)
def _parsed(limit: str) -> RateLimitItem:
    """Parse a limit such as "20/minute" once (the settings and the route table hold few)."""
    return parse(limit)


async def _hit(
    limiter: MovingWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, ...]
) -> RateDecision:
    if await limiter.hit(item, *identifiers):
        return RateDecision(allowed=True)
    stats = await limiter.get_window_stats(item, *identifiers)
    return RateDecision(allowed=False, retry_after=max(1, int(stats.reset_time - time.time()) + 1))


def limits_uri(redis_url: str) -> str:
    """Turn redis://… into the async storage URI the limits library wants."""
    scheme, _, rest = redis_url.partition("://")
    return f"async+{scheme}://{rest}"
