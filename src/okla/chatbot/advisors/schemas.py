"""What advisors send and receive on /api/chatbot/*."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

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


class AdvisorTranscript(CamelModel):
    """A session's transcript for an advisor."""

    session_id: str
    status: SessionStatus
    handoff: Handoff
    claimed_by: AdvisorRef | None
    messages: list[AdvisorMessage]


class HandoffOut(CamelModel):
    """Where a conversation's handoff stands after a claim, release, close or return."""

    session_id: str
    handoff: Handoff
    claimed_by: AdvisorRef | None


class AgentReplyOut(CamelModel):
    """The stored advisor message."""

    message_id: str
