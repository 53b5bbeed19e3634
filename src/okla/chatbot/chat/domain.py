"""The chat's vocabulary: where a conversation stands and who wrote each message."""

from __future__ import annotations

from enum import StrEnum


class SessionType(StrEnum):
    """Where the conversation happens."""

    WEB_CHAT = "WebChat"
    WHATSAPP = "WhatsApp"
    API = "Api"


class SessionStatus(StrEnum):
    """Where the conversation stands."""

    ACTIVE = "Active"
    PENDING_TRANSFER = "PendingTransfer"
    ENDED = "Ended"


class MessageSource(StrEnum):
    """Who wrote a reply's text."""

    MODEL = "model"  # the LLM's text, after it passed every check
    FALLBACK = "fallback"  # a templated answer built from the inventory
    HUMAN = "human"  # a salesperson


class MessageRole(StrEnum):
    """The author of a transcript message."""

    USER = "user"
    ASSISTANT = "assistant"
    AGENT = "agent"
    SYSTEM = "system"


class TransferStatus(StrEnum):
    """Whether a salesperson has taken a handed-over session."""

    PENDING = "Pending"
    ACCEPTED = "Accepted"


class IdempotencyState(StrEnum):
    """Whether the first request with an Idempotency-Key has its response stored."""

    PENDING = "pending"
    DONE = "done"
