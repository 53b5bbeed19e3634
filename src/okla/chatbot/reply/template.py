"""Step 4 for a template reply: the ready text, streamed as if typed."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from okla.chatbot.reply.draft import ReplyEvent, typed
from okla.chatbot.reply.plan import TemplateReply


async def answer(plan: TemplateReply) -> AsyncGenerator[ReplyEvent]:
    """Yield the template's text in small deltas, then its draft."""
    for event in typed(plan.text, plan.cards, plan.trace, plan.appointment):
        yield event
