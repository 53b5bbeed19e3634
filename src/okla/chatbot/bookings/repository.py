"""Every query of the bookings: appointments, the minutes they claim, and what they refer to."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from okla.chatbot.bookings.domain import AppointmentStatus, AppointmentView, Busy, VehicleRef
from okla.chatbot.models import Appointment, AppointmentClaim, Dealer, Vehicle


def minute_of(at: datetime) -> int:
    """Return the minute an instant falls in, counted from 1970-01-01 00:00 UTC."""
    return math.floor(at.timestamp() / 60)


def minutes_of(start: datetime, end: datetime) -> range:
    """Return the minutes [start, end) touches."""
    return range(minute_of(start), math.ceil(end.timestamp() / 60))


def vehicle_ref(vehicle: Vehicle | None) -> VehicleRef | None:
    """Return how a booking names its vehicle."""
    if vehicle is None:
        return None
    return VehicleRef(id=vehicle.id, make=vehicle.make, model=vehicle.model, year=vehicle.year)


def view_of(appointment: Appointment, vehicle: Vehicle | None) -> AppointmentView:
    """Return a stored appointment as the services hand it on."""
    return AppointmentView(
        id=appointment.id,
        dealer_id=appointment.dealer_id,
        session_id=appointment.session_id,
        vehicle=vehicle_ref(vehicle),
        start=appointment.start,
        end=appointment.end,
        status=appointment.status,
        name=appointment.name,
        phone_e164=appointment.phone_e164,
        sequence=appointment.sequence,
        created_at=appointment.created_at,
        updated_at=appointment.updated_at,
    )


class BookingRepository:
    """Appointments and their claims within one database session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def dealer(self, dealer_id: str) -> Dealer | None:
        """Return a dealer by id."""
        return await self.session.get(Dealer, dealer_id)

    async def dealer_by_slug(self, slug: str) -> Dealer | None:
        """Return a dealer by slug."""
        found: Dealer | None = await self.session.scalar(select(Dealer).where(Dealer.slug == slug))
        return found

    async def vehicle(self, dealer_id: str, vehicle_id: str) -> Vehicle | None:
        """Return one of the dealer's vehicles (None for another dealer's)."""
        vehicle = await self.session.get(Vehicle, vehicle_id)
        return vehicle if vehicle is not None and vehicle.dealer_id == dealer_id else None

    async def vehicle_by_id(self, vehicle_id: str | None) -> Vehicle | None:
        """Return the vehicle of a booking, if it has one."""
        return None if vehicle_id is None else await self.session.get(Vehicle, vehicle_id)

    async def appointment(self, appointment_id: str, *, lock: bool = False) -> Appointment | None:
        """Return an appointment by id (locked for update where the database can)."""
        query = select(Appointment).where(Appointment.id == appointment_id)
        if lock:
            query = query.with_for_update()
        found: Appointment | None = await self.session.scalar(query)
        return found

    async def of_session(self, session_id: str, since: datetime) -> Sequence[Appointment]:
        """Return a session's bookings that end after an instant, soonest first."""
        found = await self.session.scalars(
            select(Appointment)
            .where(
                Appointment.session_id == session_id,
                Appointment.status == AppointmentStatus.BOOKED,
                Appointment.end > since,
            )
            .order_by(Appointment.start)
        )
        return found.all()

    async def busy(
        self, dealer_id: str, start: datetime, end: datetime, *, besides: str | None = None
    ) -> list[Busy]:
        """Return the dealer's booked test drives that overlap [start, end)."""
        query = select(Appointment.start, Appointment.end, Appointment.vehicle_id).where(
            Appointment.dealer_id == dealer_id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.start < end,
            Appointment.end > start,
        )
        if besides is not None:
            query = query.where(Appointment.id != besides)
        rows = await self.session.execute(query)
        return [Busy(s, e, v) for s, e, v in rows.all()]

    async def seats_taken(self, dealer_id: str, minutes: range) -> dict[int, set[int]]:
        """Return, for each minute of the range, the seats already claimed."""
        rows = await self.session.execute(
            select(AppointmentClaim.minute, AppointmentClaim.seat).where(
                AppointmentClaim.dealer_id == dealer_id,
                AppointmentClaim.minute >= minutes.start,
                AppointmentClaim.minute < minutes.stop,
            )
        )
        taken: defaultdict[int, set[int]] = defaultdict(set)
        for minute, seat in rows.all():
            taken[minute].add(seat)
        return dict(taken)

    async def vehicle_claimed(self, vehicle_id: str, minutes: range) -> bool:
        """Tell whether a vehicle is in a test drive during any minute of the range."""
        found = await self.session.scalar(
            select(AppointmentClaim.minute)
            .where(
                AppointmentClaim.vehicle_id == vehicle_id,
                AppointmentClaim.minute >= minutes.start,
                AppointmentClaim.minute < minutes.stop,
            )
            .limit(1)
        )
        return found is not None

    async def add(self, appointment: Appointment) -> None:
        """Store a new appointment (before its claims, which refer to it)."""
        self.session.add(appointment)
        await self.session.flush()

    async def claim(self, appointment: Appointment, seats: Mapping[int, int]) -> None:
        """Claim each minute of an appointment on its seat; the unique indexes may refuse."""
        await self.session.execute(
            insert(AppointmentClaim),
            [
                {
                    "appointment_id": appointment.id,
                    "minute": minute,
                    "dealer_id": appointment.dealer_id,
                    "seat": seat,
                    "vehicle_id": appointment.vehicle_id,
                }
                for minute, seat in sorted(seats.items())
            ],
        )

    async def release(self, appointment_id: str) -> None:
        """Give up an appointment's claims (it was cancelled or moves)."""
        await self.session.execute(
            delete(AppointmentClaim).where(AppointmentClaim.appointment_id == appointment_id)
        )

    async def listing(
        self, dealer_slug: str | None, start: datetime, end: datetime, limit: int
    ) -> Sequence[tuple[Appointment, str, Vehicle | None]]:
        """Return appointments starting in [start, end), with their dealer's slug and vehicle."""
        query = (
            select(Appointment, Dealer.slug, Vehicle)
            .join(Dealer, Dealer.id == Appointment.dealer_id)
            .outerjoin(Vehicle, Vehicle.id == Appointment.vehicle_id)
            .where(Appointment.start >= start, Appointment.start < end)
            .order_by(Appointment.start, Appointment.created_at)
            .limit(limit)
        )
        if dealer_slug is not None:
            query = query.where(Dealer.slug == dealer_slug)
        rows = await self.session.execute(query)
        return [(a, s, v) for a, s, v in rows.all()]
