"""What advisors send and receive on /api/chatbot/*."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from okla.chatbot.chat.domain import Handoff, MessageRole, SessionStatus
from okla.chatbot.inventory.schemas import VehicleCardOut
from okla.chatbot.schemas import CamelModel


class AgentReply(CamelModel):
    """An advisor's message to a customer (the author is the signed-in advisor)."""

    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AdvisorRef(CamelModel):
    """An advisor, as other advisors see them."""

    id: str
    name: str


class PendingTransfer(CamelModel):
    """A conversation a person answers: waiting for one, or claimed by one."""

    transfer_id: str | None
    session_id: str
    dealer: str  # the dealer's name
    dealer_slug: str
    reason: str | None
    handoff: Handoff
    claimed_by: AdvisorRef | None
    created_at: datetime  # when the customer asked for a person
    since: datetime  # when the conversation entered its handoff state (waiting or claimed)


class AdvisorMessage(CamelModel):
    """One message of a transcript, as an advisor sees it."""

    role: MessageRole
    content: str
    vehicles: list[VehicleCardOut]
    author: AdvisorRef | None  # the advisor who wrote it (role agent)
    created_at: datetime


class SessionLead(CamelModel):
    """The lead a conversation left (the contact the customer gave, for the advisor)."""

    id: str
    name: str
    phone: str
    email: str | None
    interest: str
    status: str


class SessionBooking(CamelModel):
    """A test drive booked in the conversation."""

    id: str
    status: str
    start: datetime
    vehicle: str | None


class AdvisorTranscript(CamelModel):
    """A session's transcript for an advisor, with its lead and bookings if any."""

    session_id: str
    status: SessionStatus
    handoff: Handoff
    claimed_by: AdvisorRef | None
    messages: list[AdvisorMessage]
    lead: SessionLead | None = None
    bookings: list[SessionBooking] = []


CannedText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class CannedReplies(CamelModel):
    """A dealer's canned replies: what its advisors send often, one click away."""

    dealer: str  # the dealer's slug
    replies: list[CannedText]


class CannedRepliesIn(CamelModel):
    """Replace a dealer's canned replies (managers; an operator names the dealer)."""

    dealer: str | None = None
    replies: Annotated[list[CannedText], Field(max_length=30)]


class HandoffOut(CamelModel):
    """Where a conversation's handoff stands after a claim, release, close or return."""

    session_id: str
    handoff: Handoff
    claimed_by: AdvisorRef | None


class AgentReplyOut(CamelModel):
    """The stored advisor message."""

    message_id: str
