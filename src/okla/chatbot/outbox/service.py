"""The outbox as staff see it: events by delivery state, and sending a dead one again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.errors import ConflictError, NotFoundError
from okla.chatbot.models import utcnow
from okla.chatbot.outbox.domain import RETRYABLE, DeliveryState
from okla.chatbot.outbox.repository import OutboxRepository
from okla.chatbot.outbox.schemas import OutboxEventOut


@dataclass(frozen=True)
class OutboxService:
    """List a dealer's webhook events; retry those that died or were skipped."""

    sessions: async_sessionmaker[AsyncSession]

    async def listing(
        self, dealer: str | None, state: DeliveryState | None, limit: int
    ) -> list[OutboxEventOut]:
        """List a dealer's events (every dealer's for None), newest first."""
        async with self.sessions() as db:
            repo = OutboxRepository(db)
            dealer_id = await _dealer_id(repo, dealer)
            rows = await repo.listing(dealer_id, state, limit)
            return [OutboxEventOut.of(event, owner) for event, owner in rows]

    async def retry(self, dealer: str | None, event_id: str) -> OutboxEventOut:
        """Send a Dead or Skipped event again, from its first try, as soon as a worker can."""
        async with self.sessions() as db:
            repo = OutboxRepository(db)
            found = await repo.get(event_id, await _dealer_id(repo, dealer))
            if found is None:
                raise NotFoundError("No such event.", field="id")
            event, owner = found
            if event.state not in RETRYABLE:
                allowed = " or ".join(sorted(RETRYABLE))
                raise ConflictError(
                    f"The event is {event.state.value}; only a {allowed} event can be retried.",
                    field="id",
                )
            event.state = DeliveryState.PENDING
            event.attempts = 0
            event.next_attempt_at = utcnow()
            event.last_error = None
            await db.commit()
            return OutboxEventOut.of(event, owner)


async def _dealer_id(repo: OutboxRepository, slug: str | None) -> str | None:
    if slug is None:
        return None
    dealer = await repo.dealer_by_slug(slug)
    if dealer is None:
        raise NotFoundError(f"No dealer '{slug}'.", field="dealer")
    return dealer.id
