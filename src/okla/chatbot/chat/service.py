"""The chat service: sessions, one message at a time, grounded replies, idempotent replays."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import (
    DealerOut,
    EndResponse,
    MessageRequest,
    MessageResponse,
    MessageRole,
    MessageSource,
    ReplyOut,
    SessionOut,
    SessionStatus,
    StartRequest,
    StartResponse,
    TranscriptMessage,
    TransferRequest,
    TransferResponse,
    VehicleCardOut,
)
from okla.chatbot.errors import (
    ChatError,
    ConflictError,
    NotFoundError,
    SessionNotFoundError,
    TooManyRequestsError,
    UnprocessableError,
)
from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import LlmClient, LlmUnavailableError
from okla.chatbot.llm.prompt import Turn, build_messages, persona
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.middleware import CLIENT_ADDRESS
from okla.chatbot.models import ChatMessage, ChatSession, Dealer, Vehicle, utcnow
from okla.chatbot.reply import templates
from okla.chatbot.reply.guard import GuardContext, Reason, check_reply
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.text.language import detect_language
from okla.chatbot.text.vocabulary import MARKET_MAKES
from okla.chatbot.understanding.intents import Intent, detect_intents
from okla.chatbot.understanding.query import parse_query

logger = logging.getLogger("okla.chatbot")

Language = Literal["es", "en"]

_LLM_FAILED = {
    "es": "El asistente no pudo terminar esta respuesta; te muestro la información del inventario.",
    "en": "The assistant could not finish this reply; here is the information from our stock.",
}


# A reply none of whose first sentences may be shown is given up on, and the LLM slot it
# holds serves the next customer instead: after 20 words if it answers in another language or
# repeats the prompt (the checks judge the language over the whole reply, and later text
# rarely undoes that), after 40 if its sentences state what the stock doesn't hold or repeat
# themselves. A reply that so far only hasn't named a vehicle yet goes on.
_LOST_REASONS = frozenset({Reason.WRONG_LANGUAGE, Reason.ECHO})
_LOST_WORDS = 20
_WRONG_WORDS = 40


def _off_course(text: str, reasons: frozenset[Reason]) -> bool:
    """Tell whether the model's reply so far is unlikely to turn into one that may be shown."""
    words = len(text.split())
    if _LOST_REASONS.intersection(reasons):
        return words >= _LOST_WORDS
    return words >= _WRONG_WORDS and any(reason != Reason.NO_ANSWER for reason in reasons)


def hash_token(token: str) -> str:
    """Return the stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Delta:
    """Text of the reply, as it becomes safe to show."""

    text: str


@dataclass
class Notice:
    """Something the customer should know about this reply (e.g. the model failed)."""

    code: str
    message: str


@dataclass
class Draft:
    """The finished reply, before it is stored."""

    content: str
    cards: list[VehicleCard]
    source: MessageSource
    details: dict[str, Any] = field(default_factory=dict)
    status: SessionStatus = SessionStatus.ACTIVE
    incomplete: bool = False


@dataclass
class Turnaround:
    """A message being answered: what the customer sent and what is known about it."""

    chat: ChatSession
    dealer: Dealer
    user_message: ChatMessage
    text: str
    idempotency_key: str | None
    lock_token: str | None
    started: float


@dataclass
class Plan:
    """How this message will be answered."""

    cards: list[VehicleCard]
    template: str  # the answer if the model is not used or fails
    query: VehicleQuery | None = None
    llm_messages: list[dict[str, str]] | None = None
    guard: GuardContext | None = None
    suffix: str = ""  # added to any answer (e.g. a financing note)
    transfer: bool = False
    language: Language = "es"
    details: dict[str, Any] = field(default_factory=dict)


class ChatService:
    """Answer chat requests; one instance per app, shared by its requests."""

    def __init__(
        self,
        settings: ChatbotSettings,
        sessions: async_sessionmaker[AsyncSession],
        coordinator: Coordinator,
        llm: LlmClient,
        breaker: CircuitBreaker,
        metrics: ChatMetrics,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.coordinator = coordinator
        self.llm = llm
        self.breaker = breaker
        self.metrics = metrics
        self.background: set[asyncio.Task[None]] = set()

    # Sessions

    async def start(self, request: StartRequest) -> StartResponse:
        """Open a session with a dealer's assistant."""
        allowed, retry = await self.coordinator.hit(
            self.settings.rate_limit_sessions, "start", CLIENT_ADDRESS.get()
        )
        if not allowed:
            raise TooManyRequestsError("Too many new sessions from this client.", retry)
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            key = request.dealer_id or self.settings.default_dealer
            dealer = await inventory.dealer(key)
            if dealer is None:
                raise NotFoundError(
                    f"Unknown dealer {key!r}.",
                    field="dealerId",
                    hint="Send a dealer id or slug (GET /api/chat/dealers lists them), "
                    "or leave dealerId out for the default dealer.",
                )
            token = secrets.token_urlsafe(32)  # 256 bits from the OS's secure generator
            now = utcnow()
            chat = ChatSession(
                token_hash=hash_token(token),
                dealer_id=dealer.id,
                session_type=request.session_type.value,
                status=SessionStatus.ACTIVE.value,
                meta=request.metadata or {},
                created_at=now,
                last_activity_at=now,
                expires_at=now + timedelta(minutes=self.settings.session_ttl_minutes),
            )
            ChatRepository(db).add_session(chat)
            await db.flush()
            greeting = templates.greeting(dealer.assistant_name, dealer.name, "es")
            await ChatRepository(db).add_message(
                chat.id, MessageRole.ASSISTANT.value, greeting, source=MessageSource.FALLBACK.value
            )
            await db.commit()
            self.metrics.sessions.inc()
            return StartResponse(
                session_token=token,
                session_id=chat.id,
                status=SessionStatus.ACTIVE,
                dealer=_dealer_out(dealer),
                greeting=greeting,
                expires_at=chat.expires_at,
            )

    async def _live_session(self, db: AsyncSession, token: str) -> ChatSession:
        chat = await ChatRepository(db).by_token_hash(hash_token(token))
        if chat is None or chat.expires_at <= utcnow():
            # Guessing tokens costs: too many misses from one address get 429.
            allowed, retry = await self.coordinator.hit(
                self.settings.rate_limit_token_misses, "token-miss", CLIENT_ADDRESS.get()
            )
            if not allowed:
                raise TooManyRequestsError("Too many unknown session tokens; slow down.", retry)
            raise SessionNotFoundError()
        return chat

    async def session(self, token: str) -> SessionOut:
        """Return a session's state and transcript."""
        async with self.sessions() as db:
            chat = await self._live_session(db, token)
            dealer = await db.get(Dealer, chat.dealer_id)
            assert dealer is not None
            messages = await ChatRepository(db).messages(chat.id)
            return SessionOut(
                session_id=chat.id,
                status=SessionStatus(chat.status),
                session_type=chat.session_type,  # type: ignore[arg-type]
                dealer=_dealer_out(dealer),
                created_at=chat.created_at,
                last_activity_at=chat.last_activity_at,
                expires_at=chat.expires_at,
                ended_at=chat.ended_at,
                messages=[_transcript(m) for m in messages],
            )

    async def end(self, token: str) -> EndResponse:
        """End a session; later messages get 409."""
        async with self.sessions() as db:
            chat = await self._live_session(db, token)
            if chat.status != SessionStatus.ENDED.value:
                chat.status = SessionStatus.ENDED.value
                chat.ended_at = utcnow()
                await db.commit()
            assert chat.ended_at is not None
            return EndResponse(
                session_id=chat.id, status=SessionStatus.ENDED, ended_at=chat.ended_at
            )

    async def transfer(self, request: TransferRequest) -> TransferResponse:
        """Hand the session to a human salesperson; the bot stops answering it."""
        async with self.sessions() as db:
            chat = await self._live_session(db, request.session_token)
            if chat.status == SessionStatus.ENDED.value:
                raise ConflictError("This session has ended.", field="sessionToken")
            repo = ChatRepository(db)
            transfer = await repo.add_transfer(chat.id, request.reason)
            chat.status = SessionStatus.PENDING_TRANSFER.value
            chat.last_activity_at = utcnow()
            text = templates.human_handoff("es")
            await repo.add_message(
                chat.id, MessageRole.SYSTEM.value, text, details={"transferId": transfer.id}
            )
            await db.commit()
            return TransferResponse(
                session_id=chat.id,
                status=SessionStatus.PENDING_TRANSFER,
                transfer_id=transfer.id,
                message=text,
            )

    # Messages

    async def message(
        self, request: MessageRequest, idempotency_key: str | None
    ) -> MessageResponse:
        """Answer one message and return the stored reply."""
        begun = await self._begin(request, idempotency_key)
        if isinstance(begun, MessageResponse):
            return begun
        draft: Draft | None = None
        async for event in self._answer(begun):
            if isinstance(event, Draft):
                draft = event
        assert draft is not None
        return await self._finish(begun, draft)

    async def message_events(
        self, request: MessageRequest, idempotency_key: str | None
    ) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Answer one message as a stream of (event, data) pairs."""
        begun = await self._begin(request, idempotency_key)
        if isinstance(begun, MessageResponse):
            yield "ack", {"messageId": begun.message_id}
            if begun.reply is not None:
                yield "delta", {"text": begun.reply.content}
                yield "vehicles", {"vehicles": _dump_cards(begun.reply.vehicles)}
            yield "done", begun.model_dump(mode="json", by_alias=True)
            return
        queue: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()
        # The answer runs in its own task: a customer who closes the page mid-reply still
        # finds the whole reply stored when they come back.
        task = asyncio.create_task(self._answer_into(begun, queue))
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        yield "ack", {"messageId": begun.user_message.id}
        while (item := await queue.get()) is not None:
            yield item

    async def _answer_into(
        self, turn: Turnaround, queue: asyncio.Queue[tuple[str, dict[str, Any]] | None]
    ) -> None:
        try:
            draft: Draft | None = None
            async for event in self._answer(turn):
                if isinstance(event, Delta):
                    queue.put_nowait(("delta", {"text": event.text}))
                elif isinstance(event, Notice):
                    queue.put_nowait(("notice", {"code": event.code, "message": event.message}))
                else:
                    draft = event
            assert draft is not None
            response = await self._finish(turn, draft)
            if response.reply is not None:
                queue.put_nowait(("vehicles", {"vehicles": _dump_cards(response.reply.vehicles)}))
            queue.put_nowait(("done", response.model_dump(mode="json", by_alias=True)))
        except Exception as exc:
            logger.exception("Streamed reply failed")
            await self._abandon(turn)
            body = (
                exc.body()
                if isinstance(exc, ChatError)
                else {
                    "error": {
                        "code": "reply_failed",
                        "message": "The reply could not be completed.",
                    }
                }
            )
            queue.put_nowait(("error", body))
        finally:
            queue.put_nowait(None)

    async def _begin(
        self, request: MessageRequest, key: str | None
    ) -> Turnaround | MessageResponse:
        """Check the session, replay or claim the idempotency key, lock, store the message."""
        started = time.perf_counter()
        async with self.sessions() as db:
            chat = await self._live_session(db, request.session_token)
            if chat.status == SessionStatus.ENDED.value:
                raise ConflictError(
                    "This session has ended; start a new one with POST /api/chat/start.",
                    field="sessionToken",
                )
            chat_id = chat.id
            request_hash = hashlib.sha256(request.message.encode()).hexdigest()
            if key is not None:
                replay = await self._claim_key(db, chat_id, key, request_hash)
                if replay is not None:
                    return replay
        allowed, retry = await self.coordinator.hit(
            self.settings.rate_limit_messages, "message", chat_id
        )
        if not allowed:
            await self._release_key(chat_id, key)
            raise TooManyRequestsError("Too many messages in this session; slow down.", retry)
        lock_ttl = self.settings.llm_timeout_seconds + 30
        lock = await self.coordinator.acquire(f"session:{chat_id}", lock_ttl)
        if lock is None:
            await self._release_key(chat_id, key)
            raise ConflictError(
                "Another message of this session is still being answered; wait for its reply.",
                field="sessionToken",
            )
        try:
            async with self.sessions() as db:
                fresh = await db.get(ChatSession, chat_id)
                assert fresh is not None
                chat = fresh
                dealer = await db.get(Dealer, chat.dealer_id)
                assert dealer is not None
                user_message = await ChatRepository(db).add_message(
                    chat.id,
                    MessageRole.USER.value,
                    request.message,
                    details={"idempotencyKey": key} if key else {},
                )
                chat.last_activity_at = utcnow()
                await db.commit()
        except BaseException:
            await self.coordinator.release(f"session:{chat_id}", lock)
            await self._release_key(chat_id, key)
            raise
        return Turnaround(chat, dealer, user_message, request.message, key, lock, started)

    async def _claim_key(
        self, db: AsyncSession, chat_id: str, key: str, request_hash: str
    ) -> MessageResponse | None:
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
            if record.state == "done" and record.response is not None:
                return MessageResponse.model_validate(record.response)
            if time.monotonic() > deadline:
                raise ConflictError(
                    "The first request with this Idempotency-Key is still being answered.",
                    field="Idempotency-Key",
                )
            # The first request is still being answered: wait for its result.
            await db.rollback()
            await asyncio.sleep(0.1)
            db.expire_all()

    async def _release_key(self, chat_id: str, key: str | None) -> None:
        if key is None:
            return
        with contextlib.suppress(Exception):
            async with self.sessions() as db:
                await ChatRepository(db).forget_idempotency(chat_id, key)
                await db.commit()

    async def _abandon(self, turn: Turnaround) -> None:
        with contextlib.suppress(Exception):
            async with self.sessions() as db:
                message = await db.get(ChatMessage, turn.user_message.id)
                if message is not None:
                    message.details = {**message.details, "unanswered": True}
                    await db.commit()
        await self._release_key(turn.chat.id, turn.idempotency_key)
        if turn.lock_token is not None:
            await self.coordinator.release(f"session:{turn.chat.id}", turn.lock_token)

    async def _finish(self, turn: Turnaround, draft: Draft) -> MessageResponse:
        """Store the reply, record the idempotent response and release the session."""
        try:
            async with self.sessions() as db:
                chat = await db.get(ChatSession, turn.chat.id)
                assert chat is not None
                repo = ChatRepository(db)
                reply_out: ReplyOut | None = None
                if draft.status == SessionStatus.PENDING_TRANSFER and draft.source == (
                    MessageSource.HUMAN
                ):
                    pass  # waiting for a salesperson: no bot reply
                else:
                    cards = [VehicleCardOut.of(c) for c in draft.cards]
                    reply = await repo.add_message(
                        chat.id,
                        MessageRole.ASSISTANT.value,
                        draft.content,
                        source=draft.source.value,
                        vehicles=_dump_cards(cards),
                        details=draft.details,
                        incomplete=draft.incomplete,
                    )
                    reply_out = ReplyOut(
                        id=reply.id, content=draft.content, vehicles=cards, source=draft.source
                    )
                now = utcnow()
                chat.last_activity_at = now
                # Sliding expiry: an active conversation stays open.
                chat.expires_at = now + timedelta(minutes=self.settings.session_ttl_minutes)
                if chat.status == SessionStatus.ACTIVE.value:
                    chat.status = draft.status.value
                query = draft.details.get("query")
                if isinstance(query, dict):
                    chat.last_query = query
                if draft.details.get("transfer"):
                    await repo.add_transfer(chat.id, "El cliente pidió un asesor en el chat.")
                response = MessageResponse(
                    message_id=turn.user_message.id,
                    session_status=SessionStatus(chat.status),
                    reply=reply_out,
                )
                if turn.idempotency_key is not None:
                    record = await repo.idempotency(chat.id, turn.idempotency_key)
                    if record is not None:
                        record.state = "done"
                        record.response = response.model_dump(mode="json", by_alias=True)
                await db.commit()
        finally:
            if turn.lock_token is not None:
                await self.coordinator.release(f"session:{turn.chat.id}", turn.lock_token)
        self.metrics.replies.labels(source=draft.source.value).inc()
        self.metrics.reply_latency.observe(time.perf_counter() - turn.started)
        return response

    # Composing the reply

    async def _answer(self, turn: Turnaround) -> AsyncIterator[Delta | Notice | Draft]:
        """Yield safe text as it is ready, then the finished draft."""
        if turn.chat.status == SessionStatus.PENDING_TRANSFER.value:
            # A salesperson takes it from here: the bot stays quiet.
            yield Draft("", [], MessageSource.HUMAN, status=SessionStatus.PENDING_TRANSFER)
            return
        plan = await self._plan(turn)
        if plan.llm_messages is None or plan.guard is None:
            text = _join(plan.template, plan.suffix)
            for piece in _pieces(text):
                yield Delta(piece)
            status = SessionStatus.PENDING_TRANSFER if plan.transfer else SessionStatus.ACTIVE
            details = {**plan.details, "transfer": plan.transfer}
            yield Draft(text, plan.cards, MessageSource.FALLBACK, details, status)
            return
        async for event in self._answer_with_model(plan):
            yield event

    async def _plan(self, turn: Turnaround) -> Plan:
        """Understand the message and fetch what the answer needs from the database."""
        text = turn.text
        dealer = turn.dealer
        intents = detect_intents(text)
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            catalog = await inventory.catalog(dealer.id)
            history = await ChatRepository(db).recent_messages(turn.chat.id, 12)
            language = _language(text, history)
            if Intent.HUMAN in intents:
                return Plan([], templates.human_handoff(language), transfer=True, language=language)
            query = parse_query(text, catalog, today_year=datetime.now(UTC).year)
            previous = turn.chat.last_query
            if previous and not query.is_empty() and not query.names_a_vehicle():
                query = VehicleQuery.from_json(previous).refined_by(query)
            details: dict[str, Any] = {"query": query.to_json(), "intents": sorted(intents)}
            suffix = ""
            if Intent.FINANCING in intents:
                suffix = templates.financing_reply(language)
            elif Intent.DISCOUNT in intents:
                suffix = templates.discount_reply(language)
            searching = Intent.SEARCH in intents or not query.is_empty()
            if not searching:
                if suffix:
                    return Plan([], suffix, language=language, details=details)
                if Intent.GREETING in intents:
                    reply = templates.greeting(dealer.assistant_name, dealer.name, language)
                elif Intent.THANKS in intents:
                    reply = templates.thanks_reply(language)
                elif Intent.GOODBYE in intents:
                    reply = templates.goodbye_reply(language)
                else:
                    reply = templates.other_reply(language)
                return Plan([], reply, language=language, details=details)
            cards = await inventory.search(dealer.id, query, self.settings.max_cards)
            if not cards:
                gone = await inventory.unavailable(dealer.id, query)
                alternatives = await inventory.alternatives(dealer.id, query, 3)
                if gone:
                    reply = templates.unavailable_reply(gone, alternatives, language)
                else:
                    reply = templates.no_match_reply(query, alternatives, language)
                return Plan(
                    alternatives, reply, query, suffix=suffix, language=language, details=details
                )
            template = templates.list_reply(
                cards, query, dealer.assistant_name, dealer.name, language
            )
            system = persona(dealer.assistant_name, dealer.name, dealer.city, language)
            turns = [
                Turn("user" if m.role == MessageRole.USER.value else "assistant", m.content)
                for m in history
                if m.id != turn.user_message.id
                and m.role in (MessageRole.USER.value, MessageRole.ASSISTANT.value)
            ]
            known_models = frozenset(catalog.models) | await _all_models(inventory)
            guard = GuardContext(
                cards=cards,
                known_makes=MARKET_MAKES | catalog.makes,
                known_models=known_models,
                question=text,
                language=language,
                system_prompt=system,
            )
            messages = build_messages(
                system, turns, text, cards, self.settings.history_token_budget
            )
            return Plan(
                cards,
                template,
                query,
                llm_messages=messages,
                guard=guard,
                suffix=suffix,
                language=language,
                details=details,
            )

    async def _answer_with_model(self, plan: Plan) -> AsyncIterator[Delta | Notice | Draft]:
        """Stream the model's reply, showing only what passed the checks; else the template."""
        assert plan.llm_messages is not None and plan.guard is not None
        details = dict(plan.details)
        if not self.breaker.allow():
            self.metrics.llm.labels(outcome="breaker_open").inc()
            details["llm"] = "breaker_open"
            async for event in self._fallback(plan, details, offer_human=True):
                yield event
            return
        shown = ""
        raw = ""
        outcome = "ok"
        began = time.perf_counter()
        try:
            stream = self.llm.stream(
                plan.llm_messages,
                max_tokens=self.settings.llm_max_tokens,
                temperature=self.settings.llm_temperature,
            )
            async with (
                asyncio.timeout(self.settings.llm_timeout_seconds),
                asyncio.timeout(self.settings.llm_first_token_seconds) as first_token,
                # Closing the stream early closes the request: the LLM server stops generating.
                contextlib.aclosing(stream),
            ):
                async for piece in stream:
                    # The model is answering: from here only the whole-reply timeout applies.
                    first_token.reschedule(None)
                    raw += piece
                    complete = _complete_sentences(raw)
                    if complete is None:
                        continue
                    verdict = check_reply(complete, plan.guard)
                    if verdict.ok and verdict.text.startswith(shown) and verdict.text != shown:
                        new = verdict.text[len(shown) :]
                        shown = verdict.text
                        yield Delta(new)
                    elif not shown and _off_course(complete, verdict.reasons):
                        outcome = "abandoned"
                        break
            self.breaker.record_success()
        except TimeoutError:
            outcome = "timeout"
            self.breaker.record_failure()
        except LlmUnavailableError as exc:
            outcome = "error"
            details["llmError"] = str(exc)
            self.breaker.record_failure()
        except BaseException:
            self.breaker.release_probe()
            raise
        finally:
            self.metrics.llm.labels(outcome=outcome).inc()
            self.metrics.llm_latency.observe(time.perf_counter() - began)
        details["llm"] = outcome
        if outcome not in ("ok", "abandoned"):
            yield Notice(f"llm_{outcome}", _LLM_FAILED[plan.language])
            if shown:
                # Part of a checked model reply is already on screen: it stays, stored as
                # incomplete, followed by the stock list it was cut off from.
                text = _join(shown, plan.template, templates.fallback_suffix(plan.language))
                yield Delta(text[len(shown) :])
                yield Draft(text, plan.cards, MessageSource.MODEL, details, incomplete=True)
                return
            async for event in self._fallback(plan, details, offer_human=True):
                yield event
            return
        verdict = check_reply(raw, plan.guard)
        details["guard"] = [problem.to_json() for problem in verdict.problems]
        for problem in verdict.problems:
            self.metrics.guard.labels(reason=problem.reason.value).inc()
        if verdict.ok and verdict.text.startswith(shown):
            text = _join(verdict.text, plan.suffix)
            if len(text) > len(shown):
                yield Delta(text[len(shown) :])
            details["repaired"] = verdict.repaired
            yield Draft(text, plan.cards, MessageSource.MODEL, details)
            return
        if shown:
            # Later text failed the checks; what was shown passed them and stands alone.
            text = _join(shown, plan.suffix)
            if len(text) > len(shown):
                yield Delta(text[len(shown) :])
            details["repaired"] = True
            yield Draft(text, plan.cards, MessageSource.MODEL, details)
            return
        async for event in self._fallback(plan, details, offer_human=False):
            yield event

    async def _fallback(
        self, plan: Plan, details: dict[str, Any], *, offer_human: bool
    ) -> AsyncIterator[Delta | Draft]:
        extra = templates.fallback_suffix(plan.language) if offer_human else ""
        text = _join(plan.template, plan.suffix, extra)
        for piece in _pieces(text):
            yield Delta(piece)
        yield Draft(text, plan.cards, MessageSource.FALLBACK, details)

    # Health

    def breaker_state(self) -> dict[str, Any]:
        """Describe the circuit breaker."""
        return {
            "state": self.breaker.state,
            "consecutiveFailures": self.breaker.failures,
            "timesOpened": self.breaker.times_opened,
            "secondsUntilProbe": round(self.breaker.seconds_until_probe(), 1),
        }


async def _all_models(inventory: InventoryRepository) -> frozenset[str]:
    """Return the models of every dealer (a model from another dealer is still not ours)."""
    rows = (await inventory.session.scalars(select(Vehicle.model).distinct())).all()
    return frozenset(rows)


def _language(text: str, history: list[ChatMessage]) -> Language:
    """Answer in the customer's language; Spanish unless they clearly write English."""
    detected = detect_language(text)
    if detected is not None:
        return detected
    for message in reversed(history):
        if message.role == MessageRole.USER.value:
            earlier = detect_language(message.content)
            if earlier is not None:
                return earlier
    return "es"


def _complete_sentences(text: str) -> str | None:
    """Return the text up to its last finished sentence, or None if none is finished."""
    cut = max(text.rfind(mark) for mark in (". ", "! ", "? ", "\n", ".\n", "!\n", "?\n"))
    if cut < 0:
        return None
    return text[: cut + 1].rstrip()


def _pieces(text: str, size: int = 24) -> list[str]:
    """Split a ready text into small deltas, at spaces, so it streams like typing."""
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start, end)
            if space > start:
                end = space + 1
        pieces.append(text[start:end])
        start = end
    return pieces


def _join(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _dealer_out(dealer: Dealer) -> DealerOut:
    return DealerOut(
        id=dealer.id, slug=dealer.slug, name=dealer.name, assistant_name=dealer.assistant_name
    )


def _dump_cards(cards: list[VehicleCardOut]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json", by_alias=True) for c in cards]


def _transcript(message: ChatMessage) -> TranscriptMessage:
    return TranscriptMessage(
        id=message.id,
        role=MessageRole(message.role),
        content=message.content,
        source=MessageSource(message.source) if message.source else None,
        vehicles=[VehicleCardOut.model_validate(v) for v in message.vehicles],
        incomplete=message.incomplete,
        created_at=message.created_at,
    )
