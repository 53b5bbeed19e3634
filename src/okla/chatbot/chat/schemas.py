"""Request and response models of the chat API: camelCase JSON, enums as strings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from okla.chatbot.bookings.schemas import AppointmentOut
from okla.chatbot.chat.domain import (
    Handoff,
    MessageRole,
    MessageSource,
    SessionStatus,
    SessionType,
)
from okla.chatbot.inventory.schemas import DealerOut, VehicleCardOut
from okla.chatbot.models import ChatMessage
from okla.chatbot.schemas import CamelModel, TokenText, storable, storable_json

MAX_MESSAGE_CHARS = 2000


class StartRequest(CamelModel):
    """Body of POST /api/chat/start."""

    dealer_id: (
        Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(storable)]
        | None
    ) = Field(
        default=None, description="Dealer id or slug; the configured default dealer if absent."
    )
    session_type: SessionType = SessionType.WEB_CHAT
    metadata: dict[str, Any] | None = Field(default=None, description="Free-form, up to 4 KB.")

    @field_validator("metadata")
    @classmethod
    def _small_metadata(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        storable_json(value)
        if len(json.dumps(value)) > 4096:
            raise ValueError("metadata must be at most 4 KB of JSON")
        return value


class StartResponse(CamelModel):
    """Response of POST /api/chat/start."""

    session_token: str
    session_id: str
    status: SessionStatus
    dealer: DealerOut
    greeting: str
    expires_at: datetime


MessageText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS),
    AfterValidator(storable),
]


class MessageRequest(CamelModel):
    """Body of POST /api/chat/message."""

    session_token: TokenText
    message: MessageText


class SessionRequest(CamelModel):
    """Body of POST /api/chat/end."""

    session_token: TokenText


class TransferRequest(CamelModel):
    """Body of POST /api/chat/transfer."""

    session_token: TokenText
    reason: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(storable)
        ]
        | None
    ) = None


def dump_cards(cards: Sequence[VehicleCardOut]) -> list[dict[str, Any]]:
    """Return cards as the JSON the API sends and the transcript stores."""
    return [c.model_dump(mode="json", by_alias=True) for c in cards]


class ReplyOut(CamelModel):
    """The assistant's reply to one message."""

    id: str
    content: str
    vehicles: list[VehicleCardOut]
    source: MessageSource
    appointment: AppointmentOut | None = Field(
        default=None, description="The test drive this reply booked, moved or cancelled."
    )


class MessageResponse(CamelModel):
    """Response of POST /api/chat/message."""

    message_id: str
    session_status: SessionStatus
    reply: ReplyOut | None = Field(
        description="None while the session waits for a human salesperson."
    )


class EndResponse(CamelModel):
    """Response of POST /api/chat/end."""

    session_id: str
    status: SessionStatus
    ended_at: datetime


class TransferResponse(CamelModel):
    """Response of POST /api/chat/transfer."""

    session_id: str
    status: SessionStatus
    transfer_id: str
    message: str


class TranscriptMessage(CamelModel):
    """One message of a session's transcript."""

    id: str
    role: MessageRole
    content: str
    source: MessageSource | None
    vehicles: list[VehicleCardOut]
    appointment: AppointmentOut | None = None
    incomplete: bool
    created_at: datetime

    @classmethod
    def of(cls, message: ChatMessage) -> TranscriptMessage:
        """Describe a stored message."""
        stored = message.appointment
        return cls(
            id=message.id,
            role=message.role,
            content=message.content,
            source=message.source,
            vehicles=[VehicleCardOut.model_validate(v) for v in message.vehicles],
            appointment=None if stored is None else AppointmentOut.model_validate(stored),
            incomplete=message.incomplete,
            created_at=message.created_at,
        )


class SessionOut(CamelModel):
    """Response of GET /api/chat/session/{token}."""

    session_id: str
    status: SessionStatus
    handoff: Handoff  # who answers: the bot, or a person of the dealer (coming or there)
    session_type: SessionType
    dealer: DealerOut
    created_at: datetime
    last_activity_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    messages: list[TranscriptMessage]
