"""The replicas behind each service: which one takes a request, which are down, the probe."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass, field
from enum import StrEnum

import httpx

from okla.gateway.metrics import GatewayMetrics

logger = logging.getLogger("okla.gateway")


class ReplicaHealth(StrEnum):
    """What the last look at a replica found."""

    UP = "up"
    DOWN = "down"


def health_path(service: str) -> str:
    """Return the path that tells whether a replica of `service` serves."""
    return "/api/chat/health" if service == "chatbot" else "/health"


@dataclass(eq=False)
class Replica:
    """One replica of a service and what the gateway knows of it."""

    service: str
    url: str
    in_flight: int = 0
    down_until: float = 0.0  # time.monotonic() until which it is skipped

    def is_up(self, now: float) -> bool:
        """Tell whether requests may go to it."""
        return now >= self.down_until


@dataclass
class Pool:
    """The replicas of one service: least requests in flight first, round-robin among equals."""

    service: str
    replicas: list[Replica]
    down_seconds: float
    metrics: GatewayMetrics
    _turn: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        for replica in self.replicas:
            self.metrics.up.labels(self.service, replica.url).set(1)
            self.metrics.in_flight.labels(self.service, replica.url).set(0)

    def pick(self, tried: Collection[Replica] = ()) -> Replica | None:
        """Return the replica for the next attempt, or None when every one was tried."""
        left = [r for r in self.replicas if r not in tried]
        if not left:
            return None
        now = time.monotonic()
        up = [r for r in left if r.is_up(now)]
        if not up:
            # All are marked down: one may have healed since, and refusing outright would
            # turn a short outage into a longer one. Try the one marked down the longest ago.
            return min(left, key=lambda r: r.down_until)
        for replica in left:
            if not replica.is_up(now):
                self.metrics.skips.labels(self.service, replica.url).inc()
        self._turn = (self._turn + 1) % len(self.replicas)
        rotated = up[self._turn % len(up) :] + up[: self._turn % len(up)]
        return min(rotated, key=lambda r: r.in_flight)

    def failed(self, replica: Replica) -> None:
        """Skip the replica for a while: it refused a connection, dropped one or said 5xx."""
        if replica.is_up(time.monotonic()):
            logger.warning(
                "%s replica %s failed; skipping it for %g s",
                self.service,
                replica.url,
                self.down_seconds,
            )
        replica.down_until = time.monotonic() + self.down_seconds
        self.metrics.up.labels(self.service, replica.url).set(0)

    def healthy(self, replica: Replica) -> None:
        """Send requests to the replica again: its health probe answered 200."""
        if not replica.is_up(time.monotonic()):
            logger.info("%s replica %s is healthy again", self.service, replica.url)
        replica.down_until = 0.0
        self.metrics.up.labels(self.service, replica.url).set(1)

    def started(self, replica: Replica) -> None:
        """Count a request the replica now answers."""
        replica.in_flight += 1
        self.metrics.in_flight.labels(self.service, replica.url).inc()

    def finished(self, replica: Replica) -> None:
        """Count a request the replica is done with (its body included)."""
        replica.in_flight -= 1
        self.metrics.in_flight.labels(self.service, replica.url).dec()


class Upstreams:
    """Every service's pool, and the background probe of their replicas' health."""

    def __init__(
        self, services: dict[str, tuple[str, ...]], down_seconds: float, metrics: GatewayMetrics
    ) -> None:
        self.metrics = metrics
        self.pools = {
            name: Pool(name, [Replica(name, url) for url in urls], down_seconds, metrics)
            for name, urls in services.items()
        }

    def pool(self, service: str) -> Pool:
        """Return the pool of a service of the route table."""
        return self.pools[service]

    async def check(self, client: httpx.AsyncClient, replica: Replica) -> httpx.Response:
        """Ask one replica's health (raises httpx.HTTPError when it does not answer)."""
        return await client.get(replica.url + health_path(replica.service), timeout=5.0)

    async def probe_once(self, client: httpx.AsyncClient) -> None:
        """Ask every replica's health at once; mark each up or down by its answer."""
        replicas = [(pool, r) for pool in self.pools.values() for r in pool.replicas]
        answers = await asyncio.gather(
            *(self.check(client, r) for _, r in replicas), return_exceptions=True
        )
        for (pool, replica), answer in zip(replicas, answers, strict=True):
            if isinstance(answer, httpx.Response) and answer.status_code == 200:
                pool.healthy(replica)
            elif isinstance(answer, httpx.Response | httpx.HTTPError):
                pool.failed(replica)
            elif isinstance(answer, BaseException):
                raise answer

    async def probe_forever(self, client: httpx.AsyncClient, every: float) -> None:
        """Probe every `every` seconds until cancelled; a failed round never stops it."""
        while True:
            try:
                await self.probe_once(client)
            except Exception:
                logger.exception("health probe of the replicas failed")
            await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def probing(
    upstreams: Upstreams, client: httpx.AsyncClient, every: float
) -> AsyncIterator[None]:
    """Run the health probe in the background while the block runs."""
    task = asyncio.create_task(upstreams.probe_forever(client, every), name="upstream-probe")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
