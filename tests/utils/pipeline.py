"""The chatbot's services on an in-memory database with the demo stock and a fake LLM."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.auth import Caller, Role
from okla.chatbot.cache import Coordinator
from okla.chatbot.chat.access import SessionAccess
from okla.chatbot.chat.gate import Turn, TurnGate
from okla.chatbot.chat.schemas import MessageRequest, MessageResponse, ReplyOut, StartRequest
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.db import create_engine, migrate, session_factory
from okla.chatbot.inventory.service import CatalogCache, load_demo
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.models import ChatSession
from okla.chatbot.reply.plan import Plan
from okla.chatbot.services import Services, build_services
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.understanding.context import load_context
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.understand import understand
from tests.utils.fakes import FakeLlm
from tests.utils.staff import JWT_SECRET, PASSWORD


@dataclass
class Pipeline:
    """Everything a unit test of a chat turn reaches into."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    coordinator: Coordinator
    llm: FakeLlm
    breaker: CircuitBreaker
    services: Services

    @property
    def gate(self) -> TurnGate:
        return self.services.chat.gate

    @property
    def access(self) -> SessionAccess:
        return self.gate.access

    async def start(self, dealer: str | None = None) -> str:
        """Open a session; return its token."""
        started = await self.services.session.start(StartRequest(dealer_id=dealer), "test")
        return started.session_token

    @staticmethod
    def request(token: str, text: str) -> MessageRequest:
        return MessageRequest(session_token=token, message=text)

    async def advisor(
        self, role: Role, dealer: str | None, name: str = "Asesora de prueba"
    ) -> Caller:
        """Create a staff account; return it as a caller (as a verified token names it)."""
        address = f"{role.value}-{secrets.token_hex(4)}@example.com"
        member = await self.services.staff.add_user(dealer, address, name, role, PASSWORD)
        return Caller(member.id, member.role, member.dealer)

    async def turn(self, text: str, dealer: str | None = None) -> Turn:
        """Admit a message in a new session (its lock already released)."""
        token = await self.start(dealer)
        turn = await self.gate.admit(self.request(token, text), None, "test", None)
        assert isinstance(turn, Turn)
        await self.gate.release(turn)
        return turn

    async def plan(self, text: str, dealer: str | None = None) -> Plan:
        """Run the steps up to the plan for a message in a new session."""
        turn = await self.turn(text, dealer)
        context = await load_context(self.sessions, turn, CatalogCache())
        understood = understand(
            text,
            catalog=context.catalog,
            previous_query=turn.dialogue.search,
            earlier_messages=context.customer_messages,
            today_year=datetime.now(UTC).year,
        )
        return await self.services.chat.planner.plan(turn, context, understood)


def unit_settings(**overrides: object) -> ChatbotSettings:
    """Settings for services that never leave the process (the model always asked first)."""
    values: dict[str, object] = {
        "answer_mode": "model",
        "database_url": "sqlite+aiosqlite:///:memory:",
        "redis_url": None,
        "llm_base_url": "http://127.0.0.1:9/v1",  # unused: the fake LLM answers
        "llm_timeout_seconds": 5,
        "llm_first_token_seconds": 2,
        "breaker_cooldown_seconds": 60,
        "rate_limit_messages": "1000/minute",
        "rate_limit_sessions": "1000/minute",
        "rate_limit_token_misses": "1000/minute",
        "jwt_secret": JWT_SECRET,
        "rate_limit_logins": "1000/minute",
    }
    values.update(overrides)
    return ChatbotSettings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def pipeline(
    llm: FakeLlm | None = None, *, clock: Clock = system_clock, **overrides: object
) -> AsyncIterator[Pipeline]:
    """Build the services as the app's lifespan does, with the demo dealers loaded."""
    settings = unit_settings(**overrides)
    engine = create_engine(settings.database_url)
    await migrate(engine)
    sessions = session_factory(engine)
    await load_demo(sessions, clock().date())
    coordinator = Coordinator(None)
    fake = llm or FakeLlm()
    breaker = CircuitBreaker(settings.breaker_failure_threshold, settings.breaker_cooldown_seconds)
    try:
        yield Pipeline(
            settings,
            sessions,
            coordinator,
            fake,
            breaker,
            build_services(settings, sessions, coordinator, fake, breaker, clock),
        )
    finally:
        await coordinator.close()
        await engine.dispose()


@dataclass
class Customer:
    """One customer's session with the chatbot, turn by turn through the chat service."""

    chat: Pipeline
    token: str
    session_id: str = ""
    answered: MessageResponse | None = None

    async def say(self, text: str) -> str:
        """Send a message; return the reply's text (the whole response is `last`)."""
        response = await self.chat.services.chat.message(
            self.chat.request(self.token, text), None, "t", None
        )
        assert response.reply is not None
        self.answered = response
        return response.reply.content

    @property
    def last(self) -> MessageResponse:
        """Return the last response."""
        assert self.answered is not None
        return self.answered

    @property
    def reply(self) -> ReplyOut:
        """Return the last reply."""
        assert self.last.reply is not None
        return self.last.reply

    async def state(self) -> DialogueState:
        """Return the session's dialogue state as stored."""
        async with self.chat.sessions() as db:
            session = await db.get(ChatSession, await self.id())
            assert session is not None
            return DialogueState.from_json(session.dialogue)

    async def id(self) -> str:
        """Return the session's id."""
        if not self.session_id:
            transcript = await self.chat.services.session.transcript(self.token, "t")
            self.session_id = transcript.session_id
        return self.session_id


async def customer(chat: Pipeline, dealer: str | None = None) -> Customer:
    """Open a session for a new customer."""
    return Customer(chat, await chat.start(dealer))
