"""Step 6 of a turn: the server-sent events a streaming client receives, in order.

ack (the message is stored), delta (safe text, as it comes), notice (e.g. the model failed),
vehicles (the cards), appointment (the test drive the reply booked, moved or cancelled, if
any), done (the stored MessageResponse) — or error, after which nothing follows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sse_starlette import ServerSentEvent

from okla.chatbot.chat.schemas import MessageResponse, dump_cards
from okla.chatbot.reply.draft import Delta, Notice


class EventName(StrEnum):
    """The names of the events of one reply."""

    ACK = "ack"
    DELTA = "delta"
    NOTICE = "notice"
    VEHICLES = "vehicles"
    APPOINTMENT = "appointment"
    DONE = "done"
    ERROR = "error"


@dataclass(frozen=True)
class ChatEvent:
    """One event of a streamed reply."""

    name: EventName
    data: Mapping[str, object]

    def sse(self) -> ServerSentEvent:
        """Frame the event for the wire."""
        return ServerSentEvent(
            event=self.name.value, data=json.dumps(self.data, ensure_ascii=False)
        )


def ack(message_id: str) -> ChatEvent:
    """Say that the customer's message is stored."""
    return ChatEvent(EventName.ACK, {"messageId": message_id})


def progress(event: Delta | Notice) -> ChatEvent:
    """Pass on text that became safe to show, or a notice about the reply."""
    if isinstance(event, Delta):
        return ChatEvent(EventName.DELTA, {"text": event.text})
    return ChatEvent(EventName.NOTICE, {"code": event.code.value, "message": event.message})


def finished(response: MessageResponse) -> Iterator[ChatEvent]:
    """Send the reply's cards (and its appointment's), then the stored response."""
    reply = response.reply
    if reply is not None:
        yield ChatEvent(EventName.VEHICLES, {"vehicles": dump_cards(reply.vehicles)})
        if reply.appointment is not None:
            card = reply.appointment.model_dump(mode="json", by_alias=True)
            yield ChatEvent(EventName.APPOINTMENT, {"appointment": card})
    yield ChatEvent(EventName.DONE, response.model_dump(mode="json", by_alias=True))


def replayed(response: MessageResponse) -> Iterator[ChatEvent]:
    """Send a stored response again, as the events that first delivered it."""
    yield ack(response.message_id)
    if response.reply is not None:
        yield ChatEvent(EventName.DELTA, {"text": response.reply.content})
    yield from finished(response)


def failed(body: Mapping[str, object]) -> ChatEvent:
    """Say the reply could not be completed (the body is the API's error envelope)."""
    return ChatEvent(EventName.ERROR, body)
