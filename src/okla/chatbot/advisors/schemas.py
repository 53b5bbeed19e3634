"""What advisors send and receive on /api/chatbot/*."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from okla.chatbot.chat.domain import MessageRole, SessionStatus
from okla.chatbot.schemas import CamelModel


class AgentReply(CamelModel):
    """An advisor's message to a customer."""

    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    agent_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = "Asesor"


class PendingTransfer(CamelModel):
    """A session waiting for a salesperson."""

    transfer_id: str
    session_id: str
    dealer: str
    reason: str | None
    status: SessionStatus
    created_at: datetime


class AdvisorMessage(CamelModel):
    """One message of a transcript, as an advisor sees it."""

    role: MessageRole
    content: str
    created_at: datetime


class AdvisorTranscript(CamelModel):
    """A session's transcript for an advisor."""

    session_id: str
    status: SessionStatus
    messages: list[AdvisorMessage]


class AgentReplyOut(CamelModel):
    """The stored advisor message."""

    message_id: str
