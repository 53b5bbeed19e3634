"""The vocabulary of test-drive bookings: statuses, refusals, slots and a booking's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from okla.chatbot.text.language import Lang


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


@dataclass(frozen=True)
class AwaitingTime:
    """The bot asked when the customer wants to come, offering free starts (maybe none).

    The next message may pick one ("la primera", "la de las 10") or name another time; a time
    without a day ("a las 11") is on `day`, the day under discussion.
    """

    vehicle_id: str | None  # the vehicle to test-drive (None: the customer picks it there)
    offered: tuple[datetime, ...] = ()  # the free starts offered, in the order shown
    day: date | None = None  # the day under discussion, if one was named
    moving: bool = False  # the session's booking is to move there, not a new one to be made
    language: Lang = "es"

    def to_json(self) -> dict[str, Any]:
        """Return the form stored in the session's dialogue."""
        return {
            "kind": "time",
            "vehicleId": self.vehicle_id,
            "offered": [start.isoformat() for start in self.offered],
            "day": None if self.day is None else self.day.isoformat(),
            "moving": self.moving,
            "language": self.language,
        }

    @classmethod
    def from_json(cls, data: object) -> AwaitingTime | None:
        """Rebuild a stored wait (None for anything else)."""
        if not isinstance(data, dict) or data.get("kind") != "time":
            return None
        vehicle = data.get("vehicleId")
        offered = data.get("offered")
        starts = [instant(v) for v in offered] if isinstance(offered, list) else []
        language: Lang = "en" if data.get("language") == "en" else "es"
        return cls(
            vehicle_id=vehicle if isinstance(vehicle, str) and vehicle else None,
            offered=tuple(s for s in starts if s is not None),
            day=_day(data.get("day")),
            moving=data.get("moving") is True,
            language=language,
        )


def instant(value: object) -> datetime | None:
    """Read a stored ISO 8601 instant; None unless it is one with its offset."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
