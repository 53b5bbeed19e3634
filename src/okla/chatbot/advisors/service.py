"""Advisors take handed-over conversations, answer them, and give them back.

Every call is limited to the caller's dealer: another dealer's conversation is missing (404).
Bot -> WaitingForAgent (the customer asks) -> WithAgent (claim) -> Closed (close) or Bot
(return); release puts a claimed conversation back in the queue. Only the advisor holding a
conversation writes in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.advisors.repository import AdvisorRepository
from okla.chatbot.advisors.schemas import (
    AdvisorMessage,
    AdvisorRef,
    AdvisorTranscript,
    AgentReply,
    AgentReplyOut,
    CannedReplies,
    CannedRepliesIn,
    HandoffOut,
    PendingTransfer,
    SessionBooking,
    SessionLead,
)
from okla.chatbot.auth import Caller, Role
from okla.chatbot.chat.domain import Handoff, MessageRole, MessageSource, SessionStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.dealers.repository import canned_replies, set_canned_replies
from okla.chatbot.errors import ConflictError, NotFoundError, UnprocessableError
from okla.chatbot.inventory.schemas import VehicleCardOut
from okla.chatbot.live.domain import EventKind, HandoffEvent, MessageEvent, TypingEvent
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import ChatMessage, ChatSession, Dealer, utcnow
from okla.chatbot.reply import templates

# The conversations shown at once.
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class AdvisorService:
    """What the advisors' console does."""

    sessions: async_sessionmaker[AsyncSession]
    live: LiveEvents = field(default_factory=LiveEvents)

    async def queue(self, caller: Caller) -> list[PendingTransfer]:
        """List the dealer's open conversations a person answers, longest waiting first."""
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            rows = await repo.queue(caller.scope(None), utcnow(), QUEUE_LIMIT)
            transfers = await repo.latest_transfers([s.id for s, _, _ in rows])
            out: list[PendingTransfer] = []
            for chat, dealer, holder in rows:
                transfer = transfers.get(chat.id)
                since = chat.handoff_at or chat.last_activity_at
                out.append(
                    PendingTransfer(
                        transfer_id=transfer.id if transfer else None,
                        session_id=chat.id,
                        dealer=dealer.name,
                        dealer_slug=dealer.slug,
                        reason=transfer.reason if transfer else None,
                        handoff=chat.handoff,
                        claimed_by=AdvisorRef(id=holder.id, name=holder.name) if holder else None,
                        created_at=transfer.created_at if transfer else since,
                        since=since,
                    )
                )
            return out

    async def transcript(self, caller: Caller, session_id: str) -> AdvisorTranscript:
        """Return a conversation's transcript, with the vehicles the customer was shown."""
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            chat = await _session(repo, caller, session_id)
            messages = await repo.messages(chat.id)
            lead = await repo.lead_of(chat.id)
            bookings = await repo.bookings_of(chat.id)
            return AdvisorTranscript(
                session_id=chat.id,
                status=chat.status,
                handoff=chat.handoff,
                claimed_by=await _holder(repo, chat),
                messages=[
                    AdvisorMessage(
                        role=m.role,
                        content=m.content,
                        vehicles=[VehicleCardOut.model_validate(v) for v in m.vehicles],
                        author=(
                            AdvisorRef(id=m.author_user_id, name=name)
                            if m.author_user_id is not None and name is not None
                            else None
                        ),
                        created_at=m.created_at,
                    )
                    for m, name in messages
                ],
                lead=None
                if lead is None
                else SessionLead(
                    id=lead.id,
                    name=lead.name,
                    phone=lead.phone_e164,
                    email=lead.email,
                    interest=lead.interest.value,
                    status=lead.status.value,
                ),
                bookings=[
                    SessionBooking(
                        id=a.id,
                        status=a.status.value,
                        start=a.start,
                        vehicle=None if v is None else f"{v.make} {v.model} {v.year}",
                    )
                    for a, v in bookings
                ],
            )

    async def canned(self, caller: Caller, dealer: str | None) -> CannedReplies:
        """Return a dealer's canned replies (an operator without a dealer names one)."""
        async with self.sessions() as db:
            row = await _dealer(AdvisorRepository(db), caller, dealer)
            return CannedReplies(dealer=row.slug, replies=canned_replies(row))

    async def set_canned(self, caller: Caller, body: CannedRepliesIn) -> CannedReplies:
        """Replace a dealer's canned replies (managers and operators)."""
        caller.require(Role.MANAGER, Role.ADMIN)
        async with self.sessions() as db:
            row = await _dealer(AdvisorRepository(db), caller, body.dealer)
            set_canned_replies(row, list(body.replies))
            await db.commit()
            return CannedReplies(dealer=row.slug, replies=list(body.replies))

    async def claim(self, caller: Caller, session_id: str) -> HandoffOut:
        """Take a waiting conversation; of two advisors claiming at once, one wins (409)."""
        now = utcnow()
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            if await repo.claim(session_id, caller.scope(None), caller.subject, now):
                advisor = await repo.user(caller.subject)
                assert advisor is not None, "a confirmed caller has an account"
                joined = await ChatRepository(db).add_message(
                    session_id,
                    MessageRole.SYSTEM,
                    templates.advisor_joined(advisor.name),
                    author_user_id=advisor.id,
                )
                await db.commit()
                state = await self._state(repo, caller, session_id)
                chat = await _session(repo, caller, session_id)
                ref = AdvisorRef(id=advisor.id, name=advisor.name)
                await self.live.to_session(chat.id, EventKind.JOINED, _said(joined, ref))
                await self._tell_dealer(chat, EventKind.CLAIMED, ref)
                return state
            chat = await _session(repo, caller, session_id)
            mine = chat.handoff == Handoff.WITH_AGENT and chat.claimed_by == caller.subject
            if mine and _is_open(chat):
                return await self._state(repo, caller, session_id)  # claimed already: same
            _refuse(chat, "claim")

    async def release(self, caller: Caller, session_id: str) -> HandoffOut:
        """Put a claimed conversation back in the queue (a manager may release anyone's)."""
        now = utcnow()
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            holder = _holder_filter(caller)
            if await repo.release(session_id, caller.scope(None), holder, now):
                await db.commit()
                state = await self._state(repo, caller, session_id)
                chat = await _session(repo, caller, session_id)
                await self._tell_dealer(chat, EventKind.RELEASED, await _ref(repo, caller))
                return state
            _refuse(await _session(repo, caller, session_id), "release")

    async def close(self, caller: Caller, session_id: str) -> HandoffOut:
        """End the handoff: the conversation is Closed and the bot answers the customer again."""
        return await self._finish(caller, session_id, Handoff.CLOSED, "close")

    async def return_to_bot(self, caller: Caller, session_id: str) -> HandoffOut:
        """Give the conversation back to the bot without closing it."""
        return await self._finish(caller, session_id, Handoff.BOT, "return")

    async def reply(self, caller: Caller, session_id: str, body: AgentReply) -> AgentReplyOut:
        """Store the holding advisor's message for the customer (others get 409)."""
        now = utcnow()
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            chat = await _session(repo, caller, session_id)
            # The UPDATE locks the row until the message is committed: a release or close
            # can't slip in between the check and the message.
            if not await repo.touch_if_held(chat.id, caller.subject, now):
                _refuse(chat, "reply")
            message = await ChatRepository(db).add_message(
                chat.id,
                MessageRole.AGENT,
                body.message,
                source=MessageSource.HUMAN,
                author_user_id=caller.subject,
            )
            await db.commit()
            said = _said(message, await _ref(repo, caller))
            await self.live.to_session(chat.id, EventKind.MESSAGE, said)
            await self.live.to_dealer(chat.dealer_id, EventKind.MESSAGE, said)
            return AgentReplyOut(message_id=message.id)

    async def typing(self, caller: Caller, session_id: str) -> None:
        """Tell the customer the advisor holding the conversation is writing (others 409)."""
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            chat = await _session(repo, caller, session_id)
            held = chat.handoff == Handoff.WITH_AGENT and chat.claimed_by == caller.subject
            if not (held and _is_open(chat)):
                _refuse(chat, "type in")
            ref = await _ref(repo, caller)
        await self.live.to_session(
            chat.id, EventKind.TYPING, TypingEvent(session_id=chat.id, advisor=ref)
        )

    async def _finish(
        self, caller: Caller, session_id: str, to: Handoff, action: str
    ) -> HandoffOut:
        now = utcnow()
        async with self.sessions() as db:
            repo = AdvisorRepository(db)
            chat = await _session(repo, caller, session_id)
            if not await repo.finish(chat.id, caller.scope(None), _holder_filter(caller), to, now):
                _refuse(await _session(repo, caller, session_id), action)
            dealer = await ChatRepository(db).dealer_of(chat)
            left = await ChatRepository(db).add_message(
                chat.id,
                MessageRole.SYSTEM,
                templates.advisor_left(dealer.assistant_name),
                author_user_id=caller.subject,
            )
            await db.commit()
            state = await self._state(repo, caller, session_id)
            ref = await _ref(repo, caller)
            kind = EventKind.CLOSED if to == Handoff.CLOSED else EventKind.RETURNED
            await self.live.to_session(chat.id, kind, _said(left, ref))
            await self._tell_dealer(chat, kind, ref)
            return state

    async def _tell_dealer(self, chat: ChatSession, kind: EventKind, advisor: AdvisorRef) -> None:
        """Tell the dealer's advisors where a conversation's handoff stands now."""
        event = HandoffEvent(session_id=chat.id, handoff=chat.handoff, advisor=advisor, at=utcnow())
        await self.live.to_dealer(chat.dealer_id, kind, event)

    async def _state(self, repo: AdvisorRepository, caller: Caller, session_id: str) -> HandoffOut:
        chat = await _session(repo, caller, session_id)
        return HandoffOut(
            session_id=chat.id, handoff=chat.handoff, claimed_by=await _holder(repo, chat)
        )


async def _dealer(repo: AdvisorRepository, caller: Caller, slug: str | None) -> Dealer:
    """Return the dealer a call is about: the caller's own, or the one an operator names."""
    scoped = caller.scope(slug)
    if scoped is None:
        raise UnprocessableError("Name the dealer (its slug).", field="dealer")
    row = await repo.dealer(scoped)
    if row is None:
        raise NotFoundError(f"No dealer '{scoped}'.", field="dealer")
    return row


async def _ref(repo: AdvisorRepository, caller: Caller) -> AdvisorRef:
    """Return the calling advisor as events name them."""
    user = await repo.user(caller.subject)
    assert user is not None, "a confirmed caller has an account"
    return AdvisorRef(id=user.id, name=user.name)


def _said(message: ChatMessage, author: AdvisorRef | None) -> MessageEvent:
    """Describe a stored message for the live events."""
    return MessageEvent(
        session_id=message.session_id,
        message_id=message.id,
        role=message.role,
        content=message.content,
        vehicles=[VehicleCardOut.model_validate(v) for v in message.vehicles],
        author=author,
        created_at=message.created_at,
    )


def _holder_filter(caller: Caller) -> str | None:
    """Whose claim the caller may undo: their own; a manager's or operator's, anyone's."""
    return None if caller.role in (Role.MANAGER, Role.ADMIN) else caller.subject


async def _session(repo: AdvisorRepository, caller: Caller, session_id: str) -> ChatSession:
    chat = await repo.session_of(session_id, caller.scope(None))
    if chat is None:
        raise NotFoundError("No such session.", field="sessionId")
    return chat


async def _holder(repo: AdvisorRepository, chat: ChatSession) -> AdvisorRef | None:
    if chat.claimed_by is None:
        return None
    user = await repo.user(chat.claimed_by)
    return AdvisorRef(id=user.id, name=user.name) if user is not None else None


def _is_open(chat: ChatSession) -> bool:
    """Tell whether a person may still write in a conversation (not ended, not expired)."""
    return chat.status != SessionStatus.ENDED and chat.expires_at > utcnow()


def _refuse(chat: ChatSession, action: str) -> NoReturn:
    """Explain why a transition didn't apply to the conversation as it stands (409)."""
    if not _is_open(chat):
        raise ConflictError("This conversation has ended.", field="sessionId")
    if chat.handoff == Handoff.WITH_AGENT:
        raise ConflictError(
            "Another advisor has claimed this conversation; it is theirs until they release it.",
            field="sessionId",
        )
    if chat.handoff == Handoff.WAITING:
        raise ConflictError(
            f"Nobody has claimed this conversation; claim it before you {action} it.",
            field="sessionId",
        )
    raise ConflictError(
        f"This conversation is not with the advisors ({chat.handoff.value}).", field="sessionId"
    )
