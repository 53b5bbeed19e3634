"""The turn gate: one message per session at a time, each Idempotency-Key's message once."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from okla.chatbot.chat.domain import MessageRole
from okla.chatbot.chat.gate import LOCK_LEASE_SECONDS, Replay, Turn
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.errors import (
    ConflictError,
    SessionNotFoundError,
    TooManyRequestsError,
    UnprocessableError,
)
from okla.chatbot.inventory.domain import BodyType
from okla.chatbot.reply.draft import Silence
from tests.utils.pipeline import Pipeline, pipeline


@pytest.fixture(scope="module")
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline(reply_margin_seconds=3.0) as built:
        yield built


async def admitted(chat: Pipeline, token: str, text: str, key: str | None = None) -> Turn:
    turn = await chat.gate.admit(chat.request(token, text), key, "198.51.100.7", None)
    assert isinstance(turn, Turn)
    return turn


async def test_admitting_stores_the_message_and_names_the_assistant(chat: Pipeline) -> None:
    token = await chat.start("motores-del-cibao")
    turn = await admitted(chat, token, "¿Tienen yipetas?")
    await chat.gate.release(turn)
    assert turn.text == "¿Tienen yipetas?"
    assert turn.assistant.name == "Carlos"
    assert turn.assistant.dealer_name == "Motores del Cibao"
    # The dealer's profile comes with the row the gate reads anyway.
    assert turn.assistant.profile.whatsapp == "849-555-0201"
    assert turn.assistant.profile.has_hours
    assert turn.dialogue.search is None
    assert turn.deadline == math.inf
    async with chat.sessions() as db:
        stored = await ChatRepository(db).message(turn.message_id)
    assert stored is not None
    assert (stored.role, stored.content) == (MessageRole.USER, "¿Tienen yipetas?")


async def test_the_saved_search_comes_with_the_next_turn(chat: Pipeline) -> None:
    token = await chat.start()
    await chat.services.chat.message(chat.request(token, "Busco una yipeta"), None, "t", None)
    turn = await admitted(chat, token, "¿y en gasolina?")
    await chat.gate.release(turn)
    assert turn.dialogue.search is not None
    assert turn.dialogue.search.body_types == {BodyType.SUV}
    assert turn.dialogue.shown, "the cards shown are remembered"


async def test_a_second_message_waits_for_the_first(chat: Pipeline) -> None:
    token = await chat.start()
    first = await admitted(chat, token, "Hola")
    with pytest.raises(ConflictError) as refused:
        await admitted(chat, token, "¿Hay carros?")
    assert refused.value.field == "sessionToken"
    await chat.gate.release(first)
    second = await admitted(chat, token, "¿Hay carros?")
    await chat.gate.release(second)


async def test_a_refused_message_frees_its_idempotency_key(chat: Pipeline) -> None:
    token = await chat.start()
    first = await admitted(chat, token, "Hola")
    with pytest.raises(ConflictError):
        await admitted(chat, token, "¿Hay carros?", key="k-refused")
    await chat.gate.release(first)
    # The retry of the refused request runs: it was not recorded as answered or pending.
    retried = await admitted(chat, token, "¿Hay carros?", key="k-refused")
    await chat.gate.release(retried)


async def test_a_key_with_another_message_is_refused(chat: Pipeline) -> None:
    token = await chat.start()
    turn = await admitted(chat, token, "Hola", key="k-1")
    await chat.services.chat.store.save(turn, Silence())
    await chat.gate.release(turn)
    with pytest.raises(UnprocessableError) as refused:
        await admitted(chat, token, "Adiós", key="k-1")
    assert refused.value.field == "Idempotency-Key"


async def test_a_stored_key_replays_the_response(chat: Pipeline) -> None:
    token = await chat.start()
    response = await chat.services.chat.message(
        chat.request(token, "¿Tienen camionetas?"), "k-2", "t", None
    )
    again = await chat.gate.admit(chat.request(token, "¿Tienen camionetas?"), "k-2", "t", None)
    assert again == Replay(response)


async def test_ended_sessions_refuse_messages(chat: Pipeline) -> None:
    token = await chat.start()
    await chat.services.session.end(token, "t")
    with pytest.raises(ConflictError):
        await admitted(chat, token, "Hola")


async def test_unknown_tokens_are_404_then_429_per_client() -> None:
    async with pipeline(rate_limit_token_misses="3/minute") as chat:
        for _ in range(3):
            with pytest.raises(SessionNotFoundError):
                await chat.gate.admit(chat.request("guess", "Hola"), None, "203.0.113.1", None)
        with pytest.raises(TooManyRequestsError):
            await chat.gate.admit(chat.request("guess", "Hola"), None, "203.0.113.1", None)
        with pytest.raises(SessionNotFoundError):
            await chat.gate.admit(chat.request("guess", "Hola"), None, "203.0.113.2", None)


async def test_the_deadline_ends_before_the_callers(chat: Pipeline) -> None:
    token = await chat.start()
    before = time.monotonic()
    turn = await chat.gate.admit(chat.request(token, "Hola"), None, "t", 60.0)
    assert isinstance(turn, Turn)
    await chat.gate.release(turn)
    assert before + 57.0 <= turn.deadline <= time.monotonic() + 57.0
    # A caller with little patience still gets half of it for the model.
    short = await chat.gate.admit(chat.request(token, "Hola"), None, "t", 4.0)
    assert isinstance(short, Turn)
    await chat.gate.release(short)
    assert short.deadline <= time.monotonic() + 2.0


async def test_an_abandoned_turn_is_marked_and_its_key_can_run_again(chat: Pipeline) -> None:
    token = await chat.start()
    turn = await admitted(chat, token, "Hola", key="k-3")
    await chat.gate.abandon(turn)
    await chat.gate.release(turn)
    async with chat.sessions() as db:
        stored = await ChatRepository(db).message(turn.message_id)
    assert stored is not None and stored.details["unanswered"] is True
    retried = await admitted(chat, token, "Hola", key="k-3")
    await chat.gate.release(retried)
    # The retry answers the message its first request stored: the transcript holds it once.
    assert retried.message_id == turn.message_id
    async with chat.sessions() as db:
        again = await ChatRepository(db).message(turn.message_id)
    assert again is not None and "unanswered" not in again.details
    # A forgotten key that comes back with other words is a new message.
    await chat.gate.abandon(retried)
    await chat.gate.release(retried)
    other = await admitted(chat, token, "Adiós", key="k-3")
    await chat.gate.release(other)
    assert other.message_id != turn.message_id


async def _orphan(chat: Pipeline, turn: Turn, key: str) -> None:
    """Do what a replica killed during `turn` leaves behind: its lease runs out, its claim stays."""
    await chat.coordinator.release(f"session:{turn.session_id}", turn.lock)
    async with chat.sessions() as db:
        record = await ChatRepository(db).idempotency(turn.session_id, key)
        assert record is not None
        record.created_at -= timedelta(seconds=LOCK_LEASE_SECONDS + 5)
        await db.commit()


async def test_a_key_whose_replica_died_is_taken_over_not_stored_twice(chat: Pipeline) -> None:
    token = await chat.start()
    first = await admitted(chat, token, "¿Tienen camionetas?", key="k-died")
    await _orphan(chat, first, "k-died")
    retried = await admitted(chat, token, "¿Tienen camionetas?", key="k-died")
    try:
        assert retried.message_id == first.message_id
        assert retried.lock != first.lock
        # It holds the session like any turn: a second message waits for it.
        with pytest.raises(ConflictError):
            await admitted(chat, token, "Otra cosa")
    finally:
        await chat.gate.release(retried)
    async with chat.sessions() as db:
        stored = await ChatRepository(db).messages(retried.session_id)
    assert [m.content for m in stored if m.role == MessageRole.USER] == ["¿Tienen camionetas?"]


async def test_a_live_first_request_is_waited_for_not_taken_over(chat: Pipeline) -> None:
    token = await chat.start()
    first = await admitted(chat, token, "Hola", key="k-alive")
    async with chat.sessions() as db:
        record = await ChatRepository(db).idempotency(first.session_id, "k-alive")
        assert record is not None
        record.created_at -= timedelta(seconds=LOCK_LEASE_SECONDS + 5)
        await db.commit()
    replay = asyncio.create_task(
        chat.gate.admit(chat.request(token, "Hola"), "k-alive", "198.51.100.7", None)
    )
    await asyncio.sleep(1.0)
    assert not replay.done(), "the first request still holds the session's lock"
    await _orphan(chat, first, "k-alive")  # now it dies
    taken = await asyncio.wait_for(replay, 10)
    assert isinstance(taken, Turn) and taken.message_id == first.message_id
    await chat.gate.release(taken)


async def test_a_replay_frees_the_session_its_answered_turn_still_holds(
    chat: Pipeline,
) -> None:
    # The first request's replica stored the answer, then died (or is a moment behind) before
    # letting go of the session; the gateway resends the message to another replica. The
    # replay must not leave the customer's next message to meet that lock (a 409 for up to a
    # lease).
    token = await chat.start()
    first = await admitted(chat, token, "¿Tienen yipetas?", key="k-release")
    await chat.services.chat.store.save(first, Silence())
    replay = await chat.gate.admit(chat.request(token, "¿Tienen yipetas?"), "k-release", "t", None)
    assert isinstance(replay, Replay)
    nxt = await admitted(chat, token, "¿Y carros?")  # the next message finds the session free
    await chat.gate.release(first)  # the late release of the first turn frees nothing now
    with pytest.raises(ConflictError):
        await admitted(chat, token, "¿Y camionetas?")
    await chat.gate.release(nxt)


async def test_a_replay_leaves_a_lock_held_for_another_message(chat: Pipeline) -> None:
    token = await chat.start()
    answered = await chat.services.chat.message(
        chat.request(token, "¿Tienen yipetas?"), "k-done", "t", None
    )
    current = await admitted(chat, token, "¿Y carros?", key="k-current")
    replay = await chat.gate.admit(chat.request(token, "¿Tienen yipetas?"), "k-done", "t", None)
    assert replay == Replay(answered)
    with pytest.raises(ConflictError):  # the message being answered still holds the session
        await admitted(chat, token, "¿Y camionetas?")
    await chat.gate.release(current)
