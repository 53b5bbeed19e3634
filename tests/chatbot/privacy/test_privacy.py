"""Customers' data is kept RETENTION_DAYS at most, and one customer's is removed on request;
on SQLite and on PostgreSQL, with several processes at it at once."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.bookings.domain import AppointmentStatus
from okla.chatbot.chat.access import hash_token
from okla.chatbot.chat.domain import MessageRole, SessionStatus, SessionType
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.db import create_engine, session_factory
from okla.chatbot.leads.domain import LeadInterest
from okla.chatbot.models import (
    Appointment,
    AppointmentClaim,
    ChatMessage,
    ChatSession,
    Dealer,
    Lead,
    OutboxEvent,
    Transfer,
    utcnow,
)
from okla.chatbot.outbox.domain import EventKind
from okla.chatbot.privacy.domain import Forgotten, Purged
from okla.chatbot.privacy.service import PrivacyService
from okla.cli import main
from tests.utils.pipeline import Pipeline, pipeline
from tests.utils.services import fresh_postgres

pytestmark = pytest.mark.integration

PHONE = "+18095550142"
NOW = utcnow()


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Pipeline]:
    async with pipeline(database_url=database_url) as built:
        yield built


@dataclass
class Data:
    """Rows made for a test, by what the test calls them."""

    sessions: async_sessionmaker[AsyncSession]

    async def dealer(self, slug: str = "auto-dominicana-premium") -> str:
        async with self.sessions() as db:
            found = await db.scalar(select(Dealer.id).where(Dealer.slug == slug))
            assert found is not None
            return found

    async def session(
        self,
        *texts: str,
        ended: datetime | None = None,
        expires: datetime | None = None,
        reason: str | None = None,
        dealer: str | None = None,
    ) -> str:
        """Make a session with these customer messages (and a transfer, if a reason)."""
        dealer_id = dealer or await self.dealer()
        async with self.sessions() as db:
            chat = ChatSession(
                token_hash=hash_token(secrets.token_urlsafe(16)),
                dealer_id=dealer_id,
                session_type=SessionType.WEB_CHAT,
                status=SessionStatus.ENDED if ended else SessionStatus.ACTIVE,
                meta={"page": "/autos"},
                dialogue={"focus": "x"},
                created_at=days_ago(400),
                last_activity_at=days_ago(400),
                expires_at=expires or NOW + timedelta(hours=1),
                ended_at=ended,
            )
            db.add(chat)
            await db.flush()
            repo = ChatRepository(db)
            await repo.add_message(chat.id, MessageRole.ASSISTANT, "Hola, soy Ana.")
            for text in texts:
                await repo.add_message(chat.id, MessageRole.USER, text)
            if reason is not None:
                await repo.add_transfer(chat.id, reason)
            await db.commit()
            return chat.id

    async def lead(self, phone: str, *, updated: datetime = NOW, session: str | None = None,
                   dealer: str | None = None) -> str:  # fmt: skip
        async with self.sessions() as db:
            lead = Lead(
                dealer_id=dealer or await self.dealer(), session_id=session, name="Ana",
                phone_e164=phone, interest=LeadInterest.CALLBACK, consent="Sí",
                created_at=updated, updated_at=updated,
            )  # fmt: skip
            db.add(lead)
            await db.commit()
            return lead.id

    async def appointment(self, phone: str, *, end: datetime, lead: str | None = None) -> str:
        async with self.sessions() as db:
            booked = Appointment(
                dealer_id=await self.dealer(), lead_id=lead, start=end - timedelta(hours=1),
                end=end, status=AppointmentStatus.BOOKED, name="Ana",
                phone_e164=phone, ics_token_hash=secrets.token_hex(32),
                created_at=end, updated_at=end,
            )  # fmt: skip
            db.add(booked)
            await db.flush()
            first = int(booked.start.timestamp()) // 60
            db.add_all(
                AppointmentClaim(
                    appointment_id=booked.id, minute=minute, dealer_id=booked.dealer_id, seat=0
                )
                for minute in range(first, first + 60)
            )
            await db.commit()
            return booked.id

    async def event(self, payload: dict[str, object], *, created: datetime = NOW) -> str:
        async with self.sessions() as db:
            event = OutboxEvent(
                dealer_id=await self.dealer(), kind=EventKind.LEAD_CREATED, payload=payload,
                created_at=created, next_attempt_at=created,
            )  # fmt: skip
            db.add(event)
            await db.commit()
            return event.id

    async def messages(self, session_id: str) -> int:
        async with self.sessions() as db:
            count = await db.scalar(
                select(func.count())
                .select_from(ChatMessage)
                .where(ChatMessage.session_id == session_id)
            )
            return int(count or 0)

    async def claims(self, appointment_id: str) -> int:
        async with self.sessions() as db:
            count = await db.scalar(
                select(func.count())
                .select_from(AppointmentClaim)
                .where(AppointmentClaim.appointment_id == appointment_id)
            )
            return int(count or 0)

    async def exists(self, table: type[object], row_id: str) -> bool:
        async with self.sessions() as db:
            return await db.get(table, row_id) is not None


async def test_retention_erases_what_is_older_than_the_period(app: Pipeline) -> None:
    data = Data(app.sessions)
    ended_long_ago = await data.session(
        "Mi número es 809-555-0142", ended=days_ago(200), expires=days_ago(199),
        reason="Llámenme",
    )  # fmt: skip
    expired_long_ago = await data.session("Hola", expires=days_ago(181))
    ended_lately = await data.session("Hola", ended=days_ago(10), expires=days_ago(9))
    active = await data.session("Hola")
    old_lead = await data.lead("+18295550187", updated=days_ago(200))
    new_lead = await data.lead("+18495550199")
    old_booking = await data.appointment("+18295550187", end=days_ago(190))
    old_event = await data.event({"phone": "+18295550187"}, created=days_ago(200))
    new_event = await data.event({"phone": "+18495550199"})

    purged = await PrivacyService(app.settings, app.sessions).purge()

    assert purged == Purged(sessions=2, messages=4, leads=1, appointments=1, events=1, claims=0)
    assert await data.messages(ended_long_ago) == 0
    assert await data.messages(expired_long_ago) == 0
    assert await data.messages(ended_lately) == 2
    assert await data.messages(active) == 2
    async with app.sessions() as db:
        erased = await db.get(ChatSession, ended_long_ago)
        assert erased is not None and erased.meta == {} and erased.dialogue is None
        reasons = await db.scalars(
            select(Transfer.reason).where(Transfer.session_id == ended_long_ago)
        )
        assert list(reasons) == [None]
    assert not await data.exists(Lead, old_lead) and await data.exists(Lead, new_lead)
    assert not await data.exists(Appointment, old_booking)
    assert not await data.exists(OutboxEvent, old_event)
    assert await data.exists(OutboxEvent, new_event)
    # Nothing is left to do; and with a longer period, nothing was due at all.
    assert not await PrivacyService(app.settings, app.sessions).purge()


async def test_several_processes_may_run_it_at_once(app: Pipeline, database_url: str) -> None:
    data = Data(app.sessions)
    due = [await data.session("Hola", ended=days_ago(200), expires=days_ago(200)) for _ in range(5)]
    engines = [create_engine(database_url) for _ in range(3)]
    try:
        services = [PrivacyService(app.settings, session_factory(e)) for e in engines]
        results = await asyncio.gather(*(s.purge() for s in services))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(r.messages for r in results) == 10
    assert [await data.messages(s) for s in due] == [0] * 5


async def test_the_job_runs_in_the_background(database_url: str) -> None:
    async with pipeline(database_url=database_url, retention_interval_seconds=0.2) as built:
        data = Data(built.sessions)
        old = await data.session("Hola", ended=days_ago(365), expires=days_ago(365))
        built.services.privacy.start()
        try:
            for _ in range(100):
                if await data.messages(old) == 0:
                    break
                await asyncio.sleep(0.05)
        finally:
            await built.services.privacy.close()
        assert await data.messages(old) == 0


async def test_forget_removes_one_customer_s_data(app: Pipeline) -> None:
    data = Data(app.sessions)
    other_dealer = await data.dealer("motores-del-cibao")
    theirs = [
        await data.session("Hola", "mi cel es (809) 555-0142"),
        await data.session("8095550142 llámame"),
        await data.session("Hola", reason="Al +1 809.555.0142 por favor"),
        await data.session("tel 809 555 01 42", dealer=other_dealer),
    ]
    others = await data.session("Mi número es 829-555-0187", ended=days_ago(1))
    linked = await data.session("Quiero una prueba de manejo")  # the lead's own session
    lead = await data.lead(PHONE, session=linked)
    lead_elsewhere = await data.lead(PHONE, dealer=other_dealer)
    other_lead = await data.lead("+18295550187", session=others)
    booking = await data.appointment(PHONE, end=NOW + timedelta(days=2), lead=lead)
    event = await data.event({"leadId": lead, "name": "Ana"})
    phone_event = await data.event({"lead": {"phone": "+1 809-555-0142"}})
    other_event = await data.event({"leadId": other_lead})

    gone = await PrivacyService(app.settings, app.sessions).forget_phone(PHONE)

    assert gone == Forgotten(sessions=5, messages=11, leads=2, appointments=1, events=2)
    for session_id in [*theirs, linked]:
        assert not await data.exists(ChatSession, session_id)
        assert await data.messages(session_id) == 0
    assert await data.messages(others) == 2
    assert not await data.exists(Lead, lead) and not await data.exists(Lead, lead_elsewhere)
    assert not await data.exists(Appointment, booking)
    assert not await data.exists(OutboxEvent, event)
    assert not await data.exists(OutboxEvent, phone_event)
    assert await data.exists(Lead, other_lead) and await data.exists(OutboxEvent, other_event)
    assert await PrivacyService(app.settings, app.sessions).forget_phone(PHONE) == Forgotten()


def test_okla_chat_forget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"

    async def seed() -> None:
        async with pipeline(database_url=url) as built:
            await Data(built.sessions).session("Mi número: 809-555-0142")
            await Data(built.sessions).lead(PHONE)

    asyncio.run(seed())
    assert main(["chat", "forget", "--phone", "(809) 555-0142", "--database-url", url]) == 0
    assert capsys.readouterr().out.strip() == (
        "+18095550142: deleted 1 sessions (2 messages), 1 leads, 0 appointments, 0 webhook events"
    )
    assert main(["chat", "forget", "--phone", "12", "--database-url", url]) == 1
    assert "not a valid phone number" in capsys.readouterr().err


async def test_retention_drops_the_claimed_minutes_of_past_test_drives(app: Pipeline) -> None:
    # A booking claims each of its minutes (the database refuses overlaps); once it is over,
    # those rows guard nothing, though the booking itself is kept for the retention period.
    data = Data(app.sessions)
    past = await data.appointment("+18295550187", end=days_ago(3))
    coming = await data.appointment("+18495550199", end=days_ago(-2))

    purged = await PrivacyService(app.settings, app.sessions).purge()

    assert purged == Purged(claims=60)
    assert await data.exists(Appointment, past)
    assert await data.claims(past) == 0
    assert await data.claims(coming) == 60
