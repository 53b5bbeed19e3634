"""Advisor routes (/api/chatbot/*): the gateway lets only admin JWTs through."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from okla.chatbot.advisors.schemas import (
    AdvisorTranscript,
    AgentReply,
    AgentReplyOut,
    PendingTransfer,
)
from okla.chatbot.dependencies import AdvisorServiceDep

router = APIRouter(prefix="/api/chatbot", tags=["admin"])

SessionId = Annotated[str, Path(max_length=36)]


@router.get("/transfers", summary="Sessions waiting for a salesperson")
async def transfers(service: AdvisorServiceDep) -> list[PendingTransfer]:
    """List pending transfers, newest first."""
    return await service.pending()


@router.get("/sessions/{session_id}", summary="A session's transcript, by id")
async def session(session_id: SessionId, service: AdvisorServiceDep) -> AdvisorTranscript:
    """Return the transcript for an advisor."""
    return await service.transcript(session_id)


@router.post("/sessions/{session_id}/reply", summary="Reply to a customer as an advisor")
async def reply(
    session_id: SessionId, body: AgentReply, service: AdvisorServiceDep
) -> AgentReplyOut:
    """Store an advisor's message; the customer's widget shows it."""
    return await service.reply(session_id, body)
