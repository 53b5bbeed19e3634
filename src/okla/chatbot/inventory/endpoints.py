"""Routes about dealers and their stock."""

from __future__ import annotations

from fastapi import APIRouter

from okla.chatbot.chat.schemas import DealerOut
from okla.chatbot.dependencies import SessionsDep
from okla.chatbot.inventory.loader import list_dealers

router = APIRouter(prefix="/api/chat", tags=["chat"])


@router.get("/dealers", summary="Dealers a session can be started with")
async def dealers(sessions: SessionsDep) -> list[DealerOut]:
    """List the dealers (for the test page's dealer picker)."""
    return [DealerOut.of(d) for d in await list_dealers(sessions)]
