"""Step 5 of a turn: store the reply, the session's new state and the idempotent response."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.chat.domain import Handoff, MessageRole, shown_status
from okla.chatbot.chat.gate import Turn
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.chat.schemas import MessageResponse, ReplyOut, dump_cards
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.inventory.schemas import VehicleCardOut
from okla.chatbot.live.domain import EventKind, HandoffEvent
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import utcnow
from okla.chatbot.reply.draft import Draft, Silence
from okla.chatbot.settings import ChatbotSettings

HANDOFF_REASON = "El cliente pidió un asesor en el chat."


@dataclass(frozen=True)
class ReplyStore:
    """Write one turn's outcome in one transaction."""

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    live: LiveEvents = field(default_factory=LiveEvents)
    clock: Clock = system_clock  # the app's: when a wait for a person begins

    async def save(self, turn: Turn, answer: Draft | Silence) -> MessageResponse:
        """Store the reply (if any) and return the response the customer gets."""
        async with self.sessions() as db:
            repo = ChatRepository(db)
            reply: ReplyOut | None = None
            queued = False
            dialogue: dict[str, Any] | None = None
            if isinstance(answer, Draft):
                cards = [VehicleCardOut.of(c) for c in answer.cards]
                card = answer.appointment
                stored = await repo.add_message(
                    turn.session_id,
                    MessageRole.ASSISTANT,
                    answer.text,
                    source=answer.source,
                    vehicles=dump_cards(cards),
                    # Kept with the message, so a reloaded transcript shows the card again.
                    appointment=None
                    if card is None
                    else card.model_dump(mode="json", by_alias=True),
                    details=answer.trace.to_json(),
                    incomplete=answer.incomplete,
                )
                reply = ReplyOut(
                    id=stored.id,
                    content=answer.text,
                    vehicles=cards,
                    source=answer.source,
                    appointment=card,
                )
                if answer.trace.dialogue is not None:
                    dialogue = answer.trace.dialogue.to_json()
                # Asked again while waiting: the session stays in the queue once.
                if answer.trace.handoff and await repo.ask_for_person(
                    turn.session_id, self.clock()
                ):
                    await repo.add_transfer(turn.session_id, HANDOFF_REASON)
                    queued = True
            now = utcnow()
            # Sliding expiry: an active conversation stays open.
            status, handoff = await repo.touch(
                turn.session_id,
                now,
                now + timedelta(minutes=self.settings.session_ttl_minutes),
                dialogue,
            )
            response = MessageResponse(
                message_id=turn.message_id,
                session_status=shown_status(status, handoff),
                reply=reply,
            )
            if turn.idempotency_key is not None:
                await repo.finish_idempotency(
                    turn.session_id,
                    turn.idempotency_key,
                    response.model_dump(mode="json", by_alias=True),
                )
            await db.commit()
        if queued:
            waiting = HandoffEvent(
                session_id=turn.session_id, handoff=Handoff.WAITING, reason=None, at=self.clock()
            )
            await self.live.to_dealer(turn.assistant.dealer_id, EventKind.WAITING, waiting)
        return response
