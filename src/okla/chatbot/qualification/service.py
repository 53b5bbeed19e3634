"""Hold the qualification exam: real questions over the dealer's stock, the real reply path.

Each question is planned as a customer's turn is (context, understanding, the planner's
prompt and guard context), then answered through the model replier's call, which streams the
model's text through the guard exactly as for a customer. A turn passes when the model's text
may be shown whole. Customers are served first: the exam takes free LLM slots only (at most
half of them, waiting for one when none is free) and keeps its own breaker and counters, so
it neither turns customers away nor counts as their replies. An LLM on this machine (the
bundled model) also decodes on the cores that answer customers: then each question waits for
a lull in customers' turns (a while at most), so an exam at startup doesn't slow the
templates' answers to a crowd arriving at the same moment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.chat.domain import Handoff, MessageSource
from okla.chatbot.chat.gate import Assistant, Turn
from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery
from okla.chatbot.inventory.repository import InventoryRepository
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.llm.breaker import CircuitBreaker
from okla.chatbot.llm.client import ChatModel, LlmProbe
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.qualification.domain import (
    ExamQuestion,
    ExamTurn,
    Qualification,
    Standing,
)
from okla.chatbot.qualification.exam import exam_questions
from okla.chatbot.qualification.schemas import (
    AnswerModeOut,
    ExamTurnOut,
    QualificationDetail,
    QualificationOut,
    QualificationReport,
)
from okla.chatbot.reply.draft import Draft
from okla.chatbot.reply.model import ModelReplier
from okla.chatbot.reply.plan import ModelReply, Plan, Planner
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.understanding.context import load_context
from okla.chatbot.understanding.dialogue import DialogueState
from okla.chatbot.understanding.understand import understand

logger = logging.getLogger("okla.chatbot")

# No session has this id: the exam's turns have no history and store nothing.
EXAM_SESSION = "qualification-exam"
_STOCK_LIMIT = 10_000
_PROBE_EVERY_SECONDS = 1.0
# A question waits for this long without customers' turns, for at most _LULL_WAIT_SECONDS.
_LULL_SECONDS = 1.0
_LULL_WAIT_SECONDS = 30.0
_WATCH_SECONDS = 0.05
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
# Outcomes that say the LLM never answered (as opposed to answering badly).
_NO_ANSWER = frozenset({LlmOutcome.ERROR, LlmOutcome.BREAKER_OPEN, LlmOutcome.BUSY})


@dataclass
class Qualifier:
    """Run the exam in the background, one at a time, and keep its result in the standing."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    planner: Planner
    replier: ModelReplier
    llm: ChatModel
    standing: Standing
    metrics: ChatMetrics
    _task: asyncio.Task[Qualification] | None = field(default=None, init=False)

    def start(self) -> asyncio.Task[Qualification]:
        """Start an exam unless one is running; return the running one."""
        if self._task is None or self._task.done():
            self.standing.running = True
            self._task = asyncio.create_task(self._run(), name="okla-qualification")
        return self._task

    def summary(self) -> AnswerModeOut:
        """Describe the answer mode and the last exam's result (the health route)."""
        return AnswerModeOut(
            setting=self.standing.mode,
            in_effect=self.standing.in_effect(),
            llm_slots=self.replier.slots.limit,
            llm_slots_in_use=self.replier.slots.in_use,
            qualification=self._qualification(),
        )

    def report(self) -> QualificationReport:
        """Describe the answer mode and the last exam, question by question."""
        summary = self.summary()
        last = self.standing.last
        detail = QualificationDetail(
            **summary.qualification.model_dump(),
            turns=[ExamTurnOut.of(turn) for turn in last.turns] if last else [],
        )
        return QualificationReport(
            **summary.model_dump(exclude={"qualification"}), qualification=detail
        )

    def _qualification(self) -> QualificationOut:
        return QualificationOut.of(
            self.standing.last,
            running=self.standing.running,
            threshold=self.settings.qualify_threshold,
        )

    async def close(self) -> None:
        """Stop a running exam (the app is shutting down)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> Qualification:
        started_at, began = datetime.now(UTC), time.monotonic()
        try:
            result = await self._examine(started_at, began)
        except Exception as exc:  # a bug or a database outage must not end up unseen
            logger.exception("The qualification exam could not be held")
            error = f"the exam failed: {type(exc).__name__} (see the log)"
            result = self._result(started_at, began, (), self.settings.llm_model, error)
        finally:
            self.standing.running = False
        self.standing.last = result
        self.metrics.qualification_runs.labels(verdict=result.verdict.value).inc()
        logger.info(
            "Qualification exam of %s: %s, %d of %d turns passed in %.1f s (threshold %.0f%%)%s",
            result.model or "the model",
            result.verdict.value,
            result.passed,
            result.total,
            result.seconds,
            result.threshold * 100,
            f"; {result.error}" if result.error else "",
        )
        return result

    async def _examine(self, started_at: datetime, began: float) -> Qualification:
        end = began + self.settings.qualify_timeout_seconds
        probe = await self._wait_for_llm(end)
        if not probe.up:
            error = f"the LLM did not answer: {probe.error}"
            return self._result(started_at, began, (), self.settings.llm_model, error)
        model = _model_id(probe, self.settings.llm_model)
        plans = await self._plans()
        if not plans:
            error = f"no vehicle of {self.settings.default_dealer!r} to ask the model about"
            return self._result(started_at, began, (), model, error)
        turns = await self._sit(plans, end)
        unanswered = all(turn.outcome in _NO_ANSWER for turn in turns)
        silent = "the LLM answered none of the exam's questions" if unanswered else None
        return self._result(started_at, began, turns, model, silent)

    def _result(
        self,
        started_at: datetime,
        began: float,
        turns: tuple[ExamTurn, ...],
        model: str,
        error: str | None,
    ) -> Qualification:
        return Qualification(
            model=model,
            threshold=self.settings.qualify_threshold,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            seconds=round(time.monotonic() - began, 2),
            turns=turns,
            error=error,
        )

    async def _wait_for_llm(self, end: float) -> LlmProbe:
        """Wait for the LLM to answer its probe (it may still be loading), until `end`."""
        while True:
            probe = await self.llm.probe()
            if probe.up or time.monotonic() + _PROBE_EVERY_SECONDS >= end:
                return probe
            await asyncio.sleep(_PROBE_EVERY_SECONDS)

    async def _plans(self) -> list[tuple[ExamQuestion, ModelReply]]:
        """Plan the exam's questions as customers' turns; keep those the model would word."""
        async with self.sessions() as db:
            inventory = InventoryRepository(db)
            dealer = await inventory.dealer(self.settings.default_dealer)
            if dealer is None:
                return []
            stock: Sequence[VehicleCard] = await inventory.search(
                dealer.id, VehicleQuery(), _STOCK_LIMIT
            )
        assistant = Assistant.of(dealer)
        found: list[tuple[ExamQuestion, ModelReply]] = []
        for question in exam_questions(stock):
            plan = await self._plan(assistant, question.text)
            if isinstance(plan, ModelReply):
                found.append((question, plan))
                if len(found) == self.settings.qualify_turns:
                    break
        return found

    async def _plan(self, assistant: Assistant, text: str) -> Plan:
        """Plan one question the way the chat service plans a customer's first message."""
        turn = Turn(
            session_id=EXAM_SESSION,
            handoff=Handoff.BOT,
            assistant=assistant,
            message_id="",
            text=text,
            dialogue=DialogueState(),
            idempotency_key=None,
            lock="",
            started=time.perf_counter(),
            deadline=math.inf,
        )
        context = await load_context(self.sessions, turn, CatalogCache(ttl_seconds=0))
        understood = understand(
            text,
            catalog=context.catalog,
            previous_query=turn.dialogue.search,
            earlier_messages=context.customer_messages,
            today_year=datetime.now(UTC).year,
        )
        return await self.planner.plan(turn, context, understood)

    async def _sit(
        self, plans: Sequence[tuple[ExamQuestion, ModelReply]], end: float
    ) -> tuple[ExamTurn, ...]:
        """Put every question to the model, a few at a time; unanswered by `end`: failed."""
        # Its own breaker (an LLM that fails 3 times in a row ends the exam early) and
        # counters: the exam's calls are not customers' replies.
        replier = replace(
            self.replier,
            breaker=CircuitBreaker(
                self.settings.breaker_failure_threshold, self.settings.qualify_timeout_seconds
            ),
            metrics=ChatMetrics(),
        )
        at_once = asyncio.Semaphore(max(1, self.settings.llm_concurrency // 2))
        graded: dict[int, ExamTurn] = {}
        local = any(urlsplit(url).hostname in _LOOPBACK for url in self.settings.llm_base_urls)

        async def sit(index: int, question: ExamQuestion, plan: ModelReply) -> None:
            async with at_once:
                while True:
                    # Customers first, on an LLM sharing our cores: ask in a lull, and ask
                    # again later if a customer comes meanwhile (unless there is no lull).
                    yielding = local and await self._lull(end)
                    async with self.replier.slots.held():
                        answer = asyncio.create_task(_answer(replier, question, plan, end))
                        try:
                            if not yielding or not await self._interrupted(answer):
                                graded[index] = await answer
                                return
                        finally:
                            answer.cancel()  # the exam's end came first (a no-op if done)

        tasks = [
            asyncio.create_task(sit(i, question, plan)) for i, (question, plan) in enumerate(plans)
        ]
        try:
            await asyncio.wait(tasks, timeout=max(0.0, end - time.monotonic()))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return tuple(
            graded.get(i) or ExamTurn(question, LlmOutcome.TIMEOUT, False, (), 0.0)
            for i, (question, _) in enumerate(plans)
        )

    async def _lull(self, end: float) -> bool:
        """Wait for customers to pause (a while at most, never past `end`); say if they did."""
        until = min(end, time.monotonic() + _LULL_WAIT_SECONDS)
        while self.standing.quiet_for() < _LULL_SECONDS:
            if time.monotonic() >= until:
                return False
            await asyncio.sleep(min(_LULL_SECONDS - self.standing.quiet_for(), 0.25) + 0.01)
        return True

    async def _interrupted(self, answer: asyncio.Task[ExamTurn]) -> bool:
        """Wait for the answer; cancel it (freeing the LLM) if a customer's turn comes first."""
        asked_at = time.monotonic()
        while not answer.done():
            if self.standing.last_turn_at > asked_at:
                answer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await answer
                return True
            await asyncio.wait({answer}, timeout=_WATCH_SECONDS)
        return False


async def _answer(
    replier: ModelReplier, question: ExamQuestion, plan: ModelReply, end: float
) -> ExamTurn:
    """Ask the model one question and grade its reply with the guard."""
    began = time.monotonic()
    if not replier.breaker.allow():
        return ExamTurn(question, LlmOutcome.BREAKER_OPEN, False, (), 0.0)
    draft: Draft | None = None
    composed = replier.call(plan, end)
    async with contextlib.aclosing(composed):
        async for event in composed:
            if isinstance(event, Draft):
                draft = event
    assert draft is not None, "a reply always ends with its draft"
    return ExamTurn(
        question,
        draft.trace.llm or LlmOutcome.OK,
        passed=draft.source == MessageSource.MODEL and not draft.incomplete,
        problems=draft.trace.problems,
        seconds=round(time.monotonic() - began, 2),
    )


def _model_id(probe: LlmProbe, configured: str) -> str:
    """Name the model examined: the configured one if served, else the only one served."""
    if configured in probe.models or len(probe.models) != 1:
        return configured
    return probe.models[0]
