"""The webhook outbox under failure: each event received once, signed, never lost, dead at last."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.leads.domain import LeadInterest
from okla.chatbot.leads.service import LeadService
from okla.chatbot.models import OutboxEvent, utcnow
from okla.chatbot.outbox.domain import DeliveryState
from okla.chatbot.outbox.repository import OutboxRepository
from okla.chatbot.outbox.service import OutboxService
from okla.chatbot.outbox.worker import OutboxWorker, backoff, body_of, signature
from okla.chatbot.settings import ChatbotSettings
from tests.utils.desk import ADP, WebhookReceiver, dealer_id, set_webhook, verify_signature
from tests.utils.pipeline import unit_settings
from tests.utils.servers import serve

SECRET = "whsec-" + "k" * 32
_phones = itertools.count(2000)


def settings(**overrides: object) -> ChatbotSettings:
    values: dict[str, object] = {
        "outbox_backoff_seconds": 0.01,
        "outbox_backoff_max_seconds": 0.05,
        "outbox_poll_seconds": 0.02,
        "outbox_timeout_seconds": 2,
        "outbox_max_attempts": 8,
    }
    return unit_settings(**(values | overrides))


@pytest.fixture
def receiver() -> Iterator[tuple[WebhookReceiver, str]]:
    hook = WebhookReceiver()
    with serve(hook.app()) as url:
        yield hook, f"{url}/hook"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


async def new_leads(sessions: async_sessionmaker[AsyncSession], count: int) -> list[str]:
    """Capture `count` leads of the default dealer; return their events' ids."""
    service = LeadService(sessions)
    adp = await dealer_id(sessions, ADP)
    for _ in range(count):
        await service.capture(
            adp,
            None,
            "Ana Pérez",
            f"+1809555{next(_phones):04d}",
            None,
            None,
            LeadInterest.CALLBACK,
            "consent",
        )
    async with sessions() as db:
        return list((await db.scalars(select(OutboxEvent.id))).all())


async def events(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxEvent]:
    async with sessions() as db:
        return list((await db.scalars(select(OutboxEvent).order_by(OutboxEvent.id))).all())


async def until(check: Callable[[], object], timeout: float = 20) -> None:
    """Wait for an async check to be truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


async def all_in(sessions: async_sessionmaker[AsyncSession], state: DeliveryState) -> bool:
    return all(event.state == state for event in await events(sessions))


async def test_a_failing_receiver_still_gets_each_event_exactly_once(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    hook.fail_first = 3
    await set_webhook(desk, ADP, url, SECRET)
    ids = await new_leads(desk, 3)
    worker = OutboxWorker(settings(), desk, client)
    worker.start()
    try:
        await until(lambda: all_in(desk, DeliveryState.DELIVERED))
    finally:
        await worker.close()
    assert hook.delivered() == dict.fromkeys(ids, 1)
    assert sum(r.status == 500 for r in hook.receipts) == 3
    for receipt in hook.receipts:
        assert verify_signature(receipt, SECRET)
        body = receipt.json()
        assert set(body) == {"id", "type", "dealer", "createdAt", "data"}
        assert body["id"] == receipt.delivery
        assert receipt.headers["x-okla-event"] == body["type"] == "lead.created"
        assert body["dealer"] == ADP
        assert body["data"]["lead"]["name"] == "Ana Pérez"
        assert receipt.headers["content-type"] == "application/json"
    stored = await events(desk)
    assert all(event.delivered_at is not None and event.last_error is None for event in stored)
    assert sum(event.attempts for event in stored) == 3 + 3


async def test_a_signature_with_another_secret_does_not_verify(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    await set_webhook(desk, ADP, url, SECRET)
    await new_leads(desk, 1)
    await OutboxWorker(settings(), desk, client).deliver_due()
    [receipt] = hook.receipts
    assert verify_signature(receipt, SECRET)
    assert not verify_signature(receipt, SECRET + "x")
    assert receipt.headers["x-okla-signature"] == signature(receipt.body, SECRET)


async def test_an_event_survives_a_worker_restart(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    hook.fail_first = 1
    await set_webhook(desk, ADP, url, SECRET)
    [event_id] = await new_leads(desk, 1)
    first = OutboxWorker(
        settings(outbox_backoff_seconds=30, outbox_backoff_max_seconds=60), desk, client
    )
    assert await first.deliver_due() == 1  # refused once: due again in 30 s
    first.start()
    await first.close()  # the process stops
    [event] = await events(desk)
    assert (event.state, event.attempts, event.last_error) == (
        DeliveryState.PENDING,
        1,
        "HTTP 500",
    )
    # A new process, 31 s later by its clock: the event is still there and goes out.
    later = OutboxWorker(settings(), desk, client, clock=lambda: utcnow() + timedelta(seconds=31))
    assert await later.deliver_due() == 1
    assert hook.delivered() == {event_id: 1}
    assert await all_in(desk, DeliveryState.DELIVERED)


async def test_an_event_claimed_by_a_worker_that_died_is_sent_after_its_lease(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    await set_webhook(desk, ADP, url, SECRET)
    [event_id] = await new_leads(desk, 1)
    now = utcnow()
    async with desk() as db:  # a worker claims it, then its process dies mid-POST
        [claimed] = await OutboxRepository(db).claim_due(now, now + timedelta(seconds=60), 10)
        await db.commit()
    worker = OutboxWorker(settings(), desk, client)
    assert await worker.deliver_due() == 0  # held by the dead worker's lease
    after = OutboxWorker(settings(), desk, client, clock=lambda: now + timedelta(seconds=61))
    assert await after.deliver_due() == 1
    assert hook.delivered() == {event_id: 1}
    # The dead worker's late record would find its lease gone: it changes nothing.
    async with desk() as db:
        assert not await OutboxRepository(db).failed(claimed, "late", None)
        await db.commit()
    assert await all_in(desk, DeliveryState.DELIVERED)


async def test_an_event_is_dead_after_the_last_try_and_can_be_retried(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    hook.fail_first = 10**6
    hook.failure = 503
    await set_webhook(desk, ADP, url, SECRET)
    [event_id] = await new_leads(desk, 1)
    worker = OutboxWorker(settings(outbox_max_attempts=4), desk, client)
    worker.start()
    try:
        await until(lambda: all_in(desk, DeliveryState.DEAD))
    finally:
        await worker.close()
    [event] = await events(desk)
    assert (event.attempts, event.last_error) == (4, "HTTP 503")
    assert len(hook.receipts) == 4 and not hook.delivered()
    staff = OutboxService(desk)
    [dead] = await staff.listing(ADP, DeliveryState.DEAD, 10)
    assert dead.id == event_id and dead.type == "lead.created"
    assert await staff.listing("motores-del-cibao", DeliveryState.DEAD, 10) == []
    # The receiver is fixed; an admin sends the event again.
    hook.fail_first = 0
    retried = await staff.retry(ADP, event_id)
    assert (retried.state, retried.attempts) == (DeliveryState.PENDING, 0)
    assert await worker.deliver_due() == 1
    assert hook.delivered() == {event_id: 1}


async def test_two_workers_never_send_the_same_event(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
) -> None:
    hook, url = receiver
    await set_webhook(desk, ADP, url, SECRET)
    ids = await new_leads(desk, 30)
    workers = [OutboxWorker(settings(), desk, client) for _ in range(2)]
    handled = await asyncio.gather(*(w.deliver_due() for w in workers for _ in range(2)))
    for worker in workers:
        worker.start()
    try:
        await until(lambda: all_in(desk, DeliveryState.DELIVERED))
    finally:
        await asyncio.gather(*(w.close() for w in workers))
    assert sum(handled) <= 30
    assert len(hook.receipts) == 30  # no event was POSTed twice
    assert hook.delivered() == dict.fromkeys(ids, 1)


async def test_a_dealer_without_a_webhook_has_its_events_skipped(
    desk: async_sessionmaker[AsyncSession], client: httpx.AsyncClient
) -> None:
    [event_id] = await new_leads(desk, 1)
    assert await OutboxWorker(settings(), desk, client).deliver_due() == 1
    [event] = await events(desk)
    assert event.state == DeliveryState.SKIPPED
    assert event.last_error == "the dealer has no webhook_url"
    await set_webhook(desk, ADP, "http://127.0.0.1:9/hook", None)  # a URL, but no secret
    await OutboxService(desk).retry(ADP, event_id)
    await OutboxWorker(settings(), desk, client).deliver_due()
    [event] = await events(desk)
    assert (event.state, event.last_error) == (
        DeliveryState.SKIPPED,
        "the dealer has no webhook_secret",
    )


async def test_an_unreachable_webhook_is_tried_again_later(
    desk: async_sessionmaker[AsyncSession], client: httpx.AsyncClient
) -> None:
    await set_webhook(desk, ADP, "http://127.0.0.1:9/hook", SECRET)  # nothing listens there
    await new_leads(desk, 1)
    start = utcnow()
    tuned = settings(outbox_backoff_seconds=5, outbox_backoff_max_seconds=60)
    worker = OutboxWorker(tuned, desk, client, clock=lambda: start)
    assert await worker.deliver_due() == 1
    [event] = await events(desk)
    assert event.state == DeliveryState.PENDING and event.attempts == 1
    assert event.last_error is not None and event.last_error.startswith("ConnectError")
    assert abs((event.next_attempt_at - start).total_seconds() - 5) < 0.01
    assert await worker.deliver_due() == 0  # not due yet


def test_the_wait_doubles_up_to_its_cap() -> None:
    tuned = settings(outbox_backoff_seconds=2, outbox_backoff_max_seconds=20)
    assert [backoff(tuned, n) for n in range(1, 7)] == [2, 4, 8, 16, 20, 20]


def test_the_body_is_the_signed_json_envelope() -> None:
    from okla.chatbot.outbox.domain import EventKind
    from okla.chatbot.outbox.repository import Claimed

    claimed = Claimed(
        id="e1",
        kind=EventKind.LEAD_UPDATED,
        payload={"lead": {"name": "Peña"}},
        created_at=datetime(2026, 11, 30, 12, 0, tzinfo=utcnow().tzinfo),
        attempts=1,
        lease_until=utcnow(),
        dealer_slug=ADP,
        webhook_url=None,
        webhook_secret=None,
    )
    body = body_of(claimed)
    assert json.loads(body) == {
        "id": "e1",
        "type": "lead.updated",
        "dealer": ADP,
        "createdAt": "2026-11-30T12:00:00+00:00",
        "data": {"lead": {"name": "Peña"}},
    }
    assert "Peña".encode() in body  # UTF-8, not \u escapes
    assert signature(body, "s").startswith("sha256=") and len(signature(body, "s")) == 71


class FlakyDatabase:
    """A session factory whose first `failures` sessions can't connect."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], failures: int) -> None:
        self.sessions = sessions
        self.failures = failures

    def __call__(self) -> AsyncSession:
        if self.failures > 0:
            self.failures -= 1
            raise OSError("connection refused")
        return self.sessions()


async def test_the_worker_rides_out_a_database_outage(
    desk: async_sessionmaker[AsyncSession],
    receiver: tuple[WebhookReceiver, str],
    client: httpx.AsyncClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hook, url = receiver
    await set_webhook(desk, ADP, url, SECRET)
    [event_id] = await new_leads(desk, 1)
    flaky = FlakyDatabase(desk, failures=5)
    worker = OutboxWorker(settings(), flaky, client)  # type: ignore[arg-type]
    worker.start()
    try:
        await until(lambda: all_in(desk, DeliveryState.DELIVERED))
    finally:
        await worker.close()
    assert hook.delivered() == {event_id: 1}
    paused = [r for r in caplog.records if "paused" in r.getMessage()]
    assert len(paused) == 1  # once per outage, not once per poll
