"""Nobody answers: a wait longer than HANDOFF_WAIT_SECONDS (on the app's clock), or a closed
dealer, hands the conversation back to the bot, which offers a call and answers the stock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from okla.chatbot.auth import Role
from okla.chatbot.chat.domain import Handoff, MessageRole
from okla.chatbot.chat.schemas import MessageRequest, TransferRequest
from okla.chatbot.leads.domain import LeadInterest
from okla.chatbot.live.broker import Subscription
from okla.chatbot.live.domain import EventKind, dealer_stream, session_stream
from okla.chatbot.models import ChatMessage
from tests.utils.desk import dealer_id
from tests.utils.live import RunningClock
from tests.utils.pipeline import Pipeline, pipeline
from tests.utils.services import fresh_postgres
from tests.utils.staff import ADP

WAIT = 120


@pytest.fixture
def clock() -> RunningClock:
    return RunningClock()


@pytest.fixture
async def chat(clock: RunningClock) -> AsyncIterator[Pipeline]:
    async with pipeline(clock=clock, handoff_wait_seconds=WAIT) as built:
        yield built


async def waiting(chat: Pipeline) -> tuple[str, str]:
    """Open a session that asked for a person; return its token and id."""
    token = await chat.start(ADP)
    out = await chat.services.session.transfer(TransferRequest(session_token=token), "t")
    return token, out.session_id


async def say(chat: Pipeline, token: str, text: str) -> str | None:
    response = await chat.services.chat.message(
        MessageRequest(session_token=token, message=text), None, "t", None
    )
    return None if response.reply is None else response.reply.content


async def next_kind(subscription: Subscription) -> tuple[EventKind, dict[str, object]]:
    envelope = await subscription.next(2)
    assert envelope is not None
    return envelope.kind, json.loads(envelope.data)


async def test_after_the_wait_the_bot_says_so_offers_a_call_and_answers_again(
    chat: Pipeline, clock: RunningClock
) -> None:
    token, session_id = await waiting(chat)
    dealer = dealer_stream(await dealer_id(chat.sessions, ADP))
    broker = chat.services.live.broker
    async with (
        broker.subscribe(dealer, None) as advisors,
        broker.subscribe(session_stream(session_id), None) as widget,
    ):
        clock.advance(WAIT - 5)
        assert await say(chat, token, "¿hola?") is None  # still waiting: the bot keeps quiet
        assert (await next_kind(advisors))[0] == EventKind.MESSAGE
        clock.advance(10)
        transcript = await chat.services.session.transcript(token, "t")  # the widget's poll
        assert transcript.handoff == Handoff.BOT
        notice = transcript.messages[-1]
        assert notice.role == MessageRole.ASSISTANT
        assert "ningún asesor ha podido tomar la conversación" in notice.content
        assert "Si me dejas tu nombre y tu teléfono" in notice.content
        kind, data = await next_kind(widget)
        assert (kind, data["content"]) == (EventKind.RETURNED, notice.content)
        kind, data = await next_kind(advisors)
        assert (kind, data["reason"], data["handoff"]) == (
            EventKind.RETURNED,
            "nobodyAnswered",
            "Bot",
        )
        # The contact form reads the answer to the offer: a callback lead.
        confirmation = await say(chat, token, "Juan Pérez 809-555-1234")
        assert confirmation is not None and "809-555-1234" in confirmation
        kind, data = await next_kind(advisors)
        assert (kind, data["interest"], data["sessionId"]) == (
            EventKind.LEAD,
            LeadInterest.CALLBACK.value,
            session_id,
        )
    answer = await chat.services.chat.message(
        MessageRequest(session_token=token, message="¿qué yipetas tienen?"), None, "t", None
    )
    assert answer.reply is not None and answer.reply.vehicles  # the stock, from the bot
    # The advisor's transcript shows the lead the conversation left.
    ana = await chat.advisor(Role.AGENT, ADP, "Ana")
    seen = await chat.services.advisors.transcript(ana, session_id)
    assert seen.lead is not None
    assert (seen.lead.name, seen.lead.phone) == ("Juan Pérez", "+18095551234")
    assert seen.lead.interest == "Callback" and seen.bookings == []


async def test_the_customer_s_next_message_looks_at_the_wait_too(
    chat: Pipeline, clock: RunningClock
) -> None:
    token, _ = await waiting(chat)
    clock.advance(WAIT + 1)
    answer = await chat.services.chat.message(
        MessageRequest(session_token=token, message="¿qué yipetas tienen?"), None, "t", None
    )
    assert answer.reply is not None and answer.reply.vehicles
    transcript = await chat.services.session.transcript(token, "t")
    roles = [m.role for m in transcript.messages[-3:]]
    assert roles == [MessageRole.ASSISTANT, MessageRole.USER, MessageRole.ASSISTANT]
    assert "ningún asesor" in transcript.messages[-3].content


async def test_a_claimed_conversation_is_never_handed_back(
    chat: Pipeline, clock: RunningClock
) -> None:
    token, session_id = await waiting(chat)
    ana = await chat.advisor(Role.AGENT, ADP, "Ana")
    await chat.services.advisors.claim(ana, session_id)
    clock.advance(WAIT * 10)
    assert await say(chat, token, "¿sigues ahí?") is None
    transcript = await chat.services.session.transcript(token, "t")
    assert transcript.handoff == Handoff.WITH_AGENT


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of separate connections (an in-memory SQLite one shares one)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'waiting.db'}"
    else:
        with fresh_postgres() as url:
            yield url


@pytest.mark.integration
async def test_replicas_looking_at_once_tell_the_customer_once(
    database_url: str, clock: RunningClock
) -> None:
    async with pipeline(clock=clock, handoff_wait_seconds=WAIT, database_url=database_url) as chat:
        _, session_id = await waiting(chat)
        clock.advance(WAIT + 1)
        checks = (chat.services.feeds.waiting.check(session_id) for _ in range(6))
        await asyncio.gather(*checks)
        await _one_notice(chat, session_id)


async def _one_notice(chat: Pipeline, session_id: str) -> None:
    async with chat.sessions() as db:
        notices = await db.scalar(
            select(func.count())
            .select_from(ChatMessage)
            .where(
                ChatMessage.session_id == session_id,
                ChatMessage.content.like("%ningún asesor%"),
            )
        )
    assert notices == 1


async def test_a_closed_dealer_hands_the_wait_back_at_once() -> None:
    # Sunday 29 November 2026, 03:00 in Santo Domingo: closed; it opens Monday at 8:00.
    sunday = RunningClock(start=datetime.fromisoformat("2026-11-29T03:00:00-04:00"))
    async with pipeline(clock=sunday, handoff_wait_seconds=WAIT) as chat:
        token, session_id = await waiting(chat)
        dealer = dealer_stream(await dealer_id(chat.sessions, ADP))
        async with chat.services.live.broker.subscribe(dealer, None) as advisors:
            transcript = await chat.services.session.transcript(token, "t")
            assert transcript.handoff == Handoff.BOT
            notice = transcript.messages[-1].content
            assert "no hay un asesor disponible" in notice and "abrimos" in notice
            kind, data = await next_kind(advisors)
            assert (kind, data["reason"]) == (EventKind.RETURNED, "dealerClosed")
