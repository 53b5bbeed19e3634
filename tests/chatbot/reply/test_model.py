"""The model reply: only checked text reaches the customer; else the stock's answer, in time."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from prometheus_client import generate_latest

from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import ChatModel, LlmBusyError, LlmMessage
from okla.chatbot.llm.slots import LlmSlots
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.qualification.domain import (
    ExamQuestion,
    ExamTopic,
    ExamTurn,
    Qualification,
    Standing,
)
from okla.chatbot.reply import templates
from okla.chatbot.reply.draft import Delta, Draft, Notice, NoticeCode
from okla.chatbot.reply.guard import Problem, Reason
from okla.chatbot.reply.model import ModelReplier
from okla.chatbot.reply.plan import ModelReply
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import AnswerMode, ChatbotSettings
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


def replier_for(
    llm: ChatModel,
    *,
    settings: ChatbotSettings | None = None,
    breaker: CircuitBreaker | None = None,
    slots: LlmSlots | None = None,
    standing: Standing | None = None,
) -> ModelReplier:
    settings = settings or unit_settings()
    return ModelReplier(
        settings,
        llm,
        breaker or CircuitBreaker(3, 60),
        ChatMetrics(),
        slots or LlmSlots(settings.llm_concurrency),
        standing or Standing(settings.answer_mode),
    )


async def answer(
    llm: ChatModel,
    plan: ModelReply,
    *,
    settings: ChatbotSettings | None = None,
    breaker: CircuitBreaker | None = None,
    deadline: float = math.inf,
    replier: ModelReplier | None = None,
) -> Answer:
    replier = replier or replier_for(llm, settings=settings, breaker=breaker)
    deltas: list[str] = []
    notices: list[Notice] = []
    composed = replier.answer(plan, deadline)
    async with contextlib.aclosing(composed):
        async for event in composed:
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


# The answer mode and load-aware admission: when the model must not be called, the stock's
# answer streams at once, without a notice or the offer of a person.


def exam(verdict_rate: float, threshold: float = 0.8) -> Qualification:
    now = datetime.now(UTC)
    question = ExamQuestion(ExamTopic.STOCK, "¿Qué tienen?")
    turns = tuple(
        ExamTurn(question, LlmOutcome.OK, passed=i < verdict_rate * 10, problems=(), seconds=0.1)
        for i in range(10)
    )
    return Qualification("m", threshold, now, now, 1.0, turns)


def assert_template_at_once(result: Answer, plan: ModelReply, outcome: LlmOutcome) -> None:
    assert result.draft.source == MessageSource.FALLBACK
    assert result.draft.text == plan.template
    assert result.shown == plan.template
    assert len(result.deltas) > 1, "the template streams in pieces, like typing"
    assert result.notices == []
    assert result.draft.trace.llm == outcome
    assert result.draft.cards == plan.cards


async def test_template_mode_never_calls_the_model(plan: ModelReply) -> None:
    llm = FakeLlm(reply=good_reply(plan), delay=1.0)
    began = time.monotonic()
    result = await answer(llm, plan, settings=unit_settings(answer_mode="template"))
    assert time.monotonic() - began < 0.5
    assert llm.calls == []
    assert_template_at_once(result, plan, LlmOutcome.TEMPLATE_MODE)


async def test_auto_mode_uses_templates_until_the_model_has_passed(plan: ModelReply) -> None:
    llm = FakeLlm(reply=good_reply(plan))
    standing = Standing(AnswerMode.AUTO)
    replier = replier_for(llm, standing=standing)
    assert_template_at_once(await answer(llm, plan, replier=replier), plan, LlmOutcome.UNQUALIFIED)
    standing.last = exam(0.5)
    assert_template_at_once(await answer(llm, plan, replier=replier), plan, LlmOutcome.UNQUALIFIED)
    assert llm.calls == []
    standing.last = exam(0.8)
    result = await answer(llm, plan, replier=replier)
    assert len(llm.calls) == 1
    assert result.draft.source == MessageSource.MODEL
    assert result.draft.trace.llm == LlmOutcome.OK


async def test_a_turn_finding_every_slot_taken_is_answered_at_once(plan: ModelReply) -> None:
    llm = FakeLlm(reply=good_reply(plan))
    slots = LlmSlots(2)
    breaker = CircuitBreaker(1, 60)
    replier = replier_for(llm, slots=slots, breaker=breaker)
    assert slots.try_take() and slots.try_take()
    result = await answer(llm, plan, replier=replier)
    assert llm.calls == []
    assert_template_at_once(result, plan, LlmOutcome.BUSY)
    assert breaker.state == "closed" and breaker.failures == 0
    assert 'okla_chat_llm_calls_total{outcome="busy"} 1.0' in metrics_text(replier)
    slots.release()
    result = await answer(llm, plan, replier=replier)
    assert result.draft.source == MessageSource.MODEL
    assert slots.in_use == 1, "the model call gave its slot back"


async def test_slots_are_given_back_however_the_call_ends(plan: ModelReply) -> None:
    slots = LlmSlots(1)
    for llm in (FakeLlm(mode=FakeMode.ERROR), FakeLlm(mode=FakeMode.HANG)):
        settings = unit_settings(llm_first_token_seconds=0.1)
        await answer(llm, plan, replier=replier_for(llm, settings=settings, slots=slots))
        assert slots.in_use == 0
    # A customer who leaves mid-reply: the stream is closed, the slot freed.
    llm = FakeLlm(reply=" ".join([good_reply(plan)] * 5), delay=0.01)
    composed = replier_for(llm, slots=slots).answer(plan, math.inf)
    async with contextlib.aclosing(composed):
        async for event in composed:
            assert isinstance(event, Delta)
            assert slots.in_use == 1
            break
    assert slots.in_use == 0
    # An open breaker turns the turn away after the slot was taken: it is given back too.
    breaker = CircuitBreaker(1, 60)
    breaker.record_failure()
    await answer(llm, plan, replier=replier_for(llm, slots=slots, breaker=breaker))
    assert slots.in_use == 0


class FullLlm(FakeLlm):
    """An LLM whose queue is full: it refuses at once."""

    async def stream(
        self,
        messages: Sequence[LlmMessage],
        *,
        max_tokens: int,
        temperature: float,
        affinity: str | None = None,
    ) -> AsyncGenerator[str]:
        self.calls.append(list(messages))
        raise LlmBusyError("HTTP 503: The model is busy")
        yield ""  # an async generator, as the client's


async def test_a_full_llm_is_busy_not_failing(plan: ModelReply) -> None:
    breaker = CircuitBreaker(1, 60)
    llm = FullLlm()
    replier = replier_for(llm, breaker=breaker)
    result = await answer(llm, plan, replier=replier)
    assert len(llm.calls) == 1
    assert_template_at_once(result, plan, LlmOutcome.BUSY)
    assert result.draft.trace.llm_error == "HTTP 503: The model is busy"
    assert breaker.state == "closed", "a full queue is no failure of the model"
    assert replier.slots.in_use == 0


def metrics_text(replier: ModelReplier) -> str:
    return generate_latest(replier.metrics.registry).decode()
