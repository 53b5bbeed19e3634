"""Every query on chat sessions, messages, transfers and idempotency records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.chat.domain import (
    Handoff,
    IdempotencyState,
    MessageRole,
    MessageSource,
    SessionStatus,
)
from okla.chatbot.models import ChatMessage, ChatSession, Dealer, IdempotencyRecord, Transfer


class ChatRepository:
    """Read and write chat data within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Dealers read along with sessions: the session's identity map holds them only weakly.
        self._dealers: dict[str, Dealer] = {}

    async def ping(self) -> None:
        """Run the cheapest query there is; raise if the database doesn't answer."""
        await self.session.execute(text("SELECT 1"))

    # Sessions

    async def by_token_hash(self, token_hash: str) -> ChatSession | None:
        """Find a session by the hash of its token, its dealer read in the same query."""
        # Nearly every caller needs the dealer next: dealer_of then finds it without a query.
        row = (
            await self.session.execute(
                select(ChatSession, Dealer)
                .join(Dealer, Dealer.id == ChatSession.dealer_id)
                .where(ChatSession.token_hash == token_hash)
            )
        ).first()
        if row is None:
            return None
        chat, dealer = row
        self._dealers[dealer.id] = dealer
        return chat

    async def get(self, session_id: str) -> ChatSession | None:
        """Find a session by id."""
        return await self.session.get(ChatSession, session_id)

    async def dealer_of(self, chat: ChatSession) -> Dealer:
        """Return the dealer a session talks to (the foreign key guarantees one)."""
        dealer = self._dealers.get(chat.dealer_id) or await self.session.get(Dealer, chat.dealer_id)
        assert dealer is not None
        return dealer

    async def touch(
        self, session_id: str, now: datetime, expires_at: datetime, dialogue: dict[str, Any] | None
    ) -> tuple[SessionStatus, Handoff]:
        """Record activity (and the dialogue state, if given); return the status and handoff.

        One UPDATE ... RETURNING: the turn's last write reads the state it answers with.
        """
        values: dict[str, Any] = {"last_activity_at": now, "expires_at": expires_at}
        if dialogue is not None:
            values["dialogue"] = dialogue
        row = (
            await self.session.execute(
                update(ChatSession)
                .where(ChatSession.id == session_id)
                .values(**values)
                .returning(ChatSession.status, ChatSession.handoff)
                .execution_options(synchronize_session=False)
            )
        ).one()
        return SessionStatus(row[0]), Handoff(row[1])

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
        message = ChatMessage(
            session_id=session_id,
            # Numbered in the INSERT itself: one statement, and the unique (session, seq)
            # index refuses a concurrent writer's duplicate instead of a read racing it.
            seq=select(func.coalesce(func.max(ChatMessage.seq), 0) + 1)
            .where(ChatMessage.session_id == session_id)
            .scalar_subquery(),
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

    async def recent_lines(self, session_id: str, limit: int) -> list[tuple[str, MessageRole, str]]:
        """Return the last messages' id, role and text, oldest first.

        Only these columns: the cards and traces (JSON) of each message aren't parsed per turn.
        """
        rows = (
            await self.session.execute(
                select(ChatMessage.id, ChatMessage.role, ChatMessage.content)
                .where(ChatMessage.session_id == session_id)
                .order_by(ChatMessage.seq.desc())
                .limit(limit)
            )
        ).all()
        return [(row[0], MessageRole(row[1]), row[2]) for row in reversed(rows)]

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

    async def finish_idempotency(self, session_id: str, key: str, response: dict[str, Any]) -> None:
        """Mark a key's request answered, with the response its replays return."""
        await self.session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.session_id == session_id, IdempotencyRecord.key == key)
            .values(state=IdempotencyState.DONE, response=response)
            .execution_options(synchronize_session=False)
        )

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
