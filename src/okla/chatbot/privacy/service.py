"""Keeping customers' data no longer than RETENTION_DAYS, and forgetting one on request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.models import utcnow
from okla.chatbot.privacy.domain import Forgotten, Purged
from okla.chatbot.privacy.repository import PrivacyRepository
from okla.chatbot.settings import ChatbotSettings
from okla.chatbot.text.contact import mentions_phone

logger = logging.getLogger("okla.chatbot.privacy")

# Sessions whose transcripts one transaction erases: short transactions, however much is due.
BATCH = 200


@dataclass
class PrivacyService:
    """Erase what is older than the retention period; remove one customer's data on request.

    Both are safe to run in several processes at once: each step deletes what is still there,
    and a second process finds nothing left to delete.
    """

    settings: ChatbotSettings
    sessions: async_sessionmaker[AsyncSession]
    _task: asyncio.Task[None] | None = field(default=None, init=False)

    async def purge(self, now: datetime | None = None) -> Purged:
        """Erase the transcripts of sessions ended or expired over RETENTION_DAYS ago, and the
        leads, appointments and webhook events untouched as long, and past slot claims."""
        moment = now or utcnow()
        cutoff = moment - timedelta(days=self.settings.retention_days)
        sessions = messages = 0
        while True:
            async with self.sessions() as db:
                repo = PrivacyRepository(db)
                due = await repo.stale_sessions(cutoff, BATCH)
                if not due:
                    break
                messages += await repo.erase_transcripts(due)
                await db.commit()
            sessions += len(due)
        async with self.sessions() as db:
            repo = PrivacyRepository(db)
            appointments = await repo.delete_stale_appointments(cutoff)
            leads = await repo.delete_stale_leads(cutoff)
            events = await repo.delete_old_events(cutoff)
            # A booking's minute-by-minute claims only guard the future against overlaps: a
            # day after, they are dead weight (60 rows per seat for an hour's test drive).
            claims = await repo.delete_past_claims(moment - timedelta(days=1))
            await db.commit()
        return Purged(sessions, messages, leads, appointments, events, claims)

    async def forget_phone(self, phone_e164: str) -> Forgotten:
        """Delete every session that mentions this phone (in any format), with all of its
        messages, and the leads, appointments and webhook events with this phone."""
        async with self.sessions() as db:
            repo = PrivacyRepository(db)
            found: set[str] = set()
            after = ""
            while batch := await repo.messages_after(after, 1000):
                found |= {sid for _id, sid, text in batch if mentions_phone(text, phone_e164)}
                after = batch[-1][0]
            found |= {
                sid for sid, reason in await repo.transfer_reasons()
                if mentions_phone(reason, phone_e164)
            }  # fmt: skip
            leads = await repo.lead_ids(phone_e164)
            appointments = await repo.appointment_ids(phone_e164, leads)
            found |= set(await repo.sessions_of(leads, appointments))
            gone = {*leads, *appointments}
            events = [
                event_id
                for event_id, payload in await repo.events()
                if any(v in gone or mentions_phone(v, phone_e164) for v in _strings(payload))
            ]
            sessions, messages = await repo.delete_sessions(sorted(found))
            removed = Forgotten(
                sessions=sessions,
                messages=messages,
                appointments=await repo.delete_appointments(appointments),
                leads=await repo.delete_leads(leads),
                events=await repo.delete_events(events),
            )
            await db.commit()
        return removed

    def start(self) -> None:
        """Run the retention job every RETENTION_INTERVAL_SECONDS in the background."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._every_interval(), name="okla-retention")

    async def close(self) -> None:
        """Stop the retention job (the app is shutting down)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _every_interval(self) -> None:
        interval = self.settings.retention_interval_seconds
        # Several processes started together don't all run at the same moment.
        await asyncio.sleep(random.uniform(0, min(interval, 60.0)))
        while True:
            try:
                purged = await self.purge()
            except Exception:  # a database outage: try again next time, never stop
                logger.exception("The retention job failed; it runs again in %.0f s", interval)
            else:
                if purged:
                    logger.info("Retention: removed %s", purged)
            await asyncio.sleep(interval)


def _strings(value: object) -> list[str]:
    """Return every string inside a JSON value (keys excepted)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
