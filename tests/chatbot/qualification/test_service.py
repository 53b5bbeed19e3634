"""The exam, in process: real questions over the demo stock, graded by the guard."""

from __future__ import annotations

import asyncio
import time

from prometheus_client import generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.llm.client import LlmProbe
from okla.chatbot.models import ChatMessage, ChatSession
from okla.chatbot.qualification.domain import ExamTopic, Verdict
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import AnswerMode
from tests.utils.fakes import FakeLlm, FakeMode
from tests.utils.grounded import STRAYING, GroundedLlm
from tests.utils.pipeline import Pipeline, pipeline


def metrics(chat: Pipeline) -> str:
    return generate_latest(chat.services.metrics.registry).decode()


async def test_a_model_that_keeps_to_the_stock_passes() -> None:
    async with pipeline(GroundedLlm(), answer_mode="auto") as chat:
        standing = chat.services.qualifier.standing
        assert standing.in_effect() == AnswerMode.TEMPLATE, "templates until the model passed"
        result = await chat.services.qualifier.start()
        assert result.verdict == Verdict.PASSED
        assert (result.passed, result.total, result.pass_rate) == (20, 20, 1.0)
        assert result.model == "grounded"
        assert result.error is None
        assert standing.last == result
        assert standing.in_effect() == AnswerMode.MODEL
        text = metrics(chat)
        assert 'okla_chat_llm_qualification_runs_total{verdict="passed"} 1.0' in text
        assert "okla_chat_llm_qualification_pass_rate 1.0" in text
        assert "okla_chat_llm_model_enabled 1.0" in text
        # The exam's calls are not customers' replies.
        assert "okla_chat_llm_calls_total{" not in text


async def test_a_model_that_strays_fails_and_the_templates_answer() -> None:
    async with pipeline(FakeLlm(reply=STRAYING), answer_mode="auto") as chat:
        result = await chat.services.qualifier.start()
        assert result.verdict == Verdict.FAILED
        assert result.passed == 0 and result.total == 20
        assert all(turn.outcome == LlmOutcome.OK and turn.problems for turn in result.turns)
        assert chat.services.qualifier.standing.in_effect() == AnswerMode.TEMPLATE
        calls = len(chat.llm.calls)
        token = await chat.start()
        reply = await chat.services.chat.message(
            chat.request(token, "¿Qué yipetas tienen?"), None, "test", None
        )
        assert reply.reply is not None and reply.reply.source == MessageSource.FALLBACK
        assert len(chat.llm.calls) == calls, "no call to a model that failed its exam"
        text = metrics(chat)
        assert 'okla_chat_llm_calls_total{outcome="unqualified"} 1.0' in text
        assert "okla_chat_llm_qualification_pass_rate 0.0" in text
        assert "okla_chat_llm_model_enabled 0.0" in text


async def test_the_exam_spreads_over_topics_and_stores_nothing() -> None:
    async with pipeline(GroundedLlm(), qualify_turns=14) as chat:
        result = await chat.services.qualifier.start()
        assert result.total == 14
        topics = [turn.question.topic for turn in result.turns]
        assert set(topics) == set(ExamTopic)
        assert max(topics.count(topic) for topic in ExamTopic) <= 3
        async with chat.sessions() as db:
            assert await db.scalar(select(func.count()).select_from(ChatMessage)) == 0
            assert await db.scalar(select(func.count()).select_from(ChatSession)) == 0


async def test_a_threshold_decides() -> None:
    half = "Te recomiendo este vehículo."  # names no vehicle: never shown
    async with pipeline(FakeLlm(reply=half), qualify_threshold=0.0) as chat:
        result = await chat.services.qualifier.start()
        assert result.pass_rate == 0.0
        assert result.verdict == Verdict.PASSED, "a threshold of 0 passes any answering model"


async def test_the_exam_takes_half_the_slots_and_lets_customers_first() -> None:
    llm = GroundedLlm(delay=0.01)
    async with pipeline(llm, llm_concurrency=4, qualify_turns=8) as chat:
        slots = chat.services.chat.model.slots
        assert all(slots.try_take() for _ in range(4))  # customers hold every slot
        exam = chat.services.qualifier.start()
        await asyncio.sleep(0.2)
        assert llm.calls == [], "the exam waits for a free slot"
        for _ in range(4):
            slots.release()
        result = await exam
        assert result.verdict == Verdict.PASSED
        assert llm.most_at_once == 2
        assert slots.in_use == 0


async def test_one_exam_at_a_time() -> None:
    async with pipeline(GroundedLlm(delay=0.005)) as chat:
        qualifier = chat.services.qualifier
        first = qualifier.start()
        assert qualifier.standing.running
        assert qualifier.start() is first
        await first
        assert not qualifier.standing.running
        assert qualifier.start() is not first
        await qualifier.close()
        assert 'okla_chat_llm_qualification_runs_total{verdict="passed"} 1.0' in metrics(chat)


async def test_an_llm_that_never_answers_ends_the_exam_at_its_bound() -> None:
    async with pipeline(FakeLlm(mode=FakeMode.ERROR), qualify_timeout_seconds=1.5) as chat:
        began = time.monotonic()
        result = await chat.services.qualifier.start()
        assert time.monotonic() - began < 3
        assert result.verdict == Verdict.ERROR
        assert result.error == "the LLM did not answer: HTTP 500: boom"
        assert result.total == 0 and result.pass_rate is None
        assert chat.services.qualifier.standing.in_effect() == AnswerMode.MODEL, (
            "ANSWER_MODE=model does not follow the exam"
        )
        text = metrics(chat)
        assert 'okla_chat_llm_qualification_runs_total{verdict="error"} 1.0' in text
        assert "okla_chat_llm_qualification_pass_rate NaN" in text


class Failing(FakeLlm):
    """An LLM that lists its models but fails every completion."""

    async def probe(self) -> LlmProbe:
        return LlmProbe(up=True, models=("broken",))


async def test_an_llm_that_fails_every_question_is_an_error_found_early() -> None:
    async with pipeline(Failing(mode=FakeMode.ERROR)) as chat:
        result = await chat.services.qualifier.start()
        assert result.verdict == Verdict.ERROR
        assert result.error == "the LLM answered none of the exam's questions"
        outcomes = [turn.outcome for turn in result.turns]
        # Its own breaker opens: the rest of the exam isn't sent to a failing LLM.
        assert outcomes.count(LlmOutcome.ERROR) == chat.settings.breaker_failure_threshold
        assert set(outcomes) == {LlmOutcome.ERROR, LlmOutcome.BREAKER_OPEN}
        assert chat.breaker.state == "closed", "the customers' breaker is not the exam's"


async def test_a_silent_model_fails_within_the_bound() -> None:
    async with pipeline(FakeLlm(mode=FakeMode.HANG), qualify_timeout_seconds=1.0) as chat:
        began = time.monotonic()
        result = await chat.services.qualifier.start()
        assert time.monotonic() - began < 2
        assert result.verdict == Verdict.FAILED
        assert {turn.outcome for turn in result.turns} == {LlmOutcome.TIMEOUT}


async def test_an_exam_that_breaks_is_an_error_not_a_crash() -> None:
    async with pipeline(GroundedLlm()) as chat:
        qualifier = chat.services.qualifier
        qualifier.sessions = broken_sessions  # type: ignore[assignment]
        result = await qualifier.start()
        assert result.verdict == Verdict.ERROR
        assert result.error == "the exam failed: RuntimeError (see the log)"
        assert not qualifier.standing.running


def broken_sessions() -> AsyncSession:
    raise RuntimeError("no database")


async def first_call_after(chat: Pipeline, llm: GroundedLlm) -> float:
    """Have a customer's turn come, start an exam; return how long its first question waited."""
    chat.services.chat.model.standing.turn_seen()
    began = time.monotonic()
    exam = chat.services.qualifier.start()
    while not llm.calls:
        await asyncio.sleep(0.01)
    waited = time.monotonic() - began
    await exam
    return waited


async def test_an_exam_on_a_local_llm_waits_for_customers_to_pause() -> None:
    llm = GroundedLlm()
    async with pipeline(llm, llm_base_url="http://127.0.0.1:8000/v1", qualify_turns=2) as chat:
        assert await first_call_after(chat, llm) >= 0.9


async def test_an_exam_on_a_remote_llm_does_not_wait() -> None:
    llm = GroundedLlm()
    async with pipeline(llm, llm_base_url="https://llm.example/v1", qualify_turns=2) as chat:
        assert await first_call_after(chat, llm) < 0.5


async def test_a_customer_interrupts_a_question_which_is_asked_again_later() -> None:
    llm = GroundedLlm(delay=0.05)
    async with pipeline(llm, llm_base_url="http://127.0.0.1:8000/v1", qualify_turns=2) as chat:
        exam = chat.services.qualifier.start()
        while llm.running < 2:
            await asyncio.sleep(0.01)
        chat.services.chat.model.standing.turn_seen()
        await asyncio.sleep(0.2)
        assert llm.running == 0, "the exam's requests are closed: the LLM serves customers"
        result = await exam
        assert result.verdict == Verdict.PASSED and result.total == 2
        assert len(llm.calls) == 4, "both questions asked again after the lull"
