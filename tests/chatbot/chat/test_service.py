"""A whole chat turn through the services: stored once, streamed in order, freed on failure."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from okla.chatbot.auth import Caller, Role
from okla.chatbot.chat.domain import Handoff, MessageRole, MessageSource, SessionStatus
from okla.chatbot.chat.events import ChatEvent, EventName
from okla.chatbot.chat.gate import Turn
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import MessageResponse, TransferRequest
from okla.chatbot.chat.store import ReplyStore
from okla.chatbot.reply.draft import Draft, Silence
from tests.utils.fakes import FakeMode
from tests.utils.live import RunningClock
from tests.utils.pipeline import Pipeline, pipeline


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline() as built:
        yield built


@pytest.fixture
async def open_chat() -> AsyncIterator[Pipeline]:
    """The services on a clock at an hour the demo dealer is open (an advisor may come)."""
    async with pipeline(clock=RunningClock()) as built:
        yield built


async def collect(stream: AsyncIterator[ChatEvent]) -> list[ChatEvent]:
    return [event async for event in stream]


async def test_a_message_is_answered_and_stored(chat: Pipeline) -> None:
    token = await chat.start()
    response = await chat.services.chat.message(
        chat.request(token, "¿Qué yipetas tienen?"), None, "t", None
    )
    assert response.session_status == SessionStatus.ACTIVE
    assert response.reply is not None and response.reply.vehicles
    transcript = await chat.services.session.transcript(token, "t")
    assert [m.role for m in transcript.messages] == [
        MessageRole.ASSISTANT,
        MessageRole.USER,
        MessageRole.ASSISTANT,
    ]
    assert transcript.messages[-1].content == response.reply.content
    async with chat.sessions() as db:
        stored = await ChatRepository(db).message(response.reply.id)
    assert stored is not None
    assert stored.details["query"]["bodyTypes"] == ["SUV"]
    assert stored.details["llm"] == "ok"


async def test_each_model_call_names_its_session_for_the_llm_router(chat: Pipeline) -> None:
    # The router keeps a conversation on one LLM replica by this key (its prompt cache).
    first, second = await chat.start(), await chat.start()
    for token in (first, second, first):
        await chat.services.chat.message(
            chat.request(token, "¿Qué yipetas tienen?"), None, "t", None
        )
    ids = [(await chat.services.session.transcript(t, "t")).session_id for t in (first, second)]
    assert chat.llm.affinities == [ids[0], ids[1], ids[0]]


async def test_the_events_come_in_order_and_add_up_to_the_reply(chat: Pipeline) -> None:
    token = await chat.start()
    found = await collect(
        chat.services.chat.message_events(
            chat.request(token, "¿Qué yipetas tienen?"), None, "t", None
        )
    )
    names = [e.name for e in found]
    assert names[0] == EventName.ACK
    assert names[-2:] == [EventName.VEHICLES, EventName.DONE]
    assert names.count(EventName.DELTA) >= 2
    done = found[-1].data
    reply = done["reply"]
    assert isinstance(reply, dict)
    assert (
        "".join(str(e.data["text"]) for e in found if e.name == EventName.DELTA)
        == (reply["content"])
    )
    assert found[-2].data["vehicles"] == reply["vehicles"]
    assert found[0].data["messageId"] == done["messageId"]


async def test_a_replay_streams_the_stored_reply_without_the_model(chat: Pipeline) -> None:
    token = await chat.start()
    request = chat.request(token, "¿Qué camionetas tienen?")
    first = await chat.services.chat.message(request, "key-1", "t", None)
    calls = len(chat.llm.calls)
    replayed = await collect(chat.services.chat.message_events(request, "key-1", "t", None))
    assert [e.name for e in replayed] == [
        EventName.ACK,
        EventName.DELTA,
        EventName.VEHICLES,
        EventName.DONE,
    ]
    assert replayed[-1].data == first.model_dump(mode="json", by_alias=True)
    assert len(chat.llm.calls) == calls


async def test_a_failed_model_is_a_notice_then_the_stock(chat: Pipeline) -> None:
    chat.llm.mode = FakeMode.ERROR
    token = await chat.start()
    found = await collect(
        chat.services.chat.message_events(
            chat.request(token, "¿Qué yipetas tienen?"), None, "t", None
        )
    )
    notices = [e for e in found if e.name == EventName.NOTICE]
    assert [n.data["code"] for n in notices] == ["llm_error"]
    reply = found[-1].data["reply"]
    assert isinstance(reply, dict) and reply["source"] == MessageSource.FALLBACK


async def test_the_bot_is_quiet_while_a_salesperson_has_the_session(open_chat: Pipeline) -> None:
    chat = open_chat
    token = await chat.start()
    await chat.services.session.transfer(TransferRequest(session_token=token), "t")
    response = await chat.services.chat.message(
        chat.request(token, "¿Tienen yipetas?"), None, "t", None
    )
    assert response.reply is None
    assert response.session_status == SessionStatus.PENDING_TRANSFER
    assert chat.llm.calls == []


async def test_asking_for_a_person_hands_the_session_over(open_chat: Pipeline) -> None:
    chat = open_chat
    token = await chat.start()
    response = await chat.services.chat.message(
        chat.request(token, "Quiero hablar con un asesor"), None, "t", None
    )
    assert response.session_status == SessionStatus.PENDING_TRANSFER
    session = await chat.services.session.transcript(token, "t")
    assert session.handoff == Handoff.WAITING
    # Asking again while waiting queues nothing more.
    again = await chat.services.chat.message(
        chat.request(token, "Por favor, un asesor"), None, "t", None
    )
    assert again.reply is None and again.session_status == SessionStatus.PENDING_TRANSFER
    pending = await chat.services.advisors.queue(Caller("operator", Role.ADMIN, None))
    assert [(p.session_id, p.handoff) for p in pending] == [(session.session_id, Handoff.WAITING)]


class BrokenStore(ReplyStore):
    """A store whose disk is full."""

    async def save(self, turn: Turn, answer: Draft | Silence) -> MessageResponse:
        raise OSError("disk full")


async def test_a_failing_store_frees_the_session_and_the_key(chat: Pipeline) -> None:
    token = await chat.start()
    service = chat.services.chat
    broken = dataclasses.replace(service, store=BrokenStore(chat.settings, chat.sessions))
    with pytest.raises(OSError):
        await broken.message(chat.request(token, "Hola"), "key-2", "t", None)
    # Neither the lock nor the key is left behind: the retry runs and is answered.
    retried = await service.message(chat.request(token, "Hola"), "key-2", "t", None)
    assert retried.reply is not None
    transcript = await chat.services.session.transcript(token, "t")
    # The retry answers the message the failed attempt stored: the customer said it once.
    assert [m.content for m in transcript.messages].count("Hola") == 1


async def test_the_model_is_sent_the_history_and_the_vehicles(chat: Pipeline) -> None:
    token = await chat.start()
    await chat.services.chat.message(chat.request(token, "Hola"), None, "t", None)
    await chat.services.chat.message(chat.request(token, "¿Qué yipetas tienen?"), None, "t", None)
    sent = chat.llm.calls[-1]
    # The greeting that opened the session is not history: history starts with the customer.
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assert sent[1]["content"] == "Hola"
    assert sent[-1]["content"].startswith("¿Qué yipetas tienen?")
    assert "Vehículos disponibles" in sent[-1]["content"]
