"""The chat turn, top to bottom: admit, understand, the test-drive booking, the contact form,
plan, reply, store, and stream the events."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.bookings.conversation import BookingAnswer, BookingForm
from okla.chatbot.chat import events
from okla.chatbot.chat.domain import MessageSource
from okla.chatbot.chat.events import ChatEvent
from okla.chatbot.chat.gate import Replay, Turn, TurnGate
from okla.chatbot.chat.schemas import MessageRequest, MessageResponse
from okla.chatbot.chat.store import ReplyStore
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.errors import ChatError
from okla.chatbot.inventory.service import CatalogCache
from okla.chatbot.leads.conversation import ContactForm, FormAnswer
from okla.chatbot.metrics import ChatMetrics
from okla.chatbot.reply import template
from okla.chatbot.reply.draft import Delta, Draft, Notice, Silence
from okla.chatbot.reply.model import ModelReplier
from okla.chatbot.reply.plan import Plan, Planner, TemplateReply
from okla.chatbot.understanding.context import load_context
from okla.chatbot.understanding.understand import understand
from okla.common.errors import error_body

logger = logging.getLogger("okla.chatbot")

Progress = Callable[[Delta | Notice], None]
_UNFINISHED = error_body("reply_failed", "The reply could not be completed.")


@dataclass
class ChatService:
    """Answer customers' messages, one turn at a time per session."""

    sessions: async_sessionmaker[AsyncSession]
    gate: TurnGate
    planner: Planner
    model: ModelReplier
    store: ReplyStore
    metrics: ChatMetrics
    contact_form: ContactForm
    booking_form: BookingForm
    catalogs: CatalogCache = field(default_factory=CatalogCache)
    clock: Clock = system_clock  # the app's: "this year" in "del 2020 pa' arriba" and the like
    # Replies still being written for customers who closed the page; see message_events.
    background: set[asyncio.Task[None]] = field(default_factory=set, init=False)

    async def message(
        self, request: MessageRequest, key: str | None, client: str, timeout: float | None
    ) -> MessageResponse:
        """Answer one message and return the stored reply."""
        admitted = await self.gate.admit(request, key, client, timeout)
        if isinstance(admitted, Replay):
            return admitted.response
        return await self._turn(admitted, lambda _event: None)

    async def message_events(
        self, request: MessageRequest, key: str | None, client: str, timeout: float | None
    ) -> AsyncIterator[ChatEvent]:
        """Answer one message as a stream of events; refusals raise before the first one."""
        admitted = await self.gate.admit(request, key, client, timeout)
        if isinstance(admitted, Replay):
            for replayed in events.replayed(admitted.response):
                yield replayed
            return
        queue: asyncio.Queue[ChatEvent | None] = asyncio.Queue()
        # The answer runs in its own task: a customer who closes the page mid-reply still
        # finds the whole reply stored when they come back.
        task = asyncio.create_task(self._streamed_turn(admitted, queue))
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        yield events.ack(admitted.message_id)
        while (event := await queue.get()) is not None:
            yield event

    async def _streamed_turn(self, turn: Turn, queue: asyncio.Queue[ChatEvent | None]) -> None:
        try:
            response = await self._turn(
                turn, lambda event: queue.put_nowait(events.progress(event))
            )
            for event in events.finished(response):
                queue.put_nowait(event)
        except Exception as exc:
            logger.exception("Streamed reply failed")
            queue.put_nowait(
                events.failed(exc.body() if isinstance(exc, ChatError) else _UNFINISHED)
            )
        finally:
            queue.put_nowait(None)

    async def _turn(self, turn: Turn, progress: Progress) -> MessageResponse:
        """Compose, store and count the reply to an admitted message; free the session after."""
        try:
            answer = await self._answer(turn, progress)
            response = await self.store.save(turn, answer)
        except BaseException:
            await self.gate.abandon(turn)
            raise
        finally:
            await self.gate.release(turn)
        source = answer.source if isinstance(answer, Draft) else MessageSource.HUMAN
        self.metrics.replies.labels(source=source.value).inc()
        self.metrics.reply_latency.observe(time.perf_counter() - turn.started)
        return response

    async def _answer(self, turn: Turn, progress: Progress) -> Draft | Silence:
        """Understand the message, plan the reply and compose it, passing on its progress."""
        if turn.handoff.person_answers:
            return Silence()  # a person of the dealer is coming or there: the bot stays quiet
        context = await load_context(self.sessions, turn, self.catalogs)
        understood = understand(
            turn.text,
            catalog=context.catalog,
            previous_query=turn.dialogue.search,
            earlier_messages=context.customer_messages,
            today_year=self.clock().year,
        )
        plan: Plan
        booking = await self.booking_form.read(turn, understood)
        if isinstance(booking, BookingAnswer):
            plan = booking.plan  # a time asked for or offered, a booking made, moved, cancelled
        else:
            form = await self.contact_form.read(turn, understood)
            if isinstance(form, FormAnswer):
                plan = form.plan  # the customer's name and phone, a no, or the offer of a call
            else:
                plan = await self.planner.plan(
                    turn, context, understood, callback_follows=form.offer is not None
                )
                plan = await self.contact_form.follow(turn, form, plan)
        if isinstance(plan, TemplateReply):
            composed = template.answer(plan)
        else:
            composed = self.model.answer(plan, turn.deadline, affinity=turn.session_id)
        async with contextlib.aclosing(composed):
            async for event in composed:
                if isinstance(event, Draft):
                    return event
                progress(event)
        raise AssertionError("a reply always ends with its draft")
