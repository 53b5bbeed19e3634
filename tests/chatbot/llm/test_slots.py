"""The LLM slots: a customer's turn never waits for one; the exam does, after customers."""

from __future__ import annotations

import asyncio

from okla.chatbot.llm.slots import LlmSlots


def test_take_until_none_is_free_then_give_back() -> None:
    slots = LlmSlots(2)
    assert slots.try_take() and slots.try_take()
    assert not slots.try_take()
    assert slots.in_use == 2
    slots.release()
    assert slots.try_take()
    slots.release()
    slots.release()
    slots.release()  # more than taken: never below zero
    assert slots.in_use == 0


async def test_a_waiting_holder_gets_a_slot_once_one_is_freed() -> None:
    slots = LlmSlots(1)
    assert slots.try_take()
    held = asyncio.Event()

    async def exam() -> None:
        async with slots.held():
            held.set()

    task = asyncio.create_task(exam())
    await asyncio.sleep(0.12)
    assert not held.is_set()
    slots.release()
    await asyncio.wait_for(task, 1)
    assert held.is_set()
    assert slots.in_use == 0


async def test_customers_come_before_a_waiting_holder() -> None:
    slots = LlmSlots(1)
    assert slots.try_take()
    task = asyncio.create_task(slots.held().__aenter__())
    await asyncio.sleep(0.01)
    slots.release()
    assert slots.try_take(), "a customer's turn takes the freed slot before the exam looks"
    assert not task.done()
    task.cancel()
