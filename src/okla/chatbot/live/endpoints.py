"""The live event streams (SSE): advisors' on /api/chatbot/events, customers' per session."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path
from sse_starlette import EventSourceResponse

from okla.chatbot.auth import CallerDep
from okla.chatbot.dependencies import ClientDep, LiveFeedsDep
from okla.chatbot.errors import UnprocessableError
from okla.common.errors import ErrorResponse

router = APIRouter(tags=["live"])

_EVENT_ID = re.compile(r"^[0-9]{1,18}$")
_STREAM: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "Server-sent events, each with its id; a comment every "
        "LIVE_HEARTBEAT_SECONDS of quiet.",
    }
}
LastEventId = Annotated[
    str | None,
    Header(
        alias="Last-Event-ID",
        description="The id of the last event received: the stream resumes after it.",
    ),
]


def _after(value: str | None) -> int | None:
    """Read Last-Event-ID: a whole number of at most 18 digits (the stream's ids)."""
    if value is None or value == "":
        return None
    if not _EVENT_ID.match(value.strip()):
        raise UnprocessableError(
            "Last-Event-ID must be the id of an event of this stream (a whole number).",
            field="Last-Event-ID",
        )
    return int(value)


@router.get(
    "/api/chatbot/events",
    responses={**_STREAM, **{c: {"model": ErrorResponse} for c in (401, 403, 404, 422)}},
    summary="The advisors' live events of the caller's dealer",
)
async def advisor_events(
    caller: CallerDep, feeds: LiveFeedsDep, last_event_id: LastEventId = None
) -> EventSourceResponse:
    """Follow the dealer's handoffs, customers' messages, leads and bookings as they happen."""
    after = _after(last_event_id)
    stream = await feeds.advisor_stream(caller)
    return EventSourceResponse(
        feeds.advisors(caller, stream, after),
        ping=int(feeds.heartbeat) or 1,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get(
    "/api/chat/session/{token}/events",
    responses={**_STREAM, **{c: {"model": ErrorResponse} for c in (404, 422, 429)}},
    summary="A customer's live events: an advisor joins, writes, leaves",
)
async def customer_events(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    feeds: LiveFeedsDep,
    client: ClientDep,
    last_event_id: LastEventId = None,
) -> EventSourceResponse:
    """Follow the session's events while it is open."""
    after = _after(last_event_id)
    session_id = await feeds.customer_session(token, client)
    return EventSourceResponse(
        feeds.customer(session_id, after),
        ping=int(feeds.heartbeat) or 1,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
