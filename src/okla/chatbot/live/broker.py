"""Where live events go between processes: Redis pub/sub with a capped log per stream, or
process memory when no Redis is configured.

Every broker fans events out to the subscribers of its own process. A stream's ids are
monotonic (a Redis INCR, or a counter in memory), and the last `keep` events of each stream
are kept for clients that reconnect with `Last-Event-ID`: in Redis any replica can resume any
client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from okla.chatbot.live.domain import Envelope, EventKind, ResyncEvent, encode

logger = logging.getLogger("okla.chatbot.live")

# Events kept per stream for reconnecting clients.
KEEP = 500
# Events a slow subscriber may have waiting; beyond, it resumes from the log (a resync if gone).
QUEUE_SIZE = 1000
# How long Redis is left alone after it failed.
RETRY_SECONDS = 5.0


class BrokerUnavailable(RuntimeError):
    """The broker can't take events now (Redis is unreachable)."""


class Subscription:
    """One client's view of a stream: what it missed since its last id, then live events."""

    def __init__(self, after: int | None) -> None:
        self.last = after or 0
        self._after = after
        self._pending: deque[Envelope] = deque()
        self._queue: asyncio.Queue[Envelope] = asyncio.Queue(QUEUE_SIZE)
        self.overflowed = False

    def offer(self, envelope: Envelope) -> None:
        """Take a live event (the fan-out calls this; it never waits)."""
        try:
            self._queue.put_nowait(envelope)
        except asyncio.QueueFull:
            self.overflowed = True  # the client resumes from the log when it reconnects

    def start(self, backlog: list[Envelope], latest: int) -> None:
        """Queue the kept events after the client's last id; say so if some are gone."""
        after = self._after
        if after is None:
            self.last = latest  # a new client: live events only
            return
        missed = [e for e in backlog if e.id > after]
        lost = after > latest or (latest > after and (not missed or missed[0].id > after + 1))
        if lost:
            # The stream began again (no Redis log, a restart) or dropped what they missed.
            start = latest if after > latest else (missed[0].id - 1 if missed else latest)
            reason = "restarted" if after > latest else "expired"
            self._pending.append(
                Envelope(start, EventKind.RESYNC, encode(ResyncEvent(reason=reason)))
            )
            self.last = start
        self._pending.extend(e for e in missed if e.id > self.last)

    async def next(self, timeout: float) -> Envelope | None:
        """Return the next event, or None when none came within `timeout` seconds."""
        while True:
            if self._pending:
                envelope = self._pending.popleft()
                if envelope.kind == EventKind.RESYNC:
                    return envelope
            else:
                try:
                    envelope = await asyncio.wait_for(self._queue.get(), timeout)
                except TimeoutError:
                    return None
            if envelope.id <= self.last:
                continue  # seen already (in the log and live both)
            self.last = envelope.id
            return envelope


class Broker(Protocol):
    """Publish events to streams and follow them."""

    async def start(self) -> None:
        """Begin receiving other processes' events."""

    async def close(self) -> None:
        """Stop receiving and free the connections."""

    async def publish(self, stream: str, kind: EventKind, data: str) -> int:
        """Append an event to a stream and deliver it; return its id."""
        ...

    def subscribe(
        self, stream: str, after: int | None
    ) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """Follow a stream from the event after `after` (None: from now on)."""
        ...


class _Fanout:
    """The subscribers of this process, per stream."""

    def __init__(self) -> None:
        self.streams: dict[str, set[Subscription]] = {}

    def deliver(self, stream: str, envelope: Envelope) -> None:
        for subscription in self.streams.get(stream, ()):
            subscription.offer(envelope)

    def add(self, stream: str, subscription: Subscription) -> Callable[[], None]:
        self.streams.setdefault(stream, set()).add(subscription)

        def remove() -> None:
            held = self.streams.get(stream)
            if held is not None:
                held.discard(subscription)
                if not held:
                    del self.streams[stream]

        return remove


class MemoryBroker:
    """Streams in this process's memory: one process sees its own events only."""

    def __init__(self, keep: int = KEEP, max_streams: int = 10_000) -> None:
        self._keep = keep
        self._max_streams = max_streams
        # Least recently published first: the oldest streams are forgotten past max_streams.
        self._logs: OrderedDict[str, tuple[int, deque[Envelope]]] = OrderedDict()
        self._fanout = _Fanout()

    async def start(self) -> None:
        """Nothing to receive: every event is published here."""

    async def close(self) -> None:
        """Nothing to free."""

    async def publish(self, stream: str, kind: EventKind, data: str) -> int:
        """Append the event to the stream's log and deliver it to this process's subscribers."""
        latest, log = self._logs.pop(stream, (0, deque(maxlen=self._keep)))
        envelope = Envelope(latest + 1, kind, data)
        log.append(envelope)
        self._logs[stream] = (envelope.id, log)
        while len(self._logs) > self._max_streams:
            self._logs.popitem(last=False)
        self._fanout.deliver(stream, envelope)
        return envelope.id

    @asynccontextmanager
    async def subscribe(self, stream: str, after: int | None) -> AsyncIterator[Subscription]:
        """Follow a stream of this process."""
        subscription = Subscription(after)
        remove = self._fanout.add(stream, subscription)
        try:
            latest, log = self._logs.get(stream, (0, deque()))
            subscription.start(list(log), latest)
            yield subscription
        finally:
            remove()


# Atomically: the stream's next id, its capped log, and the message to every process.
_PUBLISH = """
local id = redis.call('INCR', KEYS[1])
local entry = id .. ' ' .. ARGV[1] .. ' ' .. ARGV[2]
redis.call('RPUSH', KEYS[2], entry)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', KEYS[3], entry)
return id
"""


def _parse(entry: str) -> Envelope:
    number, kind, data = entry.split(" ", 2)
    return Envelope(int(number), EventKind(kind), data)


class RedisBroker:
    """Streams in Redis: a counter and a capped list per stream, and pub/sub to every process.

    One pattern subscription per process carries every stream's events; this process's
    subscribers get theirs from it. While Redis is unreachable, publishing logs a warning
    and drops the event (the clients' state is in the database; they catch up on reload).
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "okla:live:",
        keep: int = KEEP,
        ttl_seconds: int = 86_400,
    ) -> None:
        # No socket timeout: the pub/sub connection waits for messages as long as it takes.
        self._redis = Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=2.0, health_check_interval=30
        )
        self._prefix = prefix
        self._channels = f"{prefix}ch:"
        self._keep = keep
        self._ttl = ttl_seconds
        self._fanout = _Fanout()
        self._script = self._redis.register_script(_PUBLISH)
        self._listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._down_until = 0.0

    async def start(self) -> None:
        """Subscribe to every stream's channel (waits up to 2 s for Redis to acknowledge)."""
        self._task = asyncio.create_task(self._listen())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), 2.0)

    async def close(self) -> None:
        """Stop listening and close the connections."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._redis.aclose()

    async def publish(self, stream: str, kind: EventKind, data: str) -> int:
        """Append the event to the stream's log in Redis and publish it to every process.

        After a failure Redis is left alone for RETRY_SECONDS: while it is down, a state
        change doesn't wait for a connection timeout on each event (they are dropped).
        """
        if time.monotonic() < self._down_until:
            raise BrokerUnavailable("Redis was unreachable a moment ago")
        try:
            return await self._append(stream, kind, data)
        except (RedisError, OSError) as exc:
            self._down_until = time.monotonic() + RETRY_SECONDS
            raise BrokerUnavailable(type(exc).__name__) from exc

    async def _append(self, stream: str, kind: EventKind, data: str) -> int:
        keys = [
            f"{self._prefix}seq:{stream}",
            f"{self._prefix}log:{stream}",
            self._channels + stream,
        ]
        number = await self._script(keys=keys, args=[kind.value, data, self._keep, self._ttl])
        return int(number)

    @asynccontextmanager
    async def subscribe(self, stream: str, after: int | None) -> AsyncIterator[Subscription]:
        """Follow a stream: its kept events from Redis, then what the pub/sub brings."""
        subscription = Subscription(after)
        remove = self._fanout.add(stream, subscription)
        try:
            try:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.get(f"{self._prefix}seq:{stream}")
                    pipe.lrange(f"{self._prefix}log:{stream}", 0, -1)
                    latest, entries = await pipe.execute()
                subscription.start([_parse(e) for e in entries], int(latest or 0))
            except (RedisError, OSError) as exc:
                logger.warning("Live events: Redis unavailable (%s); no replay", type(exc).__name__)
                subscription.start([], after or 0)
            yield subscription
        finally:
            remove()

    async def _listen(self) -> None:
        pause = 1.0
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.psubscribe(self._channels + "*")
                async for message in pubsub.listen():
                    if message["type"] == "psubscribe":
                        self._listening.set()
                        pause = 1.0
                    elif message["type"] == "pmessage":
                        stream = message["channel"][len(self._channels) :]
                        self._fanout.deliver(stream, _parse(message["data"]))
            except (RedisError, OSError) as exc:
                if self._listening.is_set() or pause == 1.0:
                    logger.warning("Live events: Redis subscription lost (%s)", type(exc).__name__)
                self._listening.clear()
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_SECONDS * 6)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]


def build_broker(redis_url: str | None) -> Broker:
    """Return the broker for this configuration: Redis if configured, else memory."""
    return RedisBroker(redis_url) if redis_url else MemoryBroker()
