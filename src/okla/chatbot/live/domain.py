"""The live events' vocabulary: their kinds, their payloads and the streams they travel on.

An advisor's console follows its dealer's stream, an operator's the stream of every dealer,
a customer's widget its session's. Ids are monotonic per stream, so a reconnecting client
resumes with `Last-Event-ID`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from okla.chatbot.advisors.schemas import AdvisorRef
from okla.chatbot.chat.domain import Handoff, MessageRole
from okla.chatbot.inventory.schemas import VehicleCardOut
from okla.chatbot.schemas import CamelModel

# The stream of every dealer's events, for operators (an admin without a dealer).
EVERY_DEALER = "dealers"


def dealer_stream(dealer_id: str) -> str:
    """Name the stream of one dealer's events (its advisors')."""
    return f"dealer:{dealer_id}"


def session_stream(session_id: str) -> str:
    """Name the stream of one customer's session."""
    return f"session:{session_id}"


class EventKind(StrEnum):
    """What happened; the SSE `event:` field."""

    WAITING = "waiting"  # advisors: a conversation entered the queue
    CLAIMED = "claimed"  # advisors: an advisor took it
    RELEASED = "released"  # advisors: put back in the queue
    CLOSED = "closed"  # both: the handoff is closed, the bot answers again
    RETURNED = "returned"  # both: back to the bot (an advisor, or nobody came)
    MESSAGE = "message"  # both: a message in a handed-over conversation
    JOINED = "joined"  # customers: an advisor joined
    TYPING = "typing"  # customers: the advisor is writing
    LEAD = "lead"  # advisors: a lead was captured or updated
    BOOKING = "booking"  # advisors: a test drive booked, moved or cancelled
    # Both: the events since the client's Last-Event-ID are no longer kept (or the stream
    # started again): reload the state, then go on from this event.
    RESYNC = "resync"


class ReturnReason(StrEnum):
    """Why a conversation went back to the bot."""

    ADVISOR = "advisor"  # an advisor gave it back
    NOBODY_ANSWERED = "nobodyAnswered"  # nobody claimed it in HANDOFF_WAIT_SECONDS
    DEALER_CLOSED = "dealerClosed"  # the dealer is closed: nobody will claim it now


class HandoffEvent(CamelModel):
    """Where a conversation's handoff stands now (waiting, claimed, released, closed, returned)."""

    session_id: str
    handoff: Handoff
    advisor: AdvisorRef | None = None  # who claimed, released, closed or returned it
    reason: ReturnReason | None = None  # for a return
    at: datetime


class MessageEvent(CamelModel):
    """A message of a handed-over conversation (the customer's, an advisor's, the bot's)."""

    session_id: str
    message_id: str
    role: MessageRole
    content: str
    vehicles: list[VehicleCardOut] = []
    author: AdvisorRef | None = None
    created_at: datetime


class TypingEvent(CamelModel):
    """The advisor holding the conversation is writing."""

    session_id: str
    advisor: AdvisorRef


class LeadEvent(CamelModel):
    """A lead captured or updated (what the console lists; the contact stays in the lead)."""

    lead_id: str
    session_id: str | None
    interest: str
    status: str
    created: bool


class BookingEvent(CamelModel):
    """A test drive booked, moved or cancelled."""

    appointment_id: str
    session_id: str | None
    status: str
    start: datetime
    vehicle: str | None  # "Ford Bronco Sport 2024"


class ResyncEvent(CamelModel):
    """The replay can't cover the gap: the client reloads its state."""

    reason: str


Payload = HandoffEvent | MessageEvent | TypingEvent | LeadEvent | BookingEvent | ResyncEvent


@dataclass(frozen=True)
class Envelope:
    """One event as a stream holds it: its id in the stream, its kind, its JSON payload."""

    id: int
    kind: EventKind
    data: str  # the payload's JSON (camelCase)


def encode(payload: Payload) -> str:
    """Return a payload's JSON as clients receive it."""
    return payload.model_dump_json(by_alias=True)
