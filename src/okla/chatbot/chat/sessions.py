"""Sessions: start one, read its transcript, end it, hand it to a salesperson."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.waiting import Waiting
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.access import SessionAccess, hash_token, new_token
from okla.chatbot.chat.domain import (
    Handoff,
    MessageRole,
    MessageSource,
    SessionStatus,
    shown_status,
)
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import (
    EndResponse,
    SessionOut,
    StartRequest,
    StartResponse,
    TranscriptMessage,
    TransferRequest,
    TransferResponse,
)
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.errors import (
    ConflictError,
    NotFoundError,
    SessionNotFoundError,
    TooManyRequestsError,
)
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.schemas import DealerOut
from okla.chatbot.live.domain import EventKind, HandoffEvent
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.models import ChatSession, utcnow
from okla.chatbot.reply import templates
from okla.chatbot.settings import ChatbotSettings


@dataclass(frozen=True)
class SessionService:
    """Open, read, end and hand over customers' chat sessions."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    access: SessionAccess
    metrics: ChatMetrics
    waiting: Waiting
    live: LiveEvents
    clock: Clock = system_clock  # the app's: when a wait for a person begins

    async def start(self, request: StartRequest, client: str) -> StartResponse:
        """Open a session with a dealer's assistant, greeted by it."""
        allowed, retry = await self.coordinator.hit(
            self.settings.rate_limit_sessions, "start", client
        )
        if not allowed:
            raise TooManyRequestsError("Too many new sessions from this client.", retry)
        async with self.sessions() as db:
            key = request.dealer_id or self.settings.default_dealer
            dealer = await InventoryRepository(db).dealer(key)
            if dealer is None:
                raise NotFoundError(
                    f"Unknown dealer {key!r}.",
                    field="dealerId",
                    hint="Send a dealer id or slug (GET /api/chat/dealers lists them), "
                    "or leave dealerId out for the default dealer.",
                )
            token = new_token()
            now = utcnow()
            chat = ChatSession(
                token_hash=hash_token(token),
                dealer_id=dealer.id,
                session_type=request.session_type,
                status=SessionStatus.ACTIVE,
                meta=request.metadata or {},
                created_at=now,
                last_activity_at=now,
                expires_at=now + timedelta(minutes=self.settings.session_ttl_minutes),
            )
            repo = ChatRepository(db)
            repo.add_session(chat)
            await db.flush()
            greeting = templates.greeting(dealer.assistant_name, dealer.name, "es")
            await repo.add_message(
                chat.id, MessageRole.ASSISTANT, greeting, source=MessageSource.FALLBACK
            )
            await db.commit()
        self.metrics.sessions.inc()
        return StartResponse(
            session_token=token,
            session_id=chat.id,
            status=SessionStatus.ACTIVE,
            dealer=DealerOut.of(dealer),
            greeting=greeting,
            expires_at=chat.expires_at,
        )

    async def transcript(self, token: str, client: str) -> SessionOut:
        """Return a live session's state and transcript; an ended one's is no longer read
        with its token (404, as for an unknown token)."""
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await self.access.live(repo, token, client)
            if chat.status == SessionStatus.ENDED:
                raise SessionNotFoundError()
            if chat.handoff == Handoff.WAITING:
                # The widget's poll (without the event stream) looks at the wait too.
                await self.waiting.check(chat.id)
                await db.refresh(chat)
            dealer = await repo.dealer_of(chat)
            messages = await repo.messages(chat.id)
            return SessionOut(
                session_id=chat.id,
                status=shown_status(chat.status, chat.handoff),
                handoff=chat.handoff,
                session_type=chat.session_type,
                dealer=DealerOut.of(dealer),
                created_at=chat.created_at,
                last_activity_at=chat.last_activity_at,
                expires_at=chat.expires_at,
                ended_at=chat.ended_at,
                messages=[TranscriptMessage.of(m) for m in messages],
            )

    async def live_session(self, token: str, client: str) -> str:
        """Return the id of the live session of a token (404 when unknown, expired or ended)."""
        async with self.sessions() as db:
            chat = await self.access.live(ChatRepository(db), token, client)
            if chat.status == SessionStatus.ENDED:
                raise SessionNotFoundError()
            return chat.id

    async def end(self, token: str, client: str) -> EndResponse:
        """End a session; later messages get 409."""
        async with self.sessions() as db:
            chat = await self.access.live(ChatRepository(db), token, client)
            if chat.status != SessionStatus.ENDED:
                chat.status = SessionStatus.ENDED
                chat.ended_at = utcnow()
                await db.commit()
            assert chat.ended_at is not None
            return EndResponse(
                session_id=chat.id, status=SessionStatus.ENDED, ended_at=chat.ended_at
            )

    async def transfer(self, request: TransferRequest, client: str) -> TransferResponse:
        """Hand the session to the dealer's advisors; the bot stops answering it.

        Asking again while a person is coming or there changes nothing: the session is in
        the queue once.
        """
        async with self.sessions() as db:
            repo = ChatRepository(db)
            chat = await self.access.live(repo, request.session_token, client)
            if chat.status == SessionStatus.ENDED:
                raise ConflictError("This session has ended.", field="sessionToken")
            now = utcnow()
            text = templates.human_handoff("es")
            if await repo.ask_for_person(chat.id, self.clock()):
                transfer = await repo.add_transfer(chat.id, request.reason)
                chat.last_activity_at = now
                await repo.add_message(
                    chat.id, MessageRole.SYSTEM, text, details={"transferId": transfer.id}
                )
                await db.commit()
                waiting = HandoffEvent(session_id=chat.id, handoff=Handoff.WAITING, at=self.clock())
                await self.live.to_dealer(chat.dealer_id, EventKind.WAITING, waiting)
            else:
                latest = await repo.latest_transfer(chat.id)
                assert latest is not None, "a session waiting for a person was asked for one"
                transfer = latest
            return TransferResponse(
                session_id=chat.id,
                status=SessionStatus.PENDING_TRANSFER,
                transfer_id=transfer.id,
                message=text,
            )
