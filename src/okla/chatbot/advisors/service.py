"""Advisors take over handed-over sessions and write to the customer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.schemas import (
    AdvisorMessage,
    AdvisorTranscript,
    AgentReply,
    AgentReplyOut,
    PendingTransfer,
)
from okla.chatbot.chat.domain import MessageRole, MessageSource, TransferStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.errors import NotFoundError
from okla.chatbot.models import ChatSession, utcnow

# The newest pending transfers shown at once.
PENDING_LIMIT = 100


@dataclass(frozen=True)
class AdvisorService:
    """What the advisors' console does."""

    sessions: async_sessionmaker[AsyncSession]

    async def pending(self) -> list[PendingTransfer]:
        """List pending transfers, newest first."""
        async with self.sessions() as db:
            rows = await ChatRepository(db).pending_transfers(PENDING_LIMIT)
            return [
                PendingTransfer(
                    transfer_id=t.id,
                    session_id=s.id,
                    dealer=d.name,
                    reason=t.reason,
                    status=s.status,
                    created_at=t.created_at,
                )
                for t, s, d in rows
            ]

    async def transcript(self, session_id: str) -> AdvisorTranscript:
        """Return a session's transcript."""
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await _session(repo, session_id)
            messages = await repo.messages(chat.id)
            return AdvisorTranscript(
                session_id=chat.id,
                status=chat.status,
                messages=[
                    AdvisorMessage(role=m.role, content=m.content, created_at=m.created_at)
                    for m in messages
                ],
            )

    async def reply(self, session_id: str, body: AgentReply) -> AgentReplyOut:
        """Store an advisor's message for the customer; the session's transfers are taken."""
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await _session(repo, session_id)
            message = await repo.add_message(
                chat.id,
                MessageRole.AGENT,
                body.message,
                source=MessageSource.HUMAN,
                details={"agent": body.agent_name},
            )
            chat.last_activity_at = utcnow()
            for transfer in await repo.transfers_of(chat.id):
                if transfer.status == TransferStatus.PENDING:
                    transfer.status = TransferStatus.ACCEPTED
            await db.commit()
            return AgentReplyOut(message_id=message.id)


async def _session(repo: ChatRepository, session_id: str) -> ChatSession:
    chat = await repo.get(session_id)
    if chat is None:
        raise NotFoundError("No such session.", field="sessionId")
    return chat
