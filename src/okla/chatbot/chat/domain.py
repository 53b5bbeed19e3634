"""The chat's vocabulary: where a conversation stands and who wrote each message."""

from __future__ import annotations

from enum import StrEnum


class SessionType(StrEnum):
    """Where the conversation happens."""

    WEB_CHAT = "WebChat"
    WHATSAPP = "WhatsApp"
    API = "Api"


class SessionStatus(StrEnum):
    """Where the conversation stands, as customers see it.

    Only Active and Ended are stored; who answers is the session's Handoff, and
    PendingTransfer is how the customer API (the original's vocabulary) shows a person
    coming or there (`shown_status`).
    """

    ACTIVE = "Active"
    PENDING_TRANSFER = "PendingTransfer"
    ENDED = "Ended"


class Handoff(StrEnum):
    """Who answers the customer: the bot, or a person of the dealer.

    Bot -> WaitingForAgent -> WithAgent (the session's `claimed_by`) -> Closed, or back to
    Bot from waiting or with an agent. A closed handoff leaves the customer with the bot; a
    new request for a person starts another.
    """

    BOT = "Bot"
    WAITING = "WaitingForAgent"
    WITH_AGENT = "WithAgent"
    CLOSED = "Closed"

    @property
    def person_answers(self) -> bool:
        """Tell whether the bot keeps quiet: a person is coming or is there."""
        return self in (Handoff.WAITING, Handoff.WITH_AGENT)


def shown_status(status: SessionStatus, handoff: Handoff) -> SessionStatus:
    """Return the status a customer sees: PendingTransfer while a person answers."""
    if status == SessionStatus.ACTIVE and handoff.person_answers:
        return SessionStatus.PENDING_TRANSFER
    return status


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


class IdempotencyState(StrEnum):
    """Whether the first request with an Idempotency-Key has its response stored."""

    PENDING = "pending"
    DONE = "done"
