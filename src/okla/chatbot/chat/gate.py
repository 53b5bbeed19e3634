"""Step 1 of a turn: admit a message (live session, idempotency key, lock) and store it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.waiting import Waiting
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.access import SessionAccess
from okla.chatbot.chat.domain import Handoff, IdempotencyState, MessageRole, SessionStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import MessageRequest, MessageResponse
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.repository import profile_of
from okla.chatbot.errors import ConflictError, TooManyRequestsError, UnprocessableError
from okla.chatbot.live.domain import EventKind, MessageEvent
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import Dealer, utcnow
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.understanding.dialogue import DialogueState


@dataclass(frozen=True)
class Assistant:
    """The dealer's assistant who answers the session."""

    name: str
    dealer_id: str
    dealer_name: str
    city: str | None
    phone: str | None  # the dealer's, for answers an advisor must confirm
    # Where it is, when it opens, its policies: what the desk answers and the guard checks.
    profile: DealerProfile = field(default_factory=DealerProfile)

    @classmethod
    def of(cls, dealer: Dealer) -> Assistant:
        """Return the assistant of a stored dealer, with the dealer's profile."""
        return cls(
            dealer.assistant_name,
            dealer.id,
            dealer.name,
            dealer.city,
            dealer.phone,
            profile_of(dealer),
        )


@dataclass(frozen=True)
class Turn:
    """A customer's message, admitted and stored, that this request answers."""

    session_id: str
    handoff: Handoff  # who answers: the bot stays quiet while a person does
    assistant: Assistant
    message_id: str
    text: str
    dialogue: DialogueState  # where the conversation stood before this message
    idempotency_key: str | None
    lock: str
    started: float  # time.perf_counter() when the request came in
    deadline: float  # time.monotonic() by which the reply must be stored (inf: none)


@dataclass(frozen=True)
class Replay:
    """The stored response of an earlier request with the same Idempotency-Key."""

    response: MessageResponse


@dataclass(frozen=True)
class TurnGate:
    """Let one message per session in at a time, and each Idempotency-Key's message once."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    access: SessionAccess
    waiting: Waiting
    live: LiveEvents

    async def admit(
        self, request: MessageRequest, key: str | None, client: str, timeout: float | None
    ) -> Turn | Replay:
        """Check the session, replay or claim the key, take the lock, store the message."""
        started = time.perf_counter()
        deadline = self._deadline(timeout)
        async with self.sessions() as db:
            chat = await self.access.live(ChatRepository(db), request.session_token, client)
            if chat.status == SessionStatus.ENDED:
                raise ConflictError(
                    "This session has ended; start a new one with POST /api/chat/start.",
                    field="sessionToken",
                )
            chat_id = chat.id
            if key is not None:
                request_hash = hashlib.sha256(request.message.encode()).hexdigest()
                replay = await self._claim_key(db, chat_id, key, request_hash)
                if replay is not None:
                    return replay
        allowed, retry = await self.coordinator.hit(
            self.settings.rate_limit_messages, "message", chat_id
        )
        if not allowed:
            await self._forget_key(chat_id, key)
            raise TooManyRequestsError("Too many messages in this session; slow down.", retry)
        lock = await self.coordinator.acquire(_lock_key(chat_id), self.settings.lock_ttl_seconds)
        if lock is None:
            await self._forget_key(chat_id, key)
            raise ConflictError(
                "Another message of this session is still being answered; wait for its reply.",
                field="sessionToken",
            )
        try:
            # Nobody came while the customer waited: the bot answers this message again.
            await self.waiting.check(chat_id)
            return await self._store_message(chat_id, request.message, key, lock, started, deadline)
        except BaseException:
            await self.coordinator.release(_lock_key(chat_id), lock)
            await self._forget_key(chat_id, key)
            raise

    async def release(self, turn: Turn) -> None:
        """Let the session's next message in."""
        await self.coordinator.release(_lock_key(turn.session_id), turn.lock)

    async def abandon(self, turn: Turn) -> None:
        """Give up on a turn that failed: mark it unanswered and let a retry of its key run."""
        with contextlib.suppress(Exception):
            async with self.sessions() as db:
                message = await ChatRepository(db).message(turn.message_id)
                if message is not None:
                    message.details = {**message.details, "unanswered": True}
                    await db.commit()
        await self._forget_key(turn.session_id, turn.idempotency_key)

    def _deadline(self, timeout: float | None) -> float:
        """Return when the reply must be stored: before the caller (the gateway) gives up."""
        if timeout is None:
            return math.inf
        margin = self.settings.reply_margin_seconds
        return time.monotonic() + max(timeout - margin, timeout / 2)

    async def _store_message(
        self,
        chat_id: str,
        text: str,
        key: str | None,
        lock: str,
        started: float,
        deadline: float,
    ) -> Turn:
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await repo.get(chat_id)
            assert chat is not None
            dealer = await repo.dealer_of(chat)
            message = await repo.add_message(
                chat.id, MessageRole.USER, text, details={"idempotencyKey": key} if key else {}
            )
            chat.last_activity_at = utcnow()
            await db.commit()
            if chat.handoff.person_answers:
                said = MessageEvent(
                    session_id=chat.id,
                    message_id=message.id,
                    role=MessageRole.USER,
                    content=text,
                    created_at=message.created_at,
                )
                await self.live.to_dealer(dealer.id, EventKind.MESSAGE, said)
            return Turn(
                session_id=chat.id,
                handoff=chat.handoff,
                # The dealer's row is read here anyway: its profile comes with it.
                assistant=Assistant.of(dealer),
                message_id=message.id,
                text=text,
                dialogue=DialogueState.from_json(chat.dialogue),
                idempotency_key=key,
                lock=lock,
                started=started,
                deadline=deadline,
            )

    async def _claim_key(
        self, db: AsyncSession, chat_id: str, key: str, request_hash: str
    ) -> Replay | None:
        """Claim the key for this request, or return the first request's response."""
        repo = ChatRepository(db)
        deadline = time.monotonic() + self.settings.llm_timeout_seconds + 15
        while True:
            record = await repo.idempotency(chat_id, key)
            if record is None:
                repo.add_idempotency(chat_id, key, request_hash)
                try:
                    await db.commit()
                    return None
                except IntegrityError:
                    await db.rollback()  # a concurrent replay claimed it first
                    continue
            if record.request_hash != request_hash:
                raise UnprocessableError(
                    "This Idempotency-Key was already used with a different message.",
                    field="Idempotency-Key",
                    hint="Use a new key for each new message; reuse a key only to retry "
                    "exactly the same message.",
                )
            if record.state == IdempotencyState.DONE and record.response is not None:
                return Replay(MessageResponse.model_validate(record.response))
            if time.monotonic() > deadline:
                raise ConflictError(
                    "The first request with this Idempotency-Key is still being answered.",
                    field="Idempotency-Key",
                )
            # The first request is still being answered: wait for its result.
            await db.rollback()
            await asyncio.sleep(0.1)
            db.expire_all()

    async def _forget_key(self, chat_id: str, key: str | None) -> None:
        if key is None:
            return
        with contextlib.suppress(Exception):
            async with self.sessions() as db:
                await ChatRepository(db).forget_idempotency(chat_id, key)
                await db.commit()


def _lock_key(session_id: str) -> str:
    return f"session:{session_id}"
