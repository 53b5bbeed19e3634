"""Book, move and cancel test drives; the database refuses any double booking.

A booking claims each minute it lasts on one seat of its slot (1 to the slot's capacity) and,
with a vehicle, that vehicle's minute too; unique indexes refuse a second claim. Two customers
racing for the last seat both read it free, both insert, and one insert fails: the loser
starts again from a fresh read and is told the slot is full, with the next free starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from okla.chatbot.bookings import slots
from okla.chatbot.bookings.domain import (
    AppointmentStatus,
    AppointmentView,
    Booked,
    Refusal,
    Refused,
    Slot,
)
from okla.chatbot.bookings.ics import calendar_file, token_matches
from okla.chatbot.bookings.repository import BookingRepository, minutes_of, view_of
from okla.chatbot.bookings.schemas import AppointmentOut, BookingRequest, StaffAppointmentOut
from okla.chatbot.chat.access import SessionAccess, hash_token, new_token
from okla.chatbot.chat.domain import SessionStatus
from okla.chatbot.chat.repository import ChatRepository
from okla.chatbot.clock import Clock, system_clock
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.repository import profile_of
from okla.chatbot.errors import (
    AppointmentNotFoundError,
    ConflictError,
    NotFoundError,
    ServiceUnavailableError,
    SessionNotFoundError,
    SlotUnavailableError,
    UnprocessableError,
)
from okla.chatbot.inventory.domain import VehicleStatus
from okla.chatbot.inventory.schemas import DealerOut
from okla.chatbot.live.domain import BookingEvent
from okla.chatbot.live.domain import EventKind as LiveKind
from okla.chatbot.live.service import LiveEvents
from okla.chatbot.models import Appointment, ChatSession, Dealer, new_id, utcnow
from okla.chatbot.outbox.domain import EventKind
from okla.chatbot.outbox.repository import OutboxRepository

# Each failed try means another booking took a claim in the meantime; a slot fills up long
# before this many.
MAX_TRIES = 20
LISTING_LIMIT = 1000


def allocate(minutes: range, taken: Mapping[int, set[int]], capacity: int) -> dict[int, int] | None:
    """Return the lowest free seat of each minute, or None if a minute has no seat left.

    Racers that read the same claims pick the same seats, so the unique index makes all
    but one of them start again. Seats above the capacity (left by a capacity lowered since)
    still count as taken.
    """
    seats: dict[int, int] = {}
    for minute in minutes:
        used = taken.get(minute, set())
        if len(used) >= capacity:
            return None
        seats[minute] = next(s for s in range(1, capacity + 1) if s not in used)
    return seats


@dataclass(frozen=True)
class BookingService:
    """Test drives of a dealer: book, reschedule, cancel, list, and their calendar files."""

    sessions: async_sessionmaker[AsyncSession]
    access: SessionAccess
    clock: Clock = system_clock  # the app's: the moment slots are offered and checked at
    live: LiveEvents = field(default_factory=LiveEvents)

    # -- what the chat flow calls ------------------------------------------------------------

    async def profile(self, dealer_id: str) -> DealerProfile:
        """Return a dealer's profile (hours, closures, slots), or raise 404."""
        async with self.sessions() as db:
            _, profile = await self._dealer(BookingRepository(db), dealer_id)
            return profile

    async def free_starts(
        self,
        dealer_id: str,
        after: datetime,
        *,
        until: datetime | None = None,
        vehicle_id: str | None = None,
        count: int = slots.ALTERNATIVES,
        besides: str | None = None,
    ) -> tuple[datetime, ...]:
        """Return the next free slot starts from an instant (before `until`), in UTC.

        `besides` is a booking to leave out (the one the customer is moving).
        """
        async with self.sessions() as db:
            repo = BookingRepository(db)
            _, profile = await self._dealer(repo, dealer_id)
            return await self._free(
                repo, profile, dealer_id, after, until, vehicle_id, besides=besides, count=count
            )

    async def check(
        self,
        dealer_id: str,
        start: datetime,
        vehicle_id: str | None = None,
        *,
        besides: str | None = None,
    ) -> Slot | Refused:
        """Tell whether a start could be booked now, without booking it (or why not)."""
        async with self.sessions() as db:
            repo = BookingRepository(db)
            _, profile = await self._dealer(repo, dealer_id)
            slot = self._rules(profile, start)
            if isinstance(slot, Refusal):
                return await self._refused(
                    repo, profile, dealer_id, slot, start, vehicle_id, besides=besides
                )
            taken = await repo.busy(dealer_id, slot.start, slot.end, besides=besides)
            if slots.is_free(profile, slot, taken, vehicle_id):
                return slot
            reason = Refusal.FULL
            if slots.is_free(profile, slot, taken):
                reason = Refusal.VEHICLE_TAKEN  # a seat is left, but not with this vehicle
            return await self._refused(
                repo, profile, dealer_id, reason, start, vehicle_id, besides=besides
            )

    async def upcoming_of(self, session_id: str) -> list[AppointmentView]:
        """Return a session's booked test drives that haven't ended, soonest first."""
        async with self.sessions() as db:
            repo = BookingRepository(db)
            found = await repo.of_session(session_id, self.clock())
            return [view_of(a, await repo.vehicle_by_id(a.vehicle_id)) for a in found]

    async def book(
        self,
        dealer_id: str,
        session_id: str | None,
        vehicle_id: str | None,
        start: datetime,
        name: str,
        phone_e164: str,
    ) -> Booked | Refused:
        """Book the slot that begins at `start`, or say why not and what is free instead."""
        for _ in range(MAX_TRIES):
            async with self.sessions() as db:
                repo = BookingRepository(db)
                dealer, profile = await self._dealer(repo, dealer_id)
                if session_id is not None:
                    await self._session_of(db, session_id, dealer_id)
                if vehicle_id is not None:
                    await self._bookable_vehicle(repo, dealer_id, vehicle_id)
                slot = self._rules(profile, start)
                if isinstance(slot, Refusal):
                    return await self._refused(repo, profile, dealer_id, slot, start, vehicle_id)
                token = new_token()
                appointment = Appointment(
                    id=new_id(),
                    dealer_id=dealer_id,
                    session_id=session_id,
                    vehicle_id=vehicle_id,
                    start=slot.start,
                    end=slot.end,
                    status=AppointmentStatus.BOOKED,
                    name=name,
                    phone_e164=phone_e164,
                    ics_token_hash=hash_token(token),
                    sequence=0,
                )
                claimed = await self._claim(db, repo, profile, appointment, add=True)
                if isinstance(claimed, _Lost):
                    continue
                if isinstance(claimed, Refused):
                    return claimed
                view = view_of(appointment, await repo.vehicle_by_id(vehicle_id))
                OutboxRepository(db).add(
                    dealer.id, EventKind.APPOINTMENT_BOOKED, _payload(view, profile)
                )
                await db.commit()
                await self._tell(view)
                return Booked(view, token)
        raise ServiceUnavailableError("Too many bookings at once; try again.", retry_after=1)

    async def reschedule(
        self, appointment_id: str, session_id: str | None, new_start: datetime
    ) -> Booked | Refused:
        """Move a session's booking to another slot; its calendar link changes with it."""
        for _ in range(MAX_TRIES):
            async with self.sessions() as db:
                try:
                    outcome = await self._reschedule(db, appointment_id, session_id, new_start)
                except StaleDataError:
                    # Cancelled or moved since we read it: read it again.
                    await db.rollback()
                    continue
                if not isinstance(outcome, _Lost):
                    return outcome
        raise ServiceUnavailableError("Too many bookings at once; try again.", retry_after=1)

    async def cancel(self, appointment_id: str, session_id: str | None) -> AppointmentView:
        """Cancel a session's booking and free its seat (cancelling twice changes nothing)."""
        for _ in range(MAX_TRIES):
            async with self.sessions() as db:
                try:
                    return await self._cancel(db, appointment_id, session_id)
                except StaleDataError:
                    await db.rollback()
        raise ServiceUnavailableError("Too many changes at once; try again.", retry_after=1)

    async def _reschedule(
        self, db: AsyncSession, appointment_id: str, session_id: str | None, new_start: datetime
    ) -> Booked | Refused | _Lost:
        """Try once to move a booking."""
        repo = BookingRepository(db)
        appointment = await self._owned(repo, appointment_id, session_id, lock=True)
        if appointment.status != AppointmentStatus.BOOKED:
            raise ConflictError("This appointment was cancelled.", field="appointmentId")
        _, profile = await self._dealer(repo, appointment.dealer_id)
        slot = self._rules(profile, new_start)
        if isinstance(slot, Refusal):
            return await self._refused(
                repo,
                profile,
                appointment.dealer_id,
                slot,
                new_start,
                appointment.vehicle_id,
                besides=appointment.id,
            )
        previous = appointment.start
        token = new_token()
        appointment.start, appointment.end = slot.start, slot.end
        appointment.ics_token_hash = hash_token(token)
        appointment.sequence += 1
        appointment.updated_at = utcnow()
        # The versioned update goes first: it is what finds a booking changed meanwhile.
        await db.flush()
        await repo.release(appointment.id)
        claimed = await self._claim(db, repo, profile, appointment, add=False)
        if isinstance(claimed, Refused):
            await db.rollback()
            return claimed
        if isinstance(claimed, _Lost):
            return claimed
        view = view_of(appointment, await repo.vehicle_by_id(appointment.vehicle_id))
        payload = _payload(view, profile) | {
            "previousStart": previous.astimezone(profile.zone).isoformat()
        }
        OutboxRepository(db).add(appointment.dealer_id, EventKind.APPOINTMENT_RESCHEDULED, payload)
        await db.commit()
        await self._tell(view)
        return Booked(view, token)

    async def _cancel(
        self, db: AsyncSession, appointment_id: str, session_id: str | None
    ) -> AppointmentView:
        """Cancel once (a stale read fails at the versioned update)."""
        repo = BookingRepository(db)
        appointment = await self._owned(repo, appointment_id, session_id, lock=True)
        vehicle = await repo.vehicle_by_id(appointment.vehicle_id)
        if appointment.status == AppointmentStatus.CANCELLED:
            return view_of(appointment, vehicle)
        _, profile = await self._dealer(repo, appointment.dealer_id)
        appointment.status = AppointmentStatus.CANCELLED
        appointment.sequence += 1
        appointment.updated_at = utcnow()
        await db.flush()
        await repo.release(appointment.id)
        view = view_of(appointment, vehicle)
        OutboxRepository(db).add(
            appointment.dealer_id, EventKind.APPOINTMENT_CANCELLED, _payload(view, profile)
        )
        await db.commit()
        await self._tell(view)
        return view

    async def _tell(self, view: AppointmentView) -> None:
        """Tell the dealer's advisors about a booking made, moved or cancelled."""
        event = BookingEvent(
            appointment_id=view.id,
            session_id=view.session_id,
            status=view.status.value,
            start=view.start,
            vehicle=view.vehicle.label if view.vehicle is not None else None,
        )
        await self.live.to_dealer(view.dealer_id, LiveKind.BOOKING, event)

    async def card(self, view: AppointmentView, ics_token: str | None) -> AppointmentOut:
        """Describe a booking for its customer (with its calendar link, if its token is known)."""
        async with self.sessions() as db:
            dealer, profile = await self._dealer(BookingRepository(db), view.dealer_id)
        return AppointmentOut.of(view, DealerOut.of(dealer), profile.zone, ics_token)

    # -- what the routes call ----------------------------------------------------------------

    async def book_by_token(self, request: BookingRequest, client: str) -> AppointmentOut:
        """Book for the session of a token; a refusal is a 409 with the alternatives."""
        chat = await self._live(request.session_token, client)
        outcome = await self.book(
            chat.dealer_id,
            chat.id,
            request.vehicle_id,
            request.start,
            request.name,
            request.phone,
        )
        if isinstance(outcome, Refused):
            raise SlotUnavailableError(outcome.reason, await self._local(chat, outcome))
        return await self.card(outcome.appointment, outcome.ics_token)

    async def cancel_by_token(self, appointment_id: str, token: str, client: str) -> AppointmentOut:
        """Cancel an appointment of the session of a token."""
        chat = await self._live(token, client)
        return await self.card(await self.cancel(appointment_id, chat.id), None)

    async def calendar(self, appointment_id: str, token: str) -> bytes:
        """Return the calendar file of an appointment, if the token is its link's."""
        async with self.sessions() as db:
            repo = BookingRepository(db)
            appointment = await repo.appointment(appointment_id)
            # The same answer for a wrong token and a wrong id: neither can be probed.
            if appointment is None or not token_matches(token, appointment.ics_token_hash):
                raise NotFoundError("No calendar file at this link.", field="token")
            dealer, profile = await self._dealer(repo, appointment.dealer_id)
            view = view_of(appointment, await repo.vehicle_by_id(appointment.vehicle_id))
            return calendar_file(view, dealer.name, profile)

    async def listing(
        self, dealer_slug: str | None, start: datetime, end: datetime
    ) -> list[StaffAppointmentOut]:
        """Return the appointments starting in [start, end), of one dealer or of all."""
        async with self.sessions() as db:
            repo = BookingRepository(db)
            if dealer_slug is not None and await repo.dealer_by_slug(dealer_slug) is None:
                raise NotFoundError(f"No dealer '{dealer_slug}'.", field="dealer")
            rows = await repo.listing(dealer_slug, start, end, LISTING_LIMIT)
            return [StaffAppointmentOut.of(view_of(a, v), slug) for a, slug, v in rows]

    # -- the steps ---------------------------------------------------------------------------

    async def _live(self, token: str, client: str) -> ChatSession:
        async with self.sessions() as db:
            chat = await self.access.live(ChatRepository(db), token, client)
        if chat.status == SessionStatus.ENDED:
            raise SessionNotFoundError()
        return chat

    async def _local(self, chat: ChatSession, refused: Refused) -> list[datetime]:
        profile = await self.profile(chat.dealer_id)
        return [a.astimezone(profile.zone) for a in refused.alternatives]

    @staticmethod
    async def _dealer(repo: BookingRepository, dealer_id: str) -> tuple[Dealer, DealerProfile]:
        dealer = await repo.dealer(dealer_id)
        if dealer is None:
            raise NotFoundError(f"No dealer {dealer_id!r}.")
        return dealer, profile_of(dealer)

    @staticmethod
    async def _session_of(db: AsyncSession, session_id: str, dealer_id: str) -> None:
        chat = await ChatRepository(db).get(session_id)
        if chat is None or chat.dealer_id != dealer_id:
            raise SessionNotFoundError()

    @staticmethod
    async def _bookable_vehicle(repo: BookingRepository, dealer_id: str, vehicle_id: str) -> None:
        vehicle = await repo.vehicle(dealer_id, vehicle_id)
        if vehicle is None:
            raise UnprocessableError(
                "This dealer has no vehicle with this id.",
                field="vehicleId",
                hint="Send the id of one of the dealer's vehicles, or leave vehicleId out.",
            )
        if vehicle.status == VehicleStatus.SOLD:
            raise UnprocessableError("This vehicle has been sold.", field="vehicleId")

    @staticmethod
    async def _owned(
        repo: BookingRepository, appointment_id: str, session_id: str | None, *, lock: bool
    ) -> Appointment:
        appointment = await repo.appointment(appointment_id, lock=lock)
        if appointment is None or (session_id is not None and appointment.session_id != session_id):
            raise AppointmentNotFoundError()
        return appointment

    def _rules(self, profile: DealerProfile, start: datetime) -> Slot | Refusal:
        """Return the slot of a start, or why the dealer's hours refuse it."""
        return slots.check_start(profile, start, self.clock())

    async def _refused(
        self,
        repo: BookingRepository,
        profile: DealerProfile,
        dealer_id: str,
        reason: Refusal,
        start: datetime,
        vehicle_id: str | None,
        *,
        besides: str | None = None,
    ) -> Refused:
        """Refuse a start, offering the next free starts (from now, if it has passed)."""
        after = self.clock() if reason == Refusal.PAST else start
        alternatives = await self._free(
            repo, profile, dealer_id, after, None, vehicle_id, besides=besides
        )
        return Refused(reason, alternatives)

    async def _free(
        self,
        repo: BookingRepository,
        profile: DealerProfile,
        dealer_id: str,
        after: datetime,
        until: datetime | None,
        vehicle_id: str | None,
        *,
        besides: str | None = None,
        count: int = slots.ALTERNATIVES,
    ) -> tuple[datetime, ...]:
        now = self.clock()
        begin = max(after, now)
        horizon = until or begin + timedelta(days=slots.SEARCH_DAYS + 1)
        taken = await repo.busy(dealer_id, begin, horizon, besides=besides)
        found = slots.free_slots(
            profile, after, taken, now, vehicle_id=vehicle_id, until=until, count=count
        )
        return tuple(s.start for s in found)

    async def _claim(
        self,
        db: AsyncSession,
        repo: BookingRepository,
        profile: DealerProfile,
        appointment: Appointment,
        *,
        add: bool,
    ) -> _Claimed | Refused | _Lost:
        """Claim the appointment's minutes on free seats (and its vehicle's minutes)."""
        minutes = minutes_of(appointment.start, appointment.end)
        seats = allocate(
            minutes,
            await repo.seats_taken(appointment.dealer_id, minutes),
            profile.test_drives.capacity,
        )
        vehicle = appointment.vehicle_id
        vehicle_taken = vehicle is not None and await repo.vehicle_claimed(vehicle, minutes)
        if seats is None or vehicle_taken:
            reason = Refusal.VEHICLE_TAKEN if vehicle_taken else Refusal.FULL
            return await self._refused(
                repo,
                profile,
                appointment.dealer_id,
                reason,
                appointment.start,
                vehicle,
                besides=appointment.id,
            )
        try:
            if add:
                await repo.add(appointment)
            await repo.claim(appointment, seats)
        except IntegrityError:
            # A racer claimed one of our seats (or the vehicle) since we read them.
            await db.rollback()
            return _Lost()
        return _Claimed()


@dataclass(frozen=True)
class _Claimed:
    """The minutes are ours (until the transaction ends)."""


@dataclass(frozen=True)
class _Lost:
    """Another booking claimed a seat or the vehicle first: read again and try again."""


def _payload(view: AppointmentView, profile: DealerProfile) -> dict[str, Any]:
    """Return what the dealer's webhook is told about a booking."""
    vehicle = view.vehicle
    return {
        "appointmentId": view.id,
        "sessionId": view.session_id,
        "status": view.status.value,
        "start": view.start.astimezone(profile.zone).isoformat(),
        "end": view.end.astimezone(profile.zone).isoformat(),
        "name": view.name,
        "phone": view.phone_e164,
        "vehicle": None
        if vehicle is None
        else {"id": vehicle.id, "make": vehicle.make, "model": vehicle.model, "year": vehicle.year},
        "sequence": view.sequence,
    }
