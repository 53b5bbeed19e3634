"""The handoff, step by step: who may claim, reply, release, close and return, and for which
dealer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from okla.chatbot.advisors.schemas import AgentReply
from okla.chatbot.auth import Caller, Role
from okla.chatbot.chat.domain import Handoff, MessageRole, SessionStatus
from okla.chatbot.chat.schemas import TransferRequest
from okla.chatbot.errors import ConflictError, NotFoundError
from okla.chatbot.models import Transfer
from tests.utils.live import RunningClock
from tests.utils.pipeline import Pipeline, pipeline
from tests.utils.staff import ADP, CIBAO


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    # The demo dealer is open on this clock, whatever the hour the tests run at.
    async with pipeline(clock=RunningClock()) as built:
        yield built


async def waiting(chat: Pipeline, dealer: str = ADP) -> tuple[str, str]:
    """Start a session that asked for a person; return its token and id."""
    token = await chat.start(dealer)
    response = await chat.services.session.transfer(TransferRequest(session_token=token), "t")
    return token, response.session_id


async def say(chat: Pipeline, token: str, text: str) -> str | None:
    response = await chat.services.chat.message(chat.request(token, text), None, "t", None)
    return response.reply.content if response.reply else None


def reply(text: str) -> AgentReply:
    return AgentReply(message=text)


async def test_a_second_transfer_while_waiting_queues_nothing_more(chat: Pipeline) -> None:
    token, session_id = await waiting(chat)
    again = await chat.services.session.transfer(TransferRequest(session_token=token), "t")
    assert again.status == SessionStatus.PENDING_TRANSFER
    async with chat.sessions() as db:
        transfers = (await db.execute(Transfer.__table__.select())).all()
    assert len(transfers) == 1 and again.transfer_id == transfers[0].id
    transcript = await chat.services.session.transcript(token, "t")
    assert [m.role for m in transcript.messages].count(MessageRole.SYSTEM) == 1
    queue = await chat.services.advisors.queue(await chat.advisor(Role.AGENT, ADP))
    assert [q.session_id for q in queue] == [session_id]


async def test_the_whole_handoff_claim_reply_close_and_the_bot_again(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP, "Ana Pérez")
    token, session_id = await waiting(chat)
    assert await say(chat, token, "¿Hay alguien?") is None, "the bot is quiet while waiting"
    claimed = await advisors.claim(ana, session_id)
    assert claimed.handoff == Handoff.WITH_AGENT
    assert claimed.claimed_by is not None and claimed.claimed_by.name == "Ana Pérez"
    assert (await advisors.claim(ana, session_id)).handoff == Handoff.WITH_AGENT, "idempotent"
    await advisors.reply(ana, session_id, reply("Hola, soy Ana. ¿En qué te ayudo?"))
    assert await say(chat, token, "Busco una yipeta") is None, "the bot is quiet with an agent"
    transcript = await advisors.transcript(ana, session_id)
    agent = [m for m in transcript.messages if m.role == MessageRole.AGENT]
    assert [(m.content, m.author and m.author.name) for m in agent] == [
        ("Hola, soy Ana. ¿En qué te ayudo?", "Ana Pérez")
    ]
    assert any("Ana Pérez" in m.content for m in transcript.messages if m.role == "system")
    closed = await advisors.close(ana, session_id)
    assert (closed.handoff, closed.claimed_by) == (Handoff.CLOSED, None)
    customer = await chat.services.session.transcript(token, "t")
    assert customer.status == SessionStatus.ACTIVE and customer.handoff == Handoff.CLOSED
    assert customer.messages[-1].role == MessageRole.SYSTEM
    assert await say(chat, token, "¿Qué yipetas tienen?") is not None, "back with the bot"
    with pytest.raises(ConflictError):
        await advisors.reply(ana, session_id, reply("¿Sigues ahí?"))
    assert await advisors.queue(ana) == []
    # A new request for a person opens another handoff.
    await chat.services.session.transfer(TransferRequest(session_token=token), "t")
    assert [q.handoff for q in await advisors.queue(ana)] == [Handoff.WAITING]


async def test_only_the_advisor_who_claimed_replies_until_released(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP)
    luis = await chat.advisor(Role.AGENT, ADP)
    _token, session_id = await waiting(chat)
    with pytest.raises(ConflictError, match="claim it before"):
        await advisors.reply(ana, session_id, reply("Hola"))
    await advisors.claim(ana, session_id)
    for action in (advisors.claim, advisors.release, advisors.close, advisors.return_to_bot):
        with pytest.raises(ConflictError, match="Another advisor"):
            await action(luis, session_id)
    with pytest.raises(ConflictError, match="Another advisor"):
        await advisors.reply(luis, session_id, reply("Hola"))
    released = await advisors.release(ana, session_id)
    assert (released.handoff, released.claimed_by) == (Handoff.WAITING, None)
    with pytest.raises(ConflictError):
        await advisors.reply(ana, session_id, reply("Hola"))
    await advisors.claim(luis, session_id)
    await advisors.reply(luis, session_id, reply("Hola, soy Luis"))


async def test_a_manager_may_release_or_close_an_agent_s_conversation(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP)
    boss = await chat.advisor(Role.MANAGER, ADP)
    _token, session_id = await waiting(chat)
    await advisors.claim(ana, session_id)
    assert (await advisors.release(boss, session_id)).handoff == Handoff.WAITING
    await advisors.claim(ana, session_id)
    assert (await advisors.return_to_bot(boss, session_id)).handoff == Handoff.BOT
    with pytest.raises(ConflictError, match="not with the advisors"):
        await advisors.claim(ana, session_id)


async def test_return_gives_the_customer_back_to_the_bot(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP)
    token, session_id = await waiting(chat)
    # A waiting conversation nobody claimed may be returned or closed without a claim.
    assert (await advisors.return_to_bot(ana, session_id)).handoff == Handoff.BOT
    assert await say(chat, token, "¿Qué yipetas tienen?") is not None
    with pytest.raises(ConflictError):
        await advisors.close(ana, session_id)
    with pytest.raises(ConflictError):
        await advisors.release(ana, session_id)


async def test_an_ended_conversation_takes_no_advisor_message(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP)
    token, session_id = await waiting(chat)
    await advisors.claim(ana, session_id)
    await chat.services.session.end(token, "t")
    for action in (advisors.claim, advisors.release, advisors.close, advisors.return_to_bot):
        with pytest.raises(ConflictError, match="ended"):
            await action(ana, session_id)
    with pytest.raises(ConflictError, match="ended"):
        await advisors.reply(ana, session_id, reply("Hola"))
    assert await advisors.queue(ana) == []


async def test_another_dealer_s_conversations_are_missing(chat: Pipeline) -> None:
    advisors = chat.services.advisors
    ana = await chat.advisor(Role.AGENT, ADP)
    carlos = await chat.advisor(Role.MANAGER, CIBAO)
    operator = await chat.advisor(Role.ADMIN, None)
    _token, ours = await waiting(chat, ADP)
    _token, theirs = await waiting(chat, CIBAO)
    assert [q.session_id for q in await advisors.queue(ana)] == [ours]
    assert [q.session_id for q in await advisors.queue(carlos)] == [theirs]
    assert {q.session_id for q in await advisors.queue(operator)} == {ours, theirs}
    for action in (advisors.claim, advisors.release, advisors.close, advisors.return_to_bot):
        with pytest.raises(NotFoundError):
            await action(carlos, ours)
    with pytest.raises(NotFoundError):
        await advisors.transcript(carlos, ours)
    with pytest.raises(NotFoundError):
        await advisors.reply(carlos, ours, reply("Hola"))
    # An unknown id is the same answer.
    with pytest.raises(NotFoundError):
        await advisors.transcript(ana, "00000000-0000-0000-0000-000000000000")
    await advisors.claim(ana, ours)
    forged = Caller(ana.subject, Role.AGENT, CIBAO)  # Ana's id with another dealer: still not
    with pytest.raises(NotFoundError):
        await advisors.reply(forged, ours, reply("Hola"))
