"""Step 4 for a model reply: call the model if it may help now, and show what passes the guard.

The model is called only where it earns its place: the answer mode must let it (ANSWER_MODE,
and in `auto` the model's qualification exam), one of this process's LLM slots must be free
(a customer is never queued behind others: the template answers at once), and the breaker
must be closed. Otherwise the stock's answer streams at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from dataclasses import dataclass

from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.llm.breaker import Breaker
from okla.chatbot.llm.client import ChatModel, LlmBusyError, LlmUnavailableError
from okla.chatbot.llm.slots import LlmSlots
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.qualification.domain import Standing
from okla.chatbot.reply import templates
from okla.chatbot.reply.checked import CheckedReply
from okla.chatbot.reply.draft import Delta, Draft, Notice, NoticeCode, ReplyEvent, join, typed
from okla.chatbot.reply.plan import ModelReply
from okla.chatbot.reply.trace import LlmOutcome
from okla.chatbot.settings import AnswerMode, ChatbotSettings

_LLM_FAILED = {
    "es": "El asistente no pudo terminar esta respuesta; te muestro la información del inventario.",
    "en": "The assistant could not finish this reply; here is the information from our stock.",
}
_FAILED = {LlmOutcome.ERROR: NoticeCode.LLM_ERROR, LlmOutcome.TIMEOUT: NoticeCode.LLM_TIMEOUT}


@dataclass
class _Call:
    """One call to the model: the reply so far and how the call ended."""

    reply: CheckedReply
    outcome: LlmOutcome = LlmOutcome.OK
    error: str | None = None


@dataclass(frozen=True)
class ModelReplier:
    """Answer with the model's words where they pass the guard, else with the stock's."""

    settings: ChatbotSettings
    llm: ChatModel
    breaker: Breaker
    metrics: ChatMetrics
    slots: LlmSlots
    standing: Standing

    async def answer(
        self, plan: ModelReply, deadline: float, affinity: str | None = None
    ) -> AsyncGenerator[ReplyEvent]:
        """Yield safe text as it is ready, then the finished draft.

        `affinity` (the session's id) keeps a conversation on one LLM replica, whose prompt
        cache holds its earlier turns.
        """
        self.standing.turn_seen()
        skipped = self._admit()
        if skipped is not None:
            self.metrics.llm.labels(outcome=skipped.value).inc()
            trace = plan.trace.called(skipped)
            offer_human = skipped == LlmOutcome.BREAKER_OPEN
            for typing in typed(self._template(plan, offer_human=offer_human), plan.cards, trace):
                yield typing
            return
        call = _Call(CheckedReply(plan.guard))
        try:
            async for text in self._stream(plan, call, deadline, affinity):
                yield Delta(text)
        finally:
            # The request is over (or closed): the slot is free before the reply is stored.
            self.slots.release()
        for event in self._conclude(plan, call):
            yield event

    def _admit(self) -> LlmOutcome | None:
        """Take a slot and the breaker's leave to call the model; else say why not."""
        if self.standing.in_effect() == AnswerMode.TEMPLATE:
            if self.standing.mode == AnswerMode.TEMPLATE:
                return LlmOutcome.TEMPLATE_MODE
            return LlmOutcome.UNQUALIFIED
        if not self.slots.try_take():
            return LlmOutcome.BUSY
        if not self.breaker.allow():
            self.slots.release()
            return LlmOutcome.BREAKER_OPEN
        return None

    async def call(self, plan: ModelReply, deadline: float) -> AsyncGenerator[ReplyEvent]:
        """Call the model, admitted by the caller (the exam); yield what passes, then the draft."""
        call = _Call(CheckedReply(plan.guard))
        async for text in self._stream(plan, call, deadline):
            yield Delta(text)
        for event in self._conclude(plan, call):
            yield event

    async def _stream(
        self, plan: ModelReply, call: _Call, deadline: float, affinity: str | None = None
    ) -> AsyncIterator[str]:
        """Yield the text of the model's reply that passed the checks, as it passes them."""
        began = time.perf_counter()
        # The whole reply must be in before the caller's deadline, whatever our own limit.
        budget = min(self.settings.llm_timeout_seconds, deadline - time.monotonic())
        try:
            stream = self.llm.stream(
                plan.messages,
                max_tokens=self.settings.llm_max_tokens,
                temperature=self.settings.llm_temperature,
                affinity=affinity,
            )
            async with (
                asyncio.timeout(max(budget, 0.0)),
                asyncio.timeout(self.settings.llm_first_token_seconds) as first_token,
                # Closing the stream early closes the request: the LLM server stops generating.
                contextlib.aclosing(stream),
            ):
                async for piece in stream:
                    # The model is answering: from here only the whole-reply timeout applies.
                    first_token.reschedule(None)
                    if shown := call.reply.add(piece):
                        yield shown
                    elif call.reply.lost:
                        call.outcome = LlmOutcome.ABANDONED
                        break
            self.breaker.record_success()
        except TimeoutError:
            call.outcome = LlmOutcome.TIMEOUT
            self.breaker.record_failure()
        except LlmBusyError as exc:
            # Refused at once for want of room: the LLM works, it is only full right now.
            call.outcome, call.error = LlmOutcome.BUSY, str(exc)
            self.breaker.release_probe()
        except LlmUnavailableError as exc:
            call.outcome, call.error = LlmOutcome.ERROR, str(exc)
            self.breaker.record_failure()
        except BaseException:
            self.breaker.release_probe()
            raise
        finally:
            self.metrics.llm.labels(outcome=call.outcome.value).inc()
            if call.outcome != LlmOutcome.BUSY:  # a refusal is no measure of the model's time
                self.metrics.llm_latency.observe(time.perf_counter() - began)

    def _conclude(self, plan: ModelReply, call: _Call) -> Iterator[ReplyEvent]:
        """Finish the reply once the model is done: its checked text, or the stock's answer."""
        trace = plan.trace.called(call.outcome, call.error)
        shown = call.reply.shown
        if call.outcome == LlmOutcome.BUSY:
            # Refused before its first token: the stock's answer, as if the model weren't asked.
            yield from typed(self._template(plan, offer_human=False), plan.cards, trace)
            return
        if call.outcome in _FAILED:
            yield Notice(_FAILED[call.outcome], _LLM_FAILED[plan.language])
            if not shown:
                yield from typed(self._template(plan, offer_human=True), plan.cards, trace)
                return
            # Part of a checked model reply is already on screen: it stays, stored as
            # incomplete, followed by the stock list it was cut off from.
            text = join(shown, plan.template, plan.suffix, templates.fallback_suffix(plan.language))
            yield Delta(text[len(shown) :])
            yield Draft(text, plan.cards, MessageSource.MODEL, trace, incomplete=True)
            return
        verdict = call.reply.verdict()
        for problem in verdict.problems:
            self.metrics.guard.labels(reason=problem.reason.value).inc()
        if verdict.ok and verdict.text.startswith(shown):
            final, repaired = verdict.text, verdict.repaired
        elif shown:
            # Later text failed the checks; what was shown passed them and stands alone.
            final, repaired = shown, True
        else:
            trace = trace.checked(verdict.problems, repaired=None)
            yield from typed(self._template(plan, offer_human=False), plan.cards, trace)
            return
        text = join(final, plan.suffix)
        if len(text) > len(shown):
            yield Delta(text[len(shown) :])
        trace = trace.checked(verdict.problems, repaired)
        yield Draft(text, plan.cards, MessageSource.MODEL, trace)

    @staticmethod
    def _template(plan: ModelReply, *, offer_human: bool) -> str:
        extra = templates.fallback_suffix(plan.language) if offer_human else ""
        return join(plan.template, plan.suffix, extra)
