"""The model reply: only checked text reaches the customer; else the stock's answer, in time."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.slots import LlmSlots
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.qualification.domain import Standing
from okla.chatbot.reply import templates
from okla.chatbot.reply.draft import Delta, Draft, Notice, NoticeCode
from okla.chatbot.reply.guard import Problem, Reason
from okla.chatbot.reply.model import ModelReplier
from okla.chatbot.reply.plan import ModelReply
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.text.money import format_price
from tests.utils.fakes import FakeLlm, FakeMode
from tests.utils.pipeline import Pipeline, pipeline, unit_settings


@pytest.fixture(scope="module")
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline() as built:
        yield built


@pytest.fixture(scope="module")
async def plan(chat: Pipeline) -> ModelReply:
    planned = await chat.plan("¿Qué yipetas tienen?")
    assert isinstance(planned, ModelReply)
    return planned


@dataclass
class Answer:
    deltas: list[str]
    notices: list[Notice]
    draft: Draft

    @property
    def shown(self) -> str:
        return "".join(self.deltas)


async def answer(
    llm: FakeLlm,
    plan: ModelReply,
    *,
    settings: ChatbotSettings | None = None,
    breaker: CircuitBreaker | None = None,
    deadline: float = math.inf,
) -> Answer:
    settings = settings or unit_settings()
    replier = ModelReplier(
        settings,
        llm,
        breaker or CircuitBreaker(3, 60),
        ChatMetrics(),
        LlmSlots(settings.llm_concurrency),
        Standing(settings.answer_mode),
    )
    deltas: list[str] = []
    notices: list[Notice] = []
    async for event in replier.answer(plan, deadline):
        if isinstance(event, Delta):
            deltas.append(event.text)
        elif isinstance(event, Notice):
            notices.append(event)
        else:
            return Answer(deltas, notices, event)
    raise AssertionError("no draft")


def good_reply(plan: ModelReply) -> str:
    card = plan.cards[0]
    return (
        f"Te recomiendo la {card.make} {card.model} {card.year}, que cuesta "
        f"{format_price(card.price)}. Es una excelente opción para la familia."
    )


async def test_a_checked_reply_streams_and_is_the_models(plan: ModelReply) -> None:
    llm = FakeLlm(reply=good_reply(plan))
    result = await answer(llm, plan)
    assert result.draft.source == MessageSource.MODEL
    assert result.shown == result.draft.text == good_reply(plan)
    assert len(result.deltas) >= 2, "the first sentence is shown before the reply ends"
    assert result.draft.trace.llm == LlmOutcome.OK
    assert result.draft.cards == plan.cards
    assert result.notices == []


async def test_an_invented_price_gets_the_stock_answer(plan: ModelReply) -> None:
    card = plan.cards[0]
    llm = FakeLlm(reply=f"La {card.make} {card.model} cuesta solo RD$100 y está como nueva.")
    result = await answer(llm, plan)
    assert result.draft.source == MessageSource.FALLBACK
    assert result.draft.text == plan.template
    assert result.shown == plan.template
    assert Problem(Reason.PRICE_NOT_IN_STOCK, "RD$100") in result.draft.trace.problems


async def test_a_failed_model_says_so_and_offers_a_person(plan: ModelReply) -> None:
    breaker = CircuitBreaker(3, 60)
    result = await answer(FakeLlm(mode=FakeMode.ERROR), plan, breaker=breaker)
    assert [n.code for n in result.notices] == [NoticeCode.LLM_ERROR]
    assert result.draft.source == MessageSource.FALLBACK
    assert result.draft.text.startswith(plan.template)
    assert result.draft.text.endswith(templates.fallback_suffix("es"))
    assert result.draft.trace.llm == LlmOutcome.ERROR
    assert result.draft.trace.llm_error == "HTTP 500: boom"
    assert breaker.failures == 1


async def test_a_silent_model_times_out_on_its_first_token(plan: ModelReply) -> None:
    settings = unit_settings(llm_first_token_seconds=0.2)
    began = time.monotonic()
    result = await answer(FakeLlm(mode=FakeMode.HANG), plan, settings=settings)
    assert time.monotonic() - began < 2
    assert [n.code for n in result.notices] == [NoticeCode.LLM_TIMEOUT]
    assert result.draft.trace.llm == LlmOutcome.TIMEOUT


async def test_the_callers_deadline_cuts_a_slow_model(plan: ModelReply) -> None:
    llm = FakeLlm(reply=" ".join([good_reply(plan)] * 20), delay=0.02)
    began = time.monotonic()
    result = await answer(llm, plan, deadline=time.monotonic() + 0.8)
    assert time.monotonic() - began < 2, "our own 5 s limit is not what ended it"
    assert result.draft.trace.llm == LlmOutcome.TIMEOUT
    # What had passed the checks stays, completed from the stock and marked incomplete.
    assert result.draft.source == MessageSource.MODEL
    assert result.draft.incomplete
    assert result.shown == result.draft.text
    assert plan.template in result.draft.text


async def test_an_open_breaker_skips_the_model(plan: ModelReply) -> None:
    breaker = CircuitBreaker(1, 60)
    breaker.record_failure()
    llm = FakeLlm(reply=good_reply(plan))
    result = await answer(llm, plan, breaker=breaker)
    assert llm.calls == []
    assert result.draft.trace.llm == LlmOutcome.BREAKER_OPEN
    assert result.draft.text.endswith(templates.fallback_suffix("es"))


async def test_a_reply_in_another_language_is_given_up_and_closed(plan: ModelReply) -> None:
    english = "We have a great selection of vehicles for you today and many more are coming."
    llm = FakeLlm(reply=" ".join([english] * 20))
    result = await answer(llm, plan)
    assert result.draft.trace.llm == LlmOutcome.ABANDONED
    assert result.draft.source == MessageSource.FALLBACK
    assert llm.closed_early
    assert llm.words_sent < 60


async def test_a_failure_after_checked_text_keeps_it(plan: ModelReply) -> None:
    first = good_reply(plan)
    llm = FakeLlm(
        reply=first + " Además tiene muy buen consumo.",
        mode=FakeMode.FAIL_AFTER,
        fail_after=len(first.split(" ")) + 2,
    )
    result = await answer(llm, plan)
    assert [n.code for n in result.notices] == [NoticeCode.LLM_ERROR]
    assert result.draft.incomplete
    assert result.draft.text.startswith(first)
    assert result.shown == result.draft.text


async def test_the_aside_follows_the_models_reply(chat: Pipeline) -> None:
    planned = await chat.plan("¿Tienen camionetas a financiamiento?")
    assert isinstance(planned, ModelReply)
    result = await answer(FakeLlm(reply=good_reply(planned)), planned)
    assert result.draft.source == MessageSource.MODEL
    assert result.draft.text.endswith(planned.suffix)
    assert result.shown == result.draft.text
