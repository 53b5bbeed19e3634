"""Nobody answers: a conversation left waiting goes back to the bot, which offers a call.

The wait is measured on the app's clock (a wait begins at the clock's moment too), so tests
and benchmarks move time instead of sleeping.

No timer per session (it would die with its replica): the wait is looked at when the
customer writes, when their widget polls the session and on their event stream's heartbeat.
Whichever looks first moves the session with a conditional UPDATE, so the customer hears it
once whatever the number of replicas.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.presence import Presence, advisor_available
from okla.chatbot.advisors.repository import AdvisorRepository
from okla.chatbot.chat.domain import Handoff, MessageRole, MessageSource, SessionStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.dealers.repository import profile_of
from okla.chatbot.leads import phrases
from okla.chatbot.leads.domain import AwaitingContact, LeadInterest
from okla.chatbot.live.domain import EventKind, HandoffEvent, MessageEvent, ReturnReason
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import utcnow
from okla.chatbot.reply.draft import join
from okla.chatbot.understanding.dialogue import DialogueState


@dataclass(frozen=True)
class Waiting:
    """Decide whether a waiting customer has waited enough, and tell them so."""

    sessions: async_sessionmaker[AsyncSession]
    wait_seconds: float
    live: LiveEvents = field(default_factory=LiveEvents)
    clock: Clock = system_clock  # the app's: how long the customer has waited
    presence: Presence = advisor_available

    async def check(self, session_id: str) -> bool:
        """Give a session back to the bot if nobody came in time or the dealer is closed.

        Returns whether the session is still open (not ended, not expired).
        """
        now = self.clock()
        async with self.sessions() as db:
            chat = await AdvisorRepository(db).session_of(session_id, None)
            if chat is None:
                return False
            if chat.status == SessionStatus.ENDED or chat.expires_at <= utcnow():
                return False
            if chat.handoff != Handoff.WAITING or chat.claimed_by is not None:
                return True
            repo = ChatRepository(db)
            dealer = await repo.dealer_of(chat)
            profile = profile_of(dealer)
            waited = chat.handoff_at is not None and now - chat.handoff_at >= timedelta(
                seconds=self.wait_seconds
            )
            closed = not self.presence(profile, now)
            if not (waited or closed):
                return True
            if not await AdvisorRepository(db).give_up(chat.id, chat.handoff_at, now):
                return True  # claimed, or given up by another process meanwhile
            if closed:
                intro = phrases.nobody_available(profile.next_opening(now), now, "es")
                reason = ReturnReason.DEALER_CLOSED
            else:
                intro = phrases.nobody_came("es")
                reason = ReturnReason.NOBODY_ANSWERED
            consent = phrases.consent(dealer.name, "es")
            dialogue = DialogueState.from_json(chat.dialogue)
            offer = AwaitingContact(LeadInterest.CALLBACK, dialogue.focus, consent, "es")
            # The contact form reads the customer's next message as the answer to this offer.
            chat.dialogue = replace(dialogue, awaiting=offer).to_json()
            text = join(f"{intro} {consent}", phrases.meanwhile("es"))
            message = await repo.add_message(
                chat.id, MessageRole.ASSISTANT, text, source=MessageSource.FALLBACK
            )
            await db.commit()
            at = now
            said = MessageEvent(
                session_id=chat.id,
                message_id=message.id,
                role=MessageRole.ASSISTANT,
                content=text,
                created_at=message.created_at,
            )
            handoff = HandoffEvent(session_id=chat.id, handoff=Handoff.BOT, reason=reason, at=at)
            await self.live.to_session(chat.id, EventKind.RETURNED, said)
            await self.live.to_dealer(chat.dealer_id, EventKind.RETURNED, handoff)
            return True
