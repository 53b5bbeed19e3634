"""Capture leads (one per dealer and phone) with their webhook event, and serve them to staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from okla.chatbot.errors import NotFoundError, UnprocessableError
from okla.chatbot.leads.domain import (
    CLOSED_STATUSES,
    Lead,
    LeadFilter,
    LeadInterest,
    LeadStatus,
    LeadView,
)
from okla.chatbot.leads.export import webhook_data
from okla.chatbot.leads.repository import LeadRepository, lead_of
from okla.chatbot.leads.schemas import LeadPatch
from okla.chatbot.live.domain import EventKind as LiveKind
from okla.chatbot.live.domain import LeadEvent
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import Lead as LeadRow
from okla.chatbot.models import new_id, utcnow
from okla.chatbot.outbox.domain import EventKind
from okla.chatbot.outbox.repository import OutboxRepository
from okla.chatbot.text.contact import normalize_email, normalize_phone

NAME_LENGTH = 120
# Two captures of one phone at once: the loser of the insert race updates the winner's lead.
CAPTURE_TRIES = 2


@dataclass(frozen=True)
class LeadService:
    """Leads: captured from the chat (or a booking), read and updated by the dealer's staff."""

    sessions: async_sessionmaker[AsyncSession]
    live: LiveEvents = field(default_factory=LiveEvents)

    async def capture(
        self,
        dealer_id: str,
        session_id: str | None,
        name: str,
        phone_e164: str,
        email: str | None,
        vehicle_id: str | None,
        interest: LeadInterest,
        consent: str,
    ) -> Lead:
        """Store a customer's contact as the dealer's lead for that phone, with its event.

        A returning customer (same dealer, same phone) updates their lead: name, email (if
        given), vehicle (if given), interest, session, consent and time. An open lead keeps its
        status; a closed one (Won, Lost) opens again as New, since the customer is back with a
        new request. The `lead.created`/`lead.updated` event is written in the same transaction.
        """
        for attempt in range(CAPTURE_TRIES):
            try:
                async with self.sessions() as db:
                    lead = await self.capture_in(
                        db,
                        dealer_id,
                        session_id,
                        name,
                        phone_e164,
                        email,
                        vehicle_id,
                        interest,
                        consent,
                    )
                    await db.commit()
                await self.live.to_dealer(
                    lead.dealer_id,
                    LiveKind.LEAD,
                    LeadEvent(
                        lead_id=lead.id,
                        session_id=lead.session_id,
                        interest=lead.interest.value,
                        status=lead.status.value,
                        created=lead.created,
                    ),
                )
                return lead
            except IntegrityError:
                if attempt + 1 == CAPTURE_TRIES:
                    raise
                # Another request stored this phone first: this try updates their lead.
        raise AssertionError("unreachable")

    async def capture_in(
        self,
        db: AsyncSession,
        dealer_id: str,
        session_id: str | None,
        name: str,
        phone_e164: str,
        email: str | None,
        vehicle_id: str | None,
        interest: LeadInterest,
        consent: str,
    ) -> Lead:
        """Stage a capture (see `capture`) in the caller's transaction; the caller commits."""
        clean_name = name.strip()[:NAME_LENGTH]
        if not clean_name:
            raise UnprocessableError("A lead needs the customer's name.", field="name")
        phone = normalize_phone(phone_e164)
        if phone is None:
            raise UnprocessableError(
                "Not a valid phone number.", field="phone", hint="For example +18095551234."
            )
        clean_email = None
        if email:
            clean_email = normalize_email(email)
            if clean_email is None:
                raise UnprocessableError("Not a valid email address.", field="email")
        if not consent.strip():
            raise UnprocessableError("A lead needs the consent sentence shown.", field="consent")
        repo = LeadRepository(db)
        if await repo.dealer(dealer_id) is None:
            raise NotFoundError("No such dealer.", field="dealer")
        # A vehicle sold and removed since the customer asked about it doesn't lose the lead.
        vehicle = await repo.vehicle(dealer_id, vehicle_id) if vehicle_id else None
        now = utcnow()
        row = await repo.by_phone(dealer_id, phone)
        created = row is None
        if row is None:
            row = LeadRow(
                id=new_id(),
                dealer_id=dealer_id,
                phone_e164=phone,
                status=LeadStatus.NEW,
                created_at=now,
            )
            repo.add(row)
        elif row.status in CLOSED_STATUSES:
            row.status = LeadStatus.NEW
        row.name = clean_name
        row.email = clean_email or row.email
        row.vehicle_id = vehicle.id if vehicle is not None else row.vehicle_id
        row.interest = interest
        row.session_id = session_id
        row.consent = consent
        row.updated_at = now
        await db.flush()
        kind = EventKind.LEAD_CREATED if created else EventKind.LEAD_UPDATED
        OutboxRepository(db).add(dealer_id, kind, webhook_data(await repo.view(row)))
        return lead_of(row, created=created)

    async def listing(
        self,
        dealer: str | None,
        status: LeadStatus | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[LeadView]:
        """List a dealer's leads (every dealer's for None), most recently touched first."""
        async with self.sessions() as db:
            repo = LeadRepository(db)
            dealer_id = await _dealer_id(repo, dealer)
            return await repo.listing(LeadFilter(dealer_id, status, since, limit))

    async def update(self, dealer: str | None, lead_id: str, patch: LeadPatch) -> LeadView:
        """Change a lead's status or notes; a lead of another dealer than `dealer` is not found."""
        async with self.sessions() as db:
            repo = LeadRepository(db)
            dealer_id = await _dealer_id(repo, dealer)
            row = await repo.get(lead_id, dealer_id)
            if row is None:
                raise NotFoundError("No such lead.", field="id")
            if patch.status is not None:
                row.status = patch.status
            if "notes" in patch.model_fields_set:
                row.notes = patch.notes or None
            row.updated_at = utcnow()
            await db.flush()
            view = await repo.view(row)
            OutboxRepository(db).add(row.dealer_id, EventKind.LEAD_UPDATED, webhook_data(view))
            await db.commit()
            return view


async def _dealer_id(repo: LeadRepository, slug: str | None) -> str | None:
    """Return the id of the dealer a query is limited to (None: every dealer)."""
    if slug is None:
        return None
    dealer = await repo.dealer_by_slug(slug)
    if dealer is None:
        raise NotFoundError(f"No dealer '{slug}'.", field="dealer")
    return dealer.id
