"""What the staff's outbox routes send."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from okla.chatbot.models import Dealer, OutboxEvent
from okla.chatbot.outbox.domain import DeliveryState, EventKind
from okla.chatbot.schemas import CamelModel


class OutboxEventOut(CamelModel):
    """An event for a dealer's webhook and how its delivery stands."""

    id: str
    type: EventKind
    dealer: str
    state: DeliveryState
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    data: dict[str, Any]

    @classmethod
    def of(cls, event: OutboxEvent, dealer: Dealer) -> Self:
        """Return the API form of a stored event."""
        return cls(
            id=event.id,
            type=event.kind,
            dealer=dealer.slug,
            state=event.state,
            attempts=event.attempts,
            next_attempt_at=event.next_attempt_at,
            last_error=event.last_error,
            created_at=event.created_at,
            delivered_at=event.delivered_at,
            data=event.payload,
        )
