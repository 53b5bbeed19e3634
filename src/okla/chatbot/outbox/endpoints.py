"""The staff's outbox routes (/api/chatbot/outbox*): a dealer's webhook deliveries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from okla.chatbot.auth import CallerDep, Role
from okla.chatbot.dependencies import OutboxServiceDep
from okla.chatbot.outbox.domain import DeliveryState
from okla.chatbot.outbox.schemas import OutboxEventOut

router = APIRouter(prefix="/api/chatbot", tags=["outbox"])

EventId = Annotated[str, Path(max_length=36)]


@router.get("/outbox", summary="Webhook events, newest first")
async def events(
    caller: CallerDep,
    service: OutboxServiceDep,
    dealer: Annotated[str | None, Query(max_length=100)] = None,
    state: Annotated[DeliveryState | None, Query(description="e.g. Dead")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[OutboxEventOut]:
    """List the caller's dealer's webhook events (managers and admins)."""
    caller.require(Role.MANAGER, Role.ADMIN)
    return await service.listing(caller.scope(dealer), state, limit)


@router.post("/outbox/{event_id}/retry", summary="Send a Dead or Skipped event again")
async def retry(event_id: EventId, caller: CallerDep, service: OutboxServiceDep) -> OutboxEventOut:
    """Put the event back in the queue with a fresh count of tries."""
    caller.require(Role.MANAGER, Role.ADMIN)
    return await service.retry(caller.scope(None), event_id)
