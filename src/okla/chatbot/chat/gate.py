"""Step 1 of a turn: admit a message (live session, idempotency key, lock) and store it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import inspect
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
from okla.chatbot.models import ChatMessage, Dealer, utcnow
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
class Takeover:
    """The session's lock, taken for a key whose first request died unanswered."""

    lock: str


# The session's lock lives this long unless its holder renews it: a replica killed during a
# turn frees its session (and lets a retry of its key take the turn over) this soon after.
LOCK_LEASE_SECONDS = 10.0


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
        # One database session throughout: the session row (its dealer joined) is read once.
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await self.access.live(repo, request.session_token, client)
            if chat.status == SessionStatus.ENDED:
                raise ConflictError(
                    "This session has ended; start a new one with POST /api/chat/start.",
                    field="sessionToken",
                )
            chat_id = chat.id
            assistant = Assistant.of(await repo.dealer_of(chat))
            lock: str | None = None
            if key is not None:
                request_hash = hashlib.sha256(request.message.encode()).hexdigest()
                claim = await self._claim_key(db, chat_id, key, request_hash)
                if isinstance(claim, Replay):
                    return claim
                if isinstance(claim, Takeover):
                    lock = claim.lock  # counted and locked already: answer its message
                if inspect(chat).expired_attributes:
                    await db.refresh(chat)  # the claim waited (and rolled back): read it anew
            if lock is None:
                allowed, retry = await self.coordinator.hit(
                    self.settings.rate_limit_messages, "message", chat_id
                )
                if not allowed:
                    await self._forget_key(chat_id, key)
                    raise TooManyRequestsError(
                        "Too many messages in this session; slow down.", retry
                    )
                lock = await self._lock(chat_id, key)
                if lock is None:
                    await self._forget_key(chat_id, key)
                    raise ConflictError(
                        "Another message of this session is still being answered; wait for "
                        "its reply.",
                        field="sessionToken",
                    )
            try:
                if chat.handoff == Handoff.WAITING and chat.claimed_by is None:
                    # Nobody came while the customer waited: the bot answers this message again.
                    await self.waiting.check(chat_id)
                    await db.refresh(chat)
                message = await self._message(repo, chat_id, request.message, key)
                chat.last_activity_at = utcnow()
                await db.commit()
                if chat.handoff.person_answers:
                    said = MessageEvent(
                        session_id=chat_id,
                        message_id=message.id,
                        role=MessageRole.USER,
                        content=request.message,
                        created_at=message.created_at,
                    )
                    await self.live.to_dealer(chat.dealer_id, EventKind.MESSAGE, said)
                return Turn(
                    session_id=chat_id,
                    handoff=chat.handoff,
                    assistant=assistant,
                    message_id=message.id,
                    text=request.message,
                    dialogue=DialogueState.from_json(chat.dialogue),
                    idempotency_key=key,
                    lock=lock,
                    started=started,
                    deadline=deadline,
                )
            except BaseException:
                # Roll back first: SQLite's write lock, held until then, would stall the cleanup.
                await db.rollback()
                await self.coordinator.release(_lock_key(chat_id), lock)
                await self._forget_key(chat_id, key)
                raise

    async def _lock(self, chat_id: str, key: str | None) -> str | None:
        # Tagged with the key it answers: a replay of that key, once answered, knows the lock
        # as its own turn's (see _free_answered).
        return await self.coordinator.lease(
            _lock_key(chat_id),
            LOCK_LEASE_SECONDS,
            self.settings.lock_ttl_seconds,
            tag=_key_tag(key) if key else "",
        )

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

    async def _message(
        self, repo: ChatRepository, chat_id: str, text: str, key: str | None
    ) -> ChatMessage:
        """Store the customer's message, or reuse the one an earlier try of its key stored."""
        # A key's first request may have stored the message before it failed or its replica
        # died (a key forgotten since may come back with other words: not those).
        message = await repo.message_with_key(chat_id, key) if key else None
        if message is not None and message.content == text:
            message.details = {k: v for k, v in message.details.items() if k != "unanswered"}
            return message
        return await repo.add_message(
            chat_id, MessageRole.USER, text, details={"idempotencyKey": key} if key else {}
        )

    async def _claim_key(
        self, db: AsyncSession, chat_id: str, key: str, request_hash: str
    ) -> Replay | Takeover | None:
        """Claim the key for this request, or return the first request's response.

        A first request still pending while the session's lock is free and older than a lease
        died with its replica: this request takes its turn over (Takeover).
        """
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
                replay = Replay(MessageResponse.model_validate(record.response))
                if utcnow() - record.created_at < timedelta(seconds=self.settings.lock_ttl_seconds):
                    await self._free_answered(chat_id, key)
                return replay
            if utcnow() - record.created_at > timedelta(seconds=LOCK_LEASE_SECONDS + 1):
                lock = await self._lock(chat_id, key)
                if lock is not None:
                    await db.rollback()
                    db.expire_all()
                    again = await repo.idempotency(chat_id, key)
                    if again is not None and again.state == IdempotencyState.PENDING:
                        return Takeover(lock)
                    await self.coordinator.release(_lock_key(chat_id), lock)
                    continue  # it finished (or was forgotten) meanwhile: look again
            if time.monotonic() > deadline:
                raise ConflictError(
                    "The first request with this Idempotency-Key is still being answered.",
                    field="Idempotency-Key",
                )
            # The first request is still being answered: wait for its result.
            await db.rollback()
            await asyncio.sleep(0.1)
            db.expire_all()

    async def _free_answered(self, chat_id: str, key: str) -> None:
        """Free the session if the turn that answered this key still holds it.

        The answer is stored, so that turn has nothing left to do but let go: a replica a
        moment behind, or one killed before it could (its lease would hold the customer's
        next message off for up to 10 s). Whoever holds it for another message keeps it.
        """
        holder = await self.coordinator.holder(_lock_key(chat_id))
        if holder is not None and holder.startswith(f"{_key_tag(key)}:"):
            await self.coordinator.release(_lock_key(chat_id), holder)

    async def _forget_key(self, chat_id: str, key: str | None) -> None:
        if key is None:
            return
        with contextlib.suppress(Exception):
            async with self.sessions() as db:
                await ChatRepository(db).forget_idempotency(chat_id, key)
                await db.commit()


def _lock_key(session_id: str) -> str:
    return f"session:{session_id}"


def _key_tag(key: str) -> str:
    """Return a short fingerprint of an Idempotency-Key (the client's text stays out of Redis)."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]
