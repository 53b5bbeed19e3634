"""Every query of the advisors' side, each limited to the caller's dealer.

The handoff's transitions are conditional UPDATEs whose WHERE clause holds the state they
start from: when two advisors act at once, the database lets exactly one of them through
(the row's lock on PostgreSQL, the single writer on SQLite), and the other's update
changes no row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Update, and_, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.chat.domain import Handoff, SessionStatus
from okla.chatbot.models import (
    Appointment,
    ChatMessage,
    ChatSession,
    Dealer,
    Lead,
    Transfer,
    User,
    Vehicle,
)

# (session, its dealer, the advisor who claimed it)
QueueRow = tuple[ChatSession, Dealer, User | None]


def _in_scope(dealer: str | None) -> ColumnElement[bool]:
    """Limit sessions to one dealer's (by slug); None: every dealer (an operator)."""
    if dealer is None:
        return true()
    return ChatSession.dealer_id.in_(select(Dealer.id).where(Dealer.slug == dealer))


def _open_at(now: datetime) -> ColumnElement[bool]:
    """A conversation a person may still answer: not ended by the customer, not expired."""
    return and_(ChatSession.status == SessionStatus.ACTIVE, ChatSession.expires_at > now)


class AdvisorRepository:
    """Read and move handed-over sessions within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(self, dealer: str | None, now: datetime, limit: int) -> Sequence[QueueRow]:
        """Return the open sessions a person answers (waiting or claimed), longest waiting first."""
        query = (
            select(ChatSession, Dealer, User)
            .join(Dealer, ChatSession.dealer_id == Dealer.id)
            .outerjoin(User, ChatSession.claimed_by == User.id)
            .where(
                _in_scope(dealer),
                _open_at(now),
                ChatSession.handoff.in_([Handoff.WAITING, Handoff.WITH_AGENT]),
            )
            .order_by(ChatSession.handoff_at, ChatSession.id)
            .limit(limit)
        )
        return [(s, d, u) for s, d, u in await self.session.execute(query)]

    async def latest_transfers(self, session_ids: Sequence[str]) -> dict[str, Transfer]:
        """Return each session's newest request for a person."""
        if not session_ids:
            return {}
        rows = await self.session.scalars(
            select(Transfer)
            .where(Transfer.session_id.in_(session_ids))
            .order_by(Transfer.created_at)
        )
        return {t.session_id: t for t in rows}  # the newest wins

    async def session_of(self, session_id: str, dealer: str | None) -> ChatSession | None:
        """Find a session by id among the dealer's (another dealer's is missing)."""
        return await self.session.scalar(
            select(ChatSession)
            .where(ChatSession.id == session_id, _in_scope(dealer))
            # Read the row as it is now, not as an earlier read in this session left it.
            .execution_options(populate_existing=True)
        )

    async def messages(self, session_id: str) -> Sequence[tuple[ChatMessage, str | None]]:
        """Return the transcript in order, each message with its advisor's name if any."""
        rows = await self.session.execute(
            select(ChatMessage, User.name)
            .outerjoin(User, ChatMessage.author_user_id == User.id)
            .where(ChatMessage.session_id == session_id)
            .order_by(ChatMessage.seq)
        )
        return [(m, name) for m, name in rows]

    async def lead_of(self, session_id: str) -> Lead | None:
        """Return the lead the session left last, if any."""
        return await self.session.scalar(
            select(Lead)
            .where(Lead.session_id == session_id)
            .order_by(Lead.updated_at.desc())
            .limit(1)
        )

    async def bookings_of(self, session_id: str) -> Sequence[tuple[Appointment, Vehicle | None]]:
        """Return the test drives booked in the session, with their vehicles."""
        rows = await self.session.execute(
            select(Appointment, Vehicle)
            .outerjoin(Vehicle, Appointment.vehicle_id == Vehicle.id)
            .where(Appointment.session_id == session_id)
            .order_by(Appointment.start)
        )
        return [(a, v) for a, v in rows]

    async def dealer(self, slug: str) -> Dealer | None:
        """Find a dealer by slug."""
        return await self.session.scalar(select(Dealer).where(Dealer.slug == slug))

    async def user(self, user_id: str) -> User | None:
        """Find an account by id."""
        return await self.session.get(User, user_id)

    # Transitions: each tells whether it moved the session.

    async def claim(self, session_id: str, dealer: str | None, user_id: str, now: datetime) -> bool:
        """Take a waiting session that nobody has claimed."""
        return await self._move(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                _in_scope(dealer),
                _open_at(now),
                ChatSession.handoff == Handoff.WAITING,
                ChatSession.claimed_by.is_(None),
            )
            .values(handoff=Handoff.WITH_AGENT, claimed_by=user_id, handoff_at=now)
        )

    async def release(
        self, session_id: str, dealer: str | None, holder: str | None, now: datetime
    ) -> bool:
        """Put a claimed session back in the queue (only the holder's, unless holder is None)."""
        return await self._move(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                _in_scope(dealer),
                _open_at(now),
                ChatSession.handoff == Handoff.WITH_AGENT,
                _held_by(holder),
            )
            .values(handoff=Handoff.WAITING, claimed_by=None, handoff_at=now)
        )

    async def finish(
        self, session_id: str, dealer: str | None, holder: str | None, to: Handoff, now: datetime
    ) -> bool:
        """End a handoff (Closed, or back to the Bot) of a session waiting or claimed.

        A claimed session only by its holder, unless holder is None (a manager's override).
        """
        return await self._move(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                _in_scope(dealer),
                _open_at(now),
                ChatSession.handoff.in_([Handoff.WAITING, Handoff.WITH_AGENT]),
                or_(ChatSession.claimed_by.is_(None), _held_by(holder)),
            )
            .values(handoff=to, claimed_by=None, handoff_at=now)
        )

    async def give_up(self, session_id: str, waiting_since: datetime | None, now: datetime) -> bool:
        """Hand a session nobody claimed back to the bot (only if still waiting since then)."""
        since = (
            ChatSession.handoff_at.is_(None)
            if waiting_since is None
            else ChatSession.handoff_at == waiting_since
        )
        return await self._move(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                ChatSession.handoff == Handoff.WAITING,
                ChatSession.claimed_by.is_(None),
                since,
            )
            .values(handoff=Handoff.BOT, handoff_at=now)
        )

    async def touch_if_held(self, session_id: str, user_id: str, now: datetime) -> bool:
        """Mark the holder's activity on a session they still hold (its row locked till commit)."""
        return await self._move(
            update(ChatSession)
            .where(
                ChatSession.id == session_id,
                _open_at(now),
                ChatSession.handoff == Handoff.WITH_AGENT,
                ChatSession.claimed_by == user_id,
            )
            .values(last_activity_at=now)
        )

    async def _move(self, statement: Update) -> bool:
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _held_by(holder: str | None) -> ColumnElement[bool]:
    if holder is None:
        return true()
    return ChatSession.claimed_by == holder
