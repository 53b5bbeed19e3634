"""The vocabulary of the outbox: what happened, and whether the dealer has been told."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What the dealer's webhook is told about."""

    LEAD_CREATED = "lead.created"
    LEAD_UPDATED = "lead.updated"
    APPOINTMENT_BOOKED = "appointment.booked"
    APPOINTMENT_RESCHEDULED = "appointment.rescheduled"
    APPOINTMENT_CANCELLED = "appointment.cancelled"


class DeliveryState(StrEnum):
    """Where an event's delivery stands."""

    PENDING = "Pending"
    DELIVERED = "Delivered"
    DEAD = "Dead"  # gave up after the last try; shown to admins
    SKIPPED = "Skipped"  # the dealer has no webhook (URL and secret): kept, never sent


# States an admin may send again from the start (POST /api/chatbot/outbox/{id}/retry).
RETRYABLE = frozenset({DeliveryState.DEAD, DeliveryState.SKIPPED})
