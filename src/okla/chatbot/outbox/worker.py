"""Deliver the outbox: POST each pending event to its dealer's webhook, signed, with retries.

At least once: an event is marked delivered only after a 2xx, so a crash between the POST
and the record sends it again. Receivers dedupe on X-Okla-Delivery (the event's id).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import okla
from okla.chatbot.models import utcnow
from okla.chatbot.outbox.repository import Claimed, OutboxRepository
from okla.chatbot.settings import ChatbotSettings

logger = logging.getLogger("okla.chatbot.outbox")

SIGNATURE_HEADER = "X-Okla-Signature"
EVENT_HEADER = "X-Okla-Event"
DELIVERY_HEADER = "X-Okla-Delivery"
BATCH = 20  # events claimed, and sent concurrently, at once


def signature(body: bytes, secret: str) -> str:
    """Return the X-Okla-Signature value of a body: sha256=<hex HMAC-SHA256 with the secret>."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def body_of(event: Claimed) -> bytes:
    """Return the JSON body POSTed for an event."""
    envelope = {
        "id": event.id,
        "type": event.kind.value,
        "dealer": event.dealer_slug,
        "createdAt": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def backoff(settings: ChatbotSettings, attempts: int) -> float:
    """Return the seconds to wait after the `attempts`-th failed try."""
    delay = settings.outbox_backoff_seconds * 2 ** (attempts - 1)
    return float(min(delay, settings.outbox_backoff_max_seconds))


@dataclass
class OutboxWorker:
    """A background task that delivers due events until it is closed."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    client: httpx.AsyncClient
    clock: Callable[[], datetime] = utcnow
    # How long a claim holds: past it, a worker that died mid-delivery loses the event.
    lease_seconds: float = field(default=0.0)
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _stop: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    _wake: asyncio.Event = field(default_factory=asyncio.Event, init=False)

    def __post_init__(self) -> None:
        if self.lease_seconds <= 0:
            self.lease_seconds = self.settings.outbox_timeout_seconds + 60

    def start(self) -> None:
        """Start delivering in the background."""
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self._run(), name="okla-outbox")

    def wake(self) -> None:
        """Look for due events now rather than at the next poll."""
        self._wake.set()

    async def close(self) -> None:
        """Stop after the deliveries in flight (bounded by their timeout); nothing is lost."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        self._wake.set()
        try:
            await asyncio.wait_for(task, timeout=self.settings.outbox_timeout_seconds + 5)
        except TimeoutError:
            # Cancelled mid-POST: the event keeps its claim and is sent again after the lease.
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            handled = 0
            try:
                handled = await self.deliver_due()
            except Exception as exc:  # the database may be down: try again at the next poll
                if not failing:  # once per outage, not at every poll
                    logger.warning("Outbox delivery paused: %s", type(exc).__name__)
                failing = True
            else:
                if failing:
                    logger.info("Outbox delivery resumed")
                failing = False
            if handled:
                continue  # there may be more due right away
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.outbox_poll_seconds)

    async def deliver_due(self) -> int:
        """Claim the events that are due, send them, record each outcome; return how many."""
        now = self.clock()
        async with self.sessions() as db:
            claimed = await OutboxRepository(db).claim_due(
                now, now + timedelta(seconds=self.lease_seconds), BATCH
            )
            await db.commit()
        if claimed:
            await asyncio.gather(*(self._deliver(event) for event in claimed))
        return len(claimed)

    async def _deliver(self, event: Claimed) -> None:
        if not event.webhook_url or not event.webhook_secret:
            missing = "webhook_url" if not event.webhook_url else "webhook_secret"
            await self._record(lambda repo: repo.skipped(event, f"the dealer has no {missing}"))
            return
        error = await self._post(event, event.webhook_url, event.webhook_secret)
        if error is None:
            now = self.clock()
            await self._record(lambda repo: repo.delivered(event, now))
            return
        if event.attempts >= self.settings.outbox_max_attempts:
            retry_at = None
            logger.warning(
                "Webhook event %s (%s) is dead after %d tries: %s",
                event.id,
                event.kind.value,
                event.attempts,
                error,
            )
        else:
            retry_at = self.clock() + timedelta(seconds=backoff(self.settings, event.attempts))
        await self._record(lambda repo: repo.failed(event, error, retry_at))

    async def _post(self, event: Claimed, url: str, secret: str) -> str | None:
        """POST the event; return None on a 2xx, else what went wrong (no personal data)."""
        body = body_of(event)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"OKLA-Chat-Webhook/{okla.__version__}",
            SIGNATURE_HEADER: signature(body, secret),
            EVENT_HEADER: event.kind.value,
            DELIVERY_HEADER: event.id,
        }
        try:
            response = await self.client.post(
                url, content=body, headers=headers, timeout=self.settings.outbox_timeout_seconds
            )
        except Exception as exc:  # refused, timed out, a bad URL: all worth another try
            return f"{type(exc).__name__}: {exc}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    async def _record(self, write: Callable[[OutboxRepository], Awaitable[bool]]) -> None:
        async with self.sessions() as db:
            await write(OutboxRepository(db))
            await db.commit()
