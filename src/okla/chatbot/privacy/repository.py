"""Every query of the privacy jobs: finding old or requested data, and removing it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Delete, Update

from okla.chatbot.models import (
    Appointment,
    AppointmentClaim,
    ChatMessage,
    ChatSession,
    IdempotencyRecord,
    Lead,
    OutboxEvent,
    Transfer,
)

# Ids per IN (...) list: well under every backend's limit on bound parameters.
CHUNK = 500


class PrivacyRepository:
    """Read and remove customers' data within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _count(self, statement: Delete | Update) -> int:
        result = cast(CursorResult[Any], await self.session.execute(statement))
        return max(result.rowcount, 0)

    # Retention

    async def stale_sessions(self, cutoff: datetime, limit: int) -> list[str]:
        """Return sessions ended or expired before the cutoff whose transcript is still kept."""
        ids = await self.session.scalars(
            select(ChatSession.id)
            .where(or_(ChatSession.ended_at < cutoff, ChatSession.expires_at < cutoff))
            .where(exists().where(ChatMessage.session_id == ChatSession.id))
            .limit(limit)
        )
        return list(ids)

    async def erase_transcripts(self, session_ids: Sequence[str]) -> int:
        """Delete these sessions' messages and replays, and blank what else the customer wrote
        (metadata, dialogue state, transfer reasons); return the messages deleted.

        The session rows stay, anonymous: leads and appointments may point at them, and the
        counts of sessions stay right.
        """
        messages = 0
        for chunk in _chunks(session_ids):
            messages += await self._count(
                delete(ChatMessage).where(ChatMessage.session_id.in_(chunk))
            )
            await self.session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.session_id.in_(chunk))
            )
            await self.session.execute(
                update(Transfer).where(Transfer.session_id.in_(chunk)).values(reason=None)
            )
            await self.session.execute(
                update(ChatSession).where(ChatSession.id.in_(chunk)).values(meta={}, dialogue=None)
            )
        return messages

    async def delete_stale_appointments(self, cutoff: datetime) -> int:
        """Delete appointments that ended, and were last changed, before the cutoff."""
        return await self._count(
            delete(Appointment).where(Appointment.end < cutoff, Appointment.updated_at < cutoff)
        )

    async def delete_past_claims(self, before: datetime) -> int:
        """Delete the claimed minutes of test drives before an instant (nothing books there)."""
        minute = int(before.timestamp()) // 60
        return await self._count(delete(AppointmentClaim).where(AppointmentClaim.minute < minute))

    async def delete_stale_leads(self, cutoff: datetime) -> int:
        """Delete leads last changed before the cutoff."""
        return await self._count(delete(Lead).where(Lead.updated_at < cutoff))

    async def delete_old_events(self, cutoff: datetime) -> int:
        """Delete webhook events (they carry leads' names and phones) made before the cutoff."""
        return await self._count(delete(OutboxEvent).where(OutboxEvent.created_at < cutoff))

    # One customer's data

    async def messages_after(self, after: str, size: int) -> list[tuple[str, str, str]]:
        """Return up to `size` messages (id, session id, text) with ids after `after`."""
        rows = await self.session.execute(
            select(ChatMessage.id, ChatMessage.session_id, ChatMessage.content)
            .where(ChatMessage.id > after)
            .order_by(ChatMessage.id)
            .limit(size)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def transfer_reasons(self) -> list[tuple[str, str]]:
        """Return (session id, reason) of every transfer that gave a reason."""
        rows = await self.session.execute(
            select(Transfer.session_id, Transfer.reason).where(Transfer.reason.is_not(None))
        )
        return [(r[0], r[1]) for r in rows if r[1] is not None]

    async def delete_sessions(self, session_ids: Sequence[str]) -> tuple[int, int]:
        """Delete sessions with everything in them; return (sessions, messages) deleted."""
        sessions = messages = 0
        for chunk in _chunks(session_ids):
            messages += await self._count(
                delete(ChatMessage).where(ChatMessage.session_id.in_(chunk))
            )
            await self.session.execute(
                delete(IdempotencyRecord).where(IdempotencyRecord.session_id.in_(chunk))
            )
            await self.session.execute(delete(Transfer).where(Transfer.session_id.in_(chunk)))
            # Leads and appointments of other phones may point at the session: they lose the
            # link, not their row.
            for table in (Lead, Appointment):
                await self.session.execute(
                    update(table).where(table.session_id.in_(chunk)).values(session_id=None)
                )
            sessions += await self._count(delete(ChatSession).where(ChatSession.id.in_(chunk)))
        return sessions, messages

    async def lead_ids(self, phone_e164: str) -> list[str]:
        """Return the ids of the leads with this phone, at every dealer."""
        return list(
            await self.session.scalars(select(Lead.id).where(Lead.phone_e164 == phone_e164))
        )

    async def appointment_ids(self, phone_e164: str, lead_ids: Sequence[str]) -> list[str]:
        """Return the ids of the appointments with this phone or of these leads."""
        found = set(
            await self.session.scalars(
                select(Appointment.id).where(Appointment.phone_e164 == phone_e164)
            )
        )
        for chunk in _chunks(lead_ids):
            found |= set(
                await self.session.scalars(
                    select(Appointment.id).where(Appointment.lead_id.in_(chunk))
                )
            )
        return sorted(found)

    async def sessions_of(
        self, lead_ids: Sequence[str], appointment_ids: Sequence[str]
    ) -> list[str]:
        """Return the sessions these leads and appointments were made in."""
        found: set[str | None] = set()
        for chunk in _chunks(lead_ids):
            found |= set(
                await self.session.scalars(select(Lead.session_id).where(Lead.id.in_(chunk)))
            )
        for chunk in _chunks(appointment_ids):
            found |= set(
                await self.session.scalars(
                    select(Appointment.session_id).where(Appointment.id.in_(chunk))
                )
            )
        return sorted(s for s in found if s is not None)

    async def delete_appointments(self, ids: Sequence[str]) -> int:
        """Delete these appointments."""
        return sum(
            [
                await self._count(delete(Appointment).where(Appointment.id.in_(c)))
                for c in _chunks(ids)
            ]
        )

    async def delete_leads(self, ids: Sequence[str]) -> int:
        """Delete these leads."""
        return sum([await self._count(delete(Lead).where(Lead.id.in_(c))) for c in _chunks(ids)])

    async def events(self) -> list[tuple[str, dict[str, Any]]]:
        """Return every webhook event's id and payload."""
        rows = await self.session.execute(select(OutboxEvent.id, OutboxEvent.payload))
        return [(r[0], r[1]) for r in rows]

    async def delete_events(self, ids: Sequence[str]) -> int:
        """Delete these webhook events."""
        return sum(
            [
                await self._count(delete(OutboxEvent).where(OutboxEvent.id.in_(c)))
                for c in _chunks(ids)
            ]
        )


def _chunks(ids: Sequence[str]) -> list[Sequence[str]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
