"""Every query on chat sessions, messages, transfers and idempotency records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.chat.domain import Handoff, MessageRole, MessageSource, SessionStatus
from okla.chatbot.models import ChatMessage, ChatSession, Dealer, IdempotencyRecord, Transfer


class ChatRepository:
    """Read and write chat data within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ping(self) -> None:
        """Run the cheapest query there is; raise if the database doesn't answer."""
        await self.session.execute(text("SELECT 1"))

    # Sessions

    async def by_token_hash(self, token_hash: str) -> ChatSession | None:
        """Find a session by the hash of its token."""
        return await self.session.scalar(
            select(ChatSession).where(ChatSession.token_hash == token_hash)
        )

    async def get(self, session_id: str) -> ChatSession | None:
        """Find a session by id."""
        return await self.session.get(ChatSession, session_id)

    async def dealer_of(self, chat: ChatSession) -> Dealer:
        """Return the dealer a session talks to (the foreign key guarantees one)."""
        dealer = await self.session.get(Dealer, chat.dealer_id)
        assert dealer is not None
        return dealer

    def add_session(self, chat: ChatSession) -> None:
        """Stage a new session."""
        self.session.add(chat)

    # Messages

    async def add_message(
        self,
        session_id: str,
        role: MessageRole,
        content: str,
        *,
        source: MessageSource | None = None,
        vehicles: list[dict[str, Any]] | None = None,
        appointment: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
        incomplete: bool = False,
        created_at: datetime | None = None,
        author_user_id: str | None = None,
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
            appointment=appointment,
            details=details or {},
            incomplete=incomplete,
            author_user_id=author_user_id,
        )
        if created_at is not None:
            message.created_at = created_at
        self.session.add(message)
        await self.session.flush()
        return message

    async def message(self, message_id: str) -> ChatMessage | None:
        """Find a message by id."""
        return await self.session.get(ChatMessage, message_id)

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

    # Transfers

    async def add_transfer(self, session_id: str, reason: str | None) -> Transfer:
        """Record a request for a human salesperson."""
        transfer = Transfer(session_id=session_id, reason=reason)
        self.session.add(transfer)
        await self.session.flush()
        return transfer

    async def ask_for_person(self, session_id: str, now: datetime) -> bool:
        """Put a session in the advisors' queue unless a person already answers it.

        A conditional UPDATE: of two requests at once, one queues the session, the other
        finds it waiting (and is a no-op). Tells whether this call queued it.
        """
        result = await self.session.execute(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                ChatSession.status == SessionStatus.ACTIVE,
                ChatSession.handoff.in_([Handoff.BOT, Handoff.CLOSED]),
            )
            .values(handoff=Handoff.WAITING, claimed_by=None, handoff_at=now)
            .execution_options(synchronize_session="fetch")
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def latest_transfer(self, session_id: str) -> Transfer | None:
        """Return a session's newest request for a person."""
        return await self.session.scalar(
            select(Transfer)
            .where(Transfer.session_id == session_id)
            .order_by(Transfer.created_at.desc())
            .limit(1)
        )

    async def message_with_key(self, session_id: str, key: str) -> ChatMessage | None:
        """Find the customer's message sent with an Idempotency-Key (among the latest ones)."""
        recent = await self.session.scalars(
            select(ChatMessage)
            .where(ChatMessage.session_id == session_id, ChatMessage.role == MessageRole.USER)
            .order_by(ChatMessage.seq.desc())
            .limit(20)
        )
        return next((m for m in recent if (m.details or {}).get("idempotencyKey") == key), None)

    # Idempotency records

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
