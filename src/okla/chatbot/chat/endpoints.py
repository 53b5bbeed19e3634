"""HTTP routes of the chat API: thin, they hand over to the chat service."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sse_starlette import EventSourceResponse, ServerSentEvent

from okla.chatbot.chat.schemas import (
    EndResponse,
    ErrorResponse,
    MessageRequest,
    MessageResponse,
    SessionOut,
    SessionRequest,
    StartRequest,
    StartResponse,
    TransferRequest,
    TransferResponse,
)
from okla.chatbot.dependencies import MetricsDep, ServiceDep
from okla.chatbot.errors import ChatError, UnprocessableError
from okla.chatbot.inventory.repository import InventoryRepository

router = APIRouter(prefix="/api/chat", tags=["chat"])
ops_router = APIRouter(tags=["operations"])

_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorResponse} for code in codes}


def _idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not _KEY.match(value):
        raise UnprocessableError(
            "Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).",
            field="Idempotency-Key",
        )
    return value


@router.post(
    "/start",
    status_code=201,
    response_model=StartResponse,
    responses=_errors(404, 413, 415, 422, 429, 503),
    summary="Start a chat session with a dealer's assistant",
)
async def start(body: StartRequest, service: ServiceDep) -> StartResponse:
    """Open a session; the reply carries the token every later call needs."""
    return await service.start(body)


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
        **_errors(404, 409, 413, 415, 422, 429, 503),
    },
    summary="Send the customer's message and get the assistant's reply",
)
async def message(
    body: MessageRequest,
    request: Request,
    service: ServiceDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Replays with the same key return the first result; nothing is "
            "stored twice.",
        ),
    ] = None,
) -> Response:
    """Answer one message; stream it as SSE when the client accepts text/event-stream."""
    key = _idempotency_key(idempotency_key)
    if "text/event-stream" in request.headers.get("accept", ""):
        events = service.message_events(body, key)
        # Errors before the first event (unknown session, 409, 429...) get a plain status.
        try:
            first = await anext(events)
        except StopAsyncIteration:  # pragma: no cover - the service always yields
            first = ("error", {"error": {"code": "empty", "message": "No reply."}})
        return EventSourceResponse(
            _sse(first, events), sep="\n", headers={"Cache-Control": "no-cache"}
        )
    response = await service.message(body, key)
    return JSONResponse(response.model_dump(mode="json", by_alias=True))


async def _sse(
    first: tuple[str, dict[str, Any]], rest: AsyncIterator[tuple[str, dict[str, Any]]]
) -> AsyncIterator[ServerSentEvent]:
    yield ServerSentEvent(event=first[0], data=json.dumps(first[1], ensure_ascii=False))
    try:
        async for name, data in rest:
            yield ServerSentEvent(event=name, data=json.dumps(data, ensure_ascii=False))
    except ChatError as exc:
        yield ServerSentEvent(event="error", data=json.dumps(exc.body(), ensure_ascii=False))


@router.post(
    "/end",
    response_model=EndResponse,
    responses=_errors(404, 413, 415, 422, 503),
    summary="End a chat session",
)
async def end(body: SessionRequest, service: ServiceDep) -> EndResponse:
    """End the session."""
    return await service.end(body.session_token)


@router.post(
    "/transfer",
    response_model=TransferResponse,
    responses=_errors(404, 409, 413, 415, 422, 503),
    summary="Hand the session to a human salesperson",
)
async def transfer(body: TransferRequest, service: ServiceDep) -> TransferResponse:
    """Ask for a salesperson; the bot stops answering this session."""
    return await service.transfer(body)


@router.get(
    "/session/{token}",
    response_model=SessionOut,
    responses=_errors(404, 503),
    summary="A session's state and transcript",
)
async def session(
    token: Annotated[str, Path(min_length=1, max_length=200)], service: ServiceDep
) -> SessionOut:
    """Return the session's status, dealer, timestamps and transcript."""
    return await service.session(token)


@router.get("/dealers", summary="Dealers a session can be started with")
async def dealers(service: ServiceDep) -> list[dict[str, str]]:
    """List the dealers (for the test page's dealer picker)."""
    async with service.sessions() as db:
        rows = await InventoryRepository(db).dealers()
        return [
            {"id": d.id, "slug": d.slug, "name": d.name, "assistantName": d.assistant_name}
            for d in rows
        ]


@router.get("/health", summary="Database, cache, LLM and circuit-breaker state")
async def health(service: ServiceDep) -> JSONResponse:
    """Report each dependency; 503 when the database (without which nothing works) is down."""
    database: dict[str, Any] = {"backend": service.settings.database_url.split(":", 1)[0]}
    try:
        async with service.sessions() as db:
            await db.execute(text("SELECT 1"))
        database["status"] = "up"
    except Exception as exc:  # any failure means "down" here, and must not become a 500
        database.update(status="down", error=type(exc).__name__)
    cache_up = await service.coordinator.ping()
    llm = await service.llm.probe()
    llm.update(baseUrl=service.settings.llm_base_url, model=service.settings.llm_model)
    body = {
        "status": "ok"
        if database["status"] == "up" and cache_up and llm["status"] == "up"
        else "degraded"
        if database["status"] == "up"
        else "down",
        "database": database,
        "cache": {"status": "up" if cache_up else "down", "backend": service.coordinator.state},
        "llm": llm,
        "circuitBreaker": service.breaker_state(),
    }
    return JSONResponse(body, status_code=200 if database["status"] == "up" else 503)


@ops_router.get("/metrics", response_class=Response, summary="Prometheus metrics")
async def metrics(registry: MetricsDep) -> Response:
    """Expose the service's metrics in Prometheus text format."""
    return Response(generate_latest(registry.registry), media_type=CONTENT_TYPE_LATEST)
