"""The customer-facing chat routes: they validate the request and hand over to the services."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from okla.chatbot.chat import events
from okla.chatbot.chat.events import ChatEvent
from okla.chatbot.chat.schemas import (
    EndResponse,
    MessageRequest,
    MessageResponse,
    SessionOut,
    SessionRequest,
    StartRequest,
    StartResponse,
    TransferRequest,
    TransferResponse,
)
from okla.chatbot.dependencies import ChatServiceDep, ClientDep, SessionServiceDep
from okla.chatbot.errors import ChatError, UnprocessableError
from okla.common.deadline import parse_timeout
from okla.common.errors import ErrorResponse

router = APIRouter(prefix="/api/chat", tags=["chat"])

_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Describe the error responses of a route for the OpenAPI document."""
    return {code: {"model": ErrorResponse} for code in codes}


def _idempotency_key(value: str | None) -> str | None:
    if value is not None and not _KEY.match(value):
        raise UnprocessableError(
            "Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).",
            field="Idempotency-Key",
        )
    return value


def _timeout(value: str | None) -> float | None:
    seconds = parse_timeout(value)
    if value is not None and seconds is None:
        raise UnprocessableError(
            "X-Request-Timeout must be a number of seconds greater than 0.",
            field="X-Request-Timeout",
        )
    return seconds


@router.post(
    "/start",
    status_code=201,
    response_model=StartResponse,
    responses=errors(404, 413, 415, 422, 429, 503),
    summary="Start a chat session with a dealer's assistant",
)
async def start(body: StartRequest, service: SessionServiceDep, client: ClientDep) -> StartResponse:
    """Open a session; the reply carries the token every later call needs."""
    return await service.start(body, client)


@router.post(
    "/message",
    response_model=MessageResponse,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "description": "With 'Accept: text/event-stream': events ack, delta "
                    "(text), vehicles (cards), done (the stored MessageResponse), or error."
                }
            },
            "description": "The stored reply.",
        },
        **errors(404, 409, 413, 415, 422, 429, 503),
    },
    summary="Send the customer's message and get the assistant's reply",
)
async def message(
    body: MessageRequest,
    request: Request,
    service: ChatServiceDep,
    client: ClientDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Replays with the same key return the first result; nothing is "
            "stored twice.",
        ),
    ] = None,
    request_timeout: Annotated[
        str | None,
        Header(
            alias="X-Request-Timeout",
            description="Seconds the caller waits for the reply (the gateway sends its "
            "route's timeout); the reply, from the stock if the model is too slow, comes first.",
        ),
    ] = None,
) -> Response:
    """Answer one message; stream it as SSE when the client accepts text/event-stream."""
    key = _idempotency_key(idempotency_key)
    timeout = _timeout(request_timeout)
    if "text/event-stream" in request.headers.get("accept", ""):
        stream = service.message_events(body, key, client, timeout)
        # Refusals (unknown session, 409, 429...) come before the first event: plain statuses.
        first = await anext(stream)
        return EventSourceResponse(
            _sse(first, stream), sep="\n", headers={"Cache-Control": "no-cache"}
        )
    response = await service.message(body, key, client, timeout)
    return JSONResponse(response.model_dump(mode="json", by_alias=True))


async def _sse(first: ChatEvent, rest: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEvent]:
    yield first.sse()
    try:
        async for event in rest:
            yield event.sse()
    except ChatError as exc:
        yield events.failed(exc.body()).sse()


@router.post(
    "/end",
    response_model=EndResponse,
    responses=errors(404, 413, 415, 422, 503),
    summary="End a chat session",
)
async def end(body: SessionRequest, service: SessionServiceDep, client: ClientDep) -> EndResponse:
    """End the session."""
    return await service.end(body.session_token, client)


@router.post(
    "/transfer",
    response_model=TransferResponse,
    responses=errors(404, 409, 413, 415, 422, 503),
    summary="Hand the session to a human salesperson",
)
async def transfer(
    body: TransferRequest, service: SessionServiceDep, client: ClientDep
) -> TransferResponse:
    """Ask for a salesperson; the bot stops answering this session."""
    return await service.transfer(body, client)


@router.get(
    "/session/{token}",
    response_model=SessionOut,
    responses=errors(404, 503),
    summary="A session's state and transcript",
)
async def session(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    service: SessionServiceDep,
    client: ClientDep,
) -> SessionOut:
    """Return the session's status, dealer, timestamps and transcript."""
    return await service.transcript(token, client)
