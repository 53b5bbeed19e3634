"""Write events to the outbox in the caller's transaction; deliver them later (outbox/)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.models import OutboxEvent
from okla.chatbot.outbox.domain import EventKind


class OutboxRepository:
    """The outbox table within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, dealer_id: str, kind: EventKind, payload: dict[str, Any]) -> OutboxEvent:
        """Queue an event; it is stored, or not, with the rest of the caller's transaction."""
        event = OutboxEvent(dealer_id=dealer_id, kind=kind, payload=payload)
        self.session.add(event)
        return event
