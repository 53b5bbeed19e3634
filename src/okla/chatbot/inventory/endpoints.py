"""Routes about dealers and their stock."""

from __future__ import annotations

from fastapi import APIRouter

from okla.chatbot.dependencies import SessionsDep
from okla.chatbot.inventory.schemas import DealerOut
from okla.chatbot.inventory.service import list_dealers

router = APIRouter(prefix="/api/chat", tags=["chat"])


@router.get("/dealers", summary="Dealers a session can be started with")
async def dealers(sessions: SessionsDep) -> list[DealerOut]:
    """List the dealers (for the test page's dealer picker)."""
    return await list_dealers(sessions)
