"""The vocabulary of test-drive bookings: statuses, refusals, slots and a booking's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum


class AppointmentStatus(StrEnum):
    """Whether a booking holds its slot."""

    BOOKED = "Booked"
    CANCELLED = "Cancelled"


class Refusal(StrEnum):
    """Why a wanted start can't be booked."""

    FULL = "Full"  # every seat of the slot is taken
    CLOSED = "Closed"  # the dealer is closed then (outside its hours, a holiday)
    PAST = "Past"  # the start has passed
    MISALIGNED = "Misaligned"  # within the hours, but no slot starts then
    VEHICLE_TAKEN = "VehicleTaken"  # the vehicle is in another test drive then


class PartOfDay(StrEnum):
    """A part of the day a customer names instead of an hour ("en la tarde")."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def hours(self) -> tuple[time, time]:
        """Return the local hours the part covers: [from, to)."""
        return _PART_HOURS[self]


_PART_HOURS = {
    PartOfDay.MORNING: (time(6), time(12)),
    PartOfDay.AFTERNOON: (time(12), time(18)),
    PartOfDay.EVENING: (time(18), time(23, 59)),
}


@dataclass(frozen=True, order=True)
class Slot:
    """A bookable stretch of the dealer's time, in UTC: [start, end)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class Busy:
    """A booked test drive as the slot arithmetic sees it: when, and with which vehicle."""

    start: datetime
    end: datetime
    vehicle_id: str | None = None


@dataclass(frozen=True)
class VehicleRef:
    """The vehicle of a test drive, as a customer or a calendar names it."""

    id: str
    make: str
    model: str
    year: int

    @property
    def label(self) -> str:
        """Return 'Ford Bronco 2023'."""
        return f"{self.make} {self.model} {self.year}"


@dataclass(frozen=True)
class AppointmentView:
    """A stored booking, as the services hand it on (times in UTC)."""

    id: str
    dealer_id: str
    session_id: str | None
    vehicle: VehicleRef | None
    start: datetime
    end: datetime
    status: AppointmentStatus
    name: str
    phone_e164: str
    sequence: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Booked:
    """The slot is the customer's; `ics_token` opens its calendar file (shown only now)."""

    appointment: AppointmentView
    ics_token: str


@dataclass(frozen=True)
class Refused:
    """The slot can't be booked; the next free starts are offered instead (in UTC)."""

    reason: Refusal
    alternatives: tuple[datetime, ...]


BookingOutcome = Booked | Refused
