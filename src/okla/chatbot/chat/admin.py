"""Admin and agent routes (/api/chatbot/*): the gateway lets only admin JWTs through."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import StringConstraints
from sqlalchemy import select

from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import CamelModel, MessageRole, MessageSource
from okla.chatbot.dependencies import ServiceDep
from okla.chatbot.errors import NotFoundError
from okla.chatbot.models import ChatSession, Dealer, Transfer, utcnow

admin_router = APIRouter(prefix="/api/chatbot", tags=["admin"])


class AgentReply(CamelModel):
    """An advisor's message to a customer."""

    message: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    agent_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = "Asesor"


@admin_router.get("/transfers", summary="Sessions waiting for a salesperson")
async def transfers(service: ServiceDep) -> list[dict[str, Any]]:
    """List pending transfers, newest first."""
    async with service.sessions() as db:
        rows = (
            await db.execute(
                select(Transfer, ChatSession, Dealer)
                .join(ChatSession, Transfer.session_id == ChatSession.id)
                .join(Dealer, ChatSession.dealer_id == Dealer.id)
                .where(Transfer.status == "Pending")
                .order_by(Transfer.created_at.desc())
                .limit(100)
            )
        ).all()
        return [
            {
                "transferId": t.id,
                "sessionId": s.id,
                "dealer": d.name,
                "reason": t.reason,
                "status": s.status,
                "createdAt": t.created_at.isoformat(),
            }
            for t, s, d in rows
        ]


@admin_router.get("/sessions/{session_id}", summary="A session's transcript, by id")
async def session(
    session_id: Annotated[str, Path(max_length=36)], service: ServiceDep
) -> dict[str, Any]:
    """Return the transcript for an advisor."""
    async with service.sessions() as db:
        chat = await db.get(ChatSession, session_id)
        if chat is None:
            raise NotFoundError("No such session.", field="sessionId")
        messages = await ChatRepository(db).messages(chat.id)
        return {
            "sessionId": chat.id,
            "status": chat.status,
            "messages": [
                {"role": m.role, "content": m.content, "createdAt": m.created_at.isoformat()}
                for m in messages
            ],
        }


@admin_router.post("/sessions/{session_id}/reply", summary="Reply to a customer as an advisor")
async def reply(
    session_id: Annotated[str, Path(max_length=36)], body: AgentReply, service: ServiceDep
) -> dict[str, str]:
    """Store an advisor's message; the customer's widget shows it."""
    async with service.sessions() as db:
        chat = await db.get(ChatSession, session_id)
        if chat is None:
            raise NotFoundError("No such session.", field="sessionId")
        message = await ChatRepository(db).add_message(
            chat.id,
            MessageRole.AGENT.value,
            body.message,
            source=MessageSource.HUMAN.value,
            details={"agent": body.agent_name},
        )
        chat.last_activity_at = utcnow()
        for transfer in (
            await db.scalars(select(Transfer).where(Transfer.session_id == chat.id))
        ).all():
            if transfer.status == "Pending":
                transfer.status = "Accepted"
        await db.commit()
        return {"messageId": message.id}
