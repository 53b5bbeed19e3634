"""Queries on chat sessions, messages, transfers and idempotency records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.models import ChatMessage, ChatSession, IdempotencyRecord, Transfer


class ChatRepository:
    """Read and write one service's chat data within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_token_hash(self, token_hash: str) -> ChatSession | None:
        """Find a session by the hash of its token."""
        return await self.session.scalar(
            select(ChatSession).where(ChatSession.token_hash == token_hash)
        )

    async def get(self, session_id: str) -> ChatSession | None:
        """Find a session by id."""
        return await self.session.get(ChatSession, session_id)

    def add_session(self, chat: ChatSession) -> None:
        """Stage a new session."""
        self.session.add(chat)

    async def add_message(
        self,
        session_id: str,
        role: str,
        content: str,
        *,
        source: str | None = None,
        vehicles: list[dict[str, Any]] | None = None,
        details: dict[str, Any] | None = None,
        incomplete: bool = False,
        created_at: datetime | None = None,
    ) -> ChatMessage:
        """Append a message to the transcript."""
        seq = await self.session.scalar(
            select(func.coalesce(func.max(ChatMessage.seq), 0)).where(
                ChatMessage.session_id == session_id
            )
        )
        message = ChatMessage(
            session_id=session_id,
            seq=(seq or 0) + 1,
            role=role,
            content=content,
            source=source,
            vehicles=vehicles or [],
            details=details or {},
            incomplete=incomplete,
        )
        if created_at is not None:
            message.created_at = created_at
        self.session.add(message)
        await self.session.flush()
        return message

    async def messages(self, session_id: str) -> Sequence[ChatMessage]:
        """Return the transcript in order."""
        return (
            await self.session.scalars(
                select(ChatMessage)
                .where(ChatMessage.session_id == session_id)
                .order_by(ChatMessage.seq)
            )
        ).all()

    async def recent_messages(self, session_id: str, limit: int) -> list[ChatMessage]:
        """Return the last messages, oldest first."""
        rows = (
            await self.session.scalars(
                select(ChatMessage)
                .where(ChatMessage.session_id == session_id)
                .order_by(ChatMessage.seq.desc())
                .limit(limit)
            )
        ).all()
        return list(reversed(rows))

    async def add_transfer(self, session_id: str, reason: str | None) -> Transfer:
        """Record a request for a human salesperson."""
        transfer = Transfer(session_id=session_id, reason=reason)
        self.session.add(transfer)
        await self.session.flush()
        return transfer

    async def idempotency(self, session_id: str, key: str) -> IdempotencyRecord | None:
        """Find the record of an Idempotency-Key."""
        return await self.session.get(IdempotencyRecord, (session_id, key))

    def add_idempotency(self, session_id: str, key: str, request_hash: str) -> None:
        """Stage a pending record (its primary key makes a second one fail)."""
        self.session.add(
            IdempotencyRecord(session_id=session_id, key=key, request_hash=request_hash)
        )

    async def forget_idempotency(self, session_id: str, key: str) -> None:
        """Delete a record whose request was refused, so a later retry can run."""
        await self.session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.session_id == session_id, IdempotencyRecord.key == key
            )
        )
