"""Write events to the outbox in the caller's transaction; claim, record and list deliveries.

Several chatbot processes may deliver at once. A worker claims due events by moving their
`next_attempt_at` past a lease (PostgreSQL skips rows another worker has locked; the update
is conditional, so on SQLite too an event is claimed once). A worker that dies mid-delivery
leaves the event pending: once its lease is over, another worker sends it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.models import Dealer, OutboxEvent
from okla.chatbot.outbox.domain import DeliveryState, EventKind

ERROR_LENGTH = 500


@dataclass(frozen=True)
class Claimed:
    """An event a worker holds until `lease_until`, with where to send it."""

    id: str
    kind: EventKind
    payload: dict[str, Any]
    created_at: datetime
    attempts: int  # tries so far, this one included
    lease_until: datetime
    dealer_slug: str
    webhook_url: str | None
    webhook_secret: str | None


class OutboxRepository:
    """The outbox table within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, dealer_id: str, kind: EventKind, payload: dict[str, Any]) -> OutboxEvent:
        """Queue an event; it is stored, or not, with the rest of the caller's transaction."""
        event = OutboxEvent(dealer_id=dealer_id, kind=kind, payload=payload)
        self.session.add(event)
        return event

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Claimed]:
        """Claim up to `limit` pending events due by `now`, oldest due first (caller commits)."""
        due = (OutboxEvent.state == DeliveryState.PENDING, OutboxEvent.next_attempt_at <= now)
        ids = (
            await self.session.scalars(
                select(OutboxEvent.id)
                .where(*due)
                .order_by(OutboxEvent.next_attempt_at, OutboxEvent.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        ).all()
        claimed: list[str] = []
        for event_id in ids:
            moved = await self._update(
                (OutboxEvent.id == event_id, *due),
                next_attempt_at=lease_until,
                attempts=OutboxEvent.attempts + 1,
            )
            if moved:
                claimed.append(event_id)
        if not claimed:
            return []
        rows = (
            await self.session.execute(
                select(OutboxEvent, Dealer)
                .join(Dealer, Dealer.id == OutboxEvent.dealer_id)
                .where(OutboxEvent.id.in_(claimed))
                .order_by(OutboxEvent.created_at)
                .execution_options(populate_existing=True)
            )
        ).all()
        return [
            Claimed(
                id=event.id,
                kind=event.kind,
                payload=event.payload,
                created_at=event.created_at,
                attempts=event.attempts,
                lease_until=lease_until,
                dealer_slug=dealer.slug,
                webhook_url=dealer.webhook_url,
                webhook_secret=dealer.webhook_secret,
            )
            for event, dealer in rows
        ]

    async def delivered(self, claimed: Claimed, now: datetime) -> bool:
        """Record a delivery; False if the lease was lost (another worker took the event)."""
        return await self._settle(
            claimed, state=DeliveryState.DELIVERED, delivered_at=now, last_error=None
        )

    async def failed(self, claimed: Claimed, error: str, retry_at: datetime | None) -> bool:
        """Record a failed try: due again at `retry_at`, or dead when None."""
        if retry_at is None:
            return await self._settle(claimed, state=DeliveryState.DEAD, last_error=_cut(error))
        return await self._settle(claimed, next_attempt_at=retry_at, last_error=_cut(error))

    async def skipped(self, claimed: Claimed, reason: str) -> bool:
        """Record an event that can't be sent (the dealer has no webhook)."""
        return await self._settle(claimed, state=DeliveryState.SKIPPED, last_error=_cut(reason))

    async def listing(
        self, dealer_id: str | None, state: DeliveryState | None, limit: int
    ) -> list[tuple[OutboxEvent, Dealer]]:
        """Return events with their dealer, newest first."""
        query = select(OutboxEvent, Dealer).join(Dealer, Dealer.id == OutboxEvent.dealer_id)
        if dealer_id is not None:
            query = query.where(OutboxEvent.dealer_id == dealer_id)
        if state is not None:
            query = query.where(OutboxEvent.state == state)
        query = query.order_by(OutboxEvent.created_at.desc(), OutboxEvent.id.desc()).limit(limit)
        return [(event, dealer) for event, dealer in (await self.session.execute(query)).all()]

    async def get(self, event_id: str, dealer_id: str | None) -> tuple[OutboxEvent, Dealer] | None:
        """Return an event with its dealer, only if it is of `dealer_id` (any for None)."""
        query = (
            select(OutboxEvent, Dealer)
            .join(Dealer, Dealer.id == OutboxEvent.dealer_id)
            .where(OutboxEvent.id == event_id)
        )
        if dealer_id is not None:
            query = query.where(OutboxEvent.dealer_id == dealer_id)
        row = (await self.session.execute(query.with_for_update(of=OutboxEvent))).first()
        return None if row is None else (row[0], row[1])

    async def dealer_by_slug(self, slug: str) -> Dealer | None:
        """Return a dealer by slug."""
        return await self.session.scalar(select(Dealer).where(Dealer.slug == slug))

    async def _settle(self, claimed: Claimed, **values: Any) -> bool:
        # Only while the lease is ours: a worker that outlived its lease records nothing.
        return await self._update(
            (
                OutboxEvent.id == claimed.id,
                OutboxEvent.state == DeliveryState.PENDING,
                OutboxEvent.next_attempt_at == claimed.lease_until,
            ),
            **values,
        )

    async def _update(self, where: tuple[Any, ...], **values: Any) -> bool:
        result = await self.session.execute(
            update(OutboxEvent)
            .where(*where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return cast(CursorResult[Any], result).rowcount == 1


def _cut(text: str) -> str:
    return text[:ERROR_LENGTH]
