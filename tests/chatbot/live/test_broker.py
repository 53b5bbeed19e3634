"""The live events' brokers: in memory and in Redis (two brokers standing for two processes)."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator

import pytest

from okla.chatbot.live.broker import Broker, BrokerUnavailable, MemoryBroker, RedisBroker
from okla.chatbot.live.domain import EventKind, ResyncEvent
from okla.chatbot.live.service import LiveEvents

QUIET = 0.3  # seconds a subscriber listens to be sure nothing more comes


async def redis_pair(url: str, keep: int) -> tuple[RedisBroker, RedisBroker]:
    """Two brokers on one Redis under a prefix of their own (the tests share the server)."""
    prefix = f"okla-test:{secrets.token_hex(4)}:"
    first = RedisBroker(url, prefix=prefix, keep=keep)
    second = RedisBroker(url, prefix=prefix, keep=keep)
    await first.start()
    await second.start()
    return first, second


@pytest.fixture(params=["memory", "redis"])
async def brokers(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[Broker, Broker]]:
    """(publisher, subscriber): one broker twice in memory; two processes' brokers in Redis."""
    if request.param == "memory":
        broker = MemoryBroker(keep=5)
        yield broker, broker
        return
    url: str = request.getfixturevalue("redis_url")
    first, second = await redis_pair(url, keep=5)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def publish(broker: Broker, stream: str, *texts: str) -> list[int]:
    return [await broker.publish(stream, EventKind.MESSAGE, json.dumps(t)) for t in texts]


async def received(broker: Broker, stream: str, after: int | None, count: int) -> list[str]:
    """Subscribe and return the first `count` events as 'id kind data'."""
    out: list[str] = []
    async with broker.subscribe(stream, after) as subscription:
        for _ in range(count):
            envelope = await subscription.next(5)
            assert envelope is not None, f"only {out} came"
            out.append(f"{envelope.id} {envelope.kind.value} {envelope.data}")
        assert await subscription.next(QUIET) is None
    return out


async def test_ids_are_monotonic_per_stream(brokers: tuple[Broker, Broker]) -> None:
    publisher, _ = brokers
    stream, other = f"s:{secrets.token_hex(4)}", f"s:{secrets.token_hex(4)}"
    assert await publish(publisher, stream, "a", "b", "c") == [1, 2, 3]
    assert await publish(publisher, other, "x") == [1]
    assert await publish(publisher, stream, "d") == [4]


async def test_a_new_subscriber_gets_what_comes_after_it_only(
    brokers: tuple[Broker, Broker],
) -> None:
    publisher, subscriber = brokers
    stream = f"s:{secrets.token_hex(4)}"
    await publish(publisher, stream, "before")
    async with subscriber.subscribe(stream, None) as subscription:
        await publish(publisher, stream, "after")
        envelope = await subscription.next(5)
        assert envelope is not None and (envelope.id, envelope.data) == (2, '"after"')
        assert await subscription.next(QUIET) is None


async def test_a_subscriber_hears_its_stream_and_no_other(brokers: tuple[Broker, Broker]) -> None:
    publisher, subscriber = brokers
    ours, theirs = f"dealer:{secrets.token_hex(4)}", f"dealer:{secrets.token_hex(4)}"
    async with subscriber.subscribe(ours, None) as subscription:
        await publish(publisher, theirs, "not for us")
        await publish(publisher, ours, "for us")
        envelope = await subscription.next(5)
        assert envelope is not None and envelope.data == '"for us"'
        assert await subscription.next(QUIET) is None


async def test_last_event_id_resumes_after_it_then_live(brokers: tuple[Broker, Broker]) -> None:
    publisher, subscriber = brokers
    stream = f"s:{secrets.token_hex(4)}"
    await publish(publisher, stream, "1", "2", "3", "4")
    async with subscriber.subscribe(stream, 2) as subscription:
        await publish(publisher, stream, "5")
        ids = []
        while (envelope := await subscription.next(QUIET * 3)) is not None:
            ids.append(envelope.id)
    assert ids == [3, 4, 5]  # each once, though 5 is in the log and came live too


async def test_events_no_longer_kept_are_said_with_a_resync(
    brokers: tuple[Broker, Broker],
) -> None:
    publisher, subscriber = brokers
    stream = f"s:{secrets.token_hex(4)}"
    await publish(publisher, stream, *[str(i) for i in range(1, 11)])  # keeps the last 5
    events = await received(subscriber, stream, 2, 6)
    assert events[0] == f"5 resync {ResyncEvent(reason='expired').model_dump_json()}"
    assert [e.split()[0] for e in events[1:]] == ["6", "7", "8", "9", "10"]


async def test_an_id_from_before_a_restart_is_a_resync_then_live(
    brokers: tuple[Broker, Broker],
) -> None:
    publisher, subscriber = brokers
    stream = f"s:{secrets.token_hex(4)}"
    await publish(publisher, stream, "1")
    async with subscriber.subscribe(stream, 40) as subscription:
        first = await subscription.next(5)
        assert first is not None and first.kind == EventKind.RESYNC and first.id == 1
        await publish(publisher, stream, "2")
        second = await subscription.next(5)
        assert second is not None and (second.id, second.data) == (2, '"2"')


async def test_a_broker_that_fails_does_not_fail_the_publisher(
    caplog: pytest.LogCaptureFixture,
) -> None:
    broker = RedisBroker("redis://127.0.0.1:9/0")  # nothing listens on port 9
    live = LiveEvents(broker)
    try:
        with caplog.at_level(logging.WARNING, logger="okla.chatbot.live"):
            await live.to_session("s1", EventKind.RESYNC, ResyncEvent(reason="secret 809-555-1234"))
    finally:
        await broker.close()
    assert "Live event resync not published" in caplog.text
    assert "809" not in caplog.text  # the payload never reaches the log


async def test_after_a_failure_redis_is_left_alone_for_a_while() -> None:
    broker = RedisBroker("redis://127.0.0.1:9/0")  # nothing listens on port 9
    try:
        with pytest.raises(BrokerUnavailable) as first:
            await broker.publish("s", EventKind.MESSAGE, "{}")
        assert "a moment ago" not in str(first.value)  # it tried
        with pytest.raises(BrokerUnavailable, match="a moment ago"):
            await broker.publish("s", EventKind.MESSAGE, "{}")  # it didn't try again
    finally:
        await broker.close()
