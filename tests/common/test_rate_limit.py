"""Rate limits count in memory without Redis, and fall back to memory when Redis is down."""

from __future__ import annotations

import logging

from okla.common.rate_limit import RateLimiter, limits_uri
from okla.common.redis_link import RedisLink, RedisState

logger = logging.getLogger("okla.test")


async def test_limits_in_memory_without_redis() -> None:
    link = RedisLink(None, logger)
    limiter = RateLimiter(link)
    decisions = [await limiter.hit("2/minute", "start", "10.0.0.1") for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[0].retry_after == 0
    assert 1 <= decisions[2].retry_after <= 61
    assert (await limiter.hit("2/minute", "start", "10.0.0.2")).allowed, "per identifiers"
    assert link.state == RedisState.MEMORY


async def test_unreachable_redis_degrades_to_memory() -> None:
    # Nothing listens on port 1: every connection is refused at once.
    link = RedisLink("redis://127.0.0.1:1/0", logger, retry_after_seconds=60)
    limiter = RateLimiter(link)
    before = link.state
    decisions = [await limiter.hit("1/minute", "x") for _ in range(2)]
    assert [d.allowed for d in decisions] == [True, False]
    assert (before, link.state) == (RedisState.REDIS, RedisState.DEGRADED)
    assert not await link.ping()
    await link.close()


def test_limits_uri_keeps_the_rest_of_the_url() -> None:
    assert limits_uri("redis://:pw@host:6380/2") == "async+redis://:pw@host:6380/2"
    assert limits_uri("rediss://host/0") == "async+rediss://host/0"
