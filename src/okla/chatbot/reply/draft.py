"""What composing a reply yields: text as it becomes safe to show, notices, the finished draft."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from okla.chatbot.bookings.schemas import AppointmentOut
from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.trace import Trace


@dataclass(frozen=True)
class Delta:
    """Text of the reply, as it becomes safe to show."""

    text: str


class NoticeCode(StrEnum):
    """What went wrong with this reply that the customer should know."""

    LLM_ERROR = "llm_error"
    LLM_TIMEOUT = "llm_timeout"


@dataclass(frozen=True)
class Notice:
    """Something the customer should know about this reply (e.g. the model failed)."""

    code: NoticeCode
    message: str


@dataclass(frozen=True)
class Draft:
    """The finished reply, before it is stored."""

    text: str
    cards: tuple[VehicleCard, ...]
    source: MessageSource
    trace: Trace
    incomplete: bool = False  # a model reply cut short, completed from the stock
    appointment: AppointmentOut | None = None  # the test drive it booked, moved or cancelled


@dataclass(frozen=True)
class Silence:
    """No reply: a salesperson has the conversation."""


ReplyEvent = Delta | Notice | Draft


def typed(
    text: str,
    cards: Sequence[VehicleCard],
    trace: Trace,
    appointment: AppointmentOut | None = None,
) -> Iterator[Delta | Draft]:
    """Yield a ready text in small deltas, as if typed, then its draft (a template's answer)."""
    for piece in pieces(text):
        yield Delta(piece)
    yield Draft(text, tuple(cards), MessageSource.FALLBACK, trace, appointment=appointment)


def pieces(text: str, size: int = 24) -> list[str]:
    """Split a ready text into small deltas, at spaces, so it streams like typing."""
    found: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start, end)
            if space > start:
                end = space + 1
        found.append(text[start:end])
        start = end
    return found


def join(*parts: str) -> str:
    """Join the non-empty parts of a reply as paragraphs."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())
