"""Advisor routes (/api/chatbot/*): staff JWTs, each call limited to the caller's dealer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from okla.chatbot.advisors.schemas import (
    AdvisorTranscript,
    AgentReply,
    AgentReplyOut,
    CannedReplies,
    CannedRepliesIn,
    HandoffOut,
    PendingTransfer,
)
from okla.chatbot.auth import CallerDep
from okla.chatbot.dependencies import AdvisorServiceDep

router = APIRouter(prefix="/api/chatbot", tags=["advisors"])

SessionId = Annotated[str, Path(max_length=36)]


@router.get("/transfers", summary="The dealer's conversations waiting for or with an advisor")
async def transfers(caller: CallerDep, service: AdvisorServiceDep) -> list[PendingTransfer]:
    """List the conversations a person answers, longest waiting first."""
    return await service.queue(caller)


@router.get("/sessions/{session_id}", summary="A conversation's transcript, by id")
async def session(
    session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep
) -> AdvisorTranscript:
    """Return the transcript for an advisor of the session's dealer."""
    return await service.transcript(caller, session_id)


@router.post("/sessions/{session_id}/claim", summary="Take a waiting conversation")
async def claim(session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep) -> HandoffOut:
    """Claim it: only this advisor answers it from now on (409 if another has it)."""
    return await service.claim(caller, session_id)


@router.post("/sessions/{session_id}/release", summary="Put a claimed conversation back")
async def release(
    session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep
) -> HandoffOut:
    """Release it to the queue (the holder; a manager or operator may release anyone's)."""
    return await service.release(caller, session_id)


@router.post("/sessions/{session_id}/close", summary="Close the handoff")
async def close(session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep) -> HandoffOut:
    """Close it: no more advisor messages; the bot answers the customer again."""
    return await service.close(caller, session_id)


@router.post("/sessions/{session_id}/return", summary="Give the conversation back to the bot")
async def return_to_bot(
    session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep
) -> HandoffOut:
    """Return it to the bot; a new request for a person queues it again."""
    return await service.return_to_bot(caller, session_id)


@router.post("/sessions/{session_id}/reply", summary="Reply to a customer as an advisor")
async def reply(
    session_id: SessionId, body: AgentReply, caller: CallerDep, service: AdvisorServiceDep
) -> AgentReplyOut:
    """Store the message of the advisor holding the conversation; the widget shows it."""
    return await service.reply(caller, session_id, body)


@router.post(
    "/sessions/{session_id}/typing",
    status_code=204,
    summary="Tell the customer the advisor is writing",
)
async def typing(session_id: SessionId, caller: CallerDep, service: AdvisorServiceDep) -> None:
    """Send the customer a typing event (only the advisor holding the conversation)."""
    await service.typing(caller, session_id)


@router.get("/canned-replies", summary="The dealer's canned replies")
async def canned_replies(
    caller: CallerDep,
    service: AdvisorServiceDep,
    dealer: Annotated[str | None, Query(max_length=100)] = None,
) -> CannedReplies:
    """Return what the dealer's advisors send often (an operator names the dealer)."""
    return await service.canned(caller, dealer)


@router.put("/canned-replies", summary="Replace the dealer's canned replies")
async def set_canned_replies(
    body: CannedRepliesIn, caller: CallerDep, service: AdvisorServiceDep
) -> CannedReplies:
    """Replace the list (managers and operators; at most 30, each up to 500 characters)."""
    return await service.set_canned(caller, body)
