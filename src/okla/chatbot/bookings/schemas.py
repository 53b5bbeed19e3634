"""Request and response models of the booking routes: camelCase JSON, enums as strings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, Field, StringConstraints, field_validator

from okla.chatbot.bookings.domain import AppointmentStatus, AppointmentView, VehicleRef
from okla.chatbot.bookings.ics import ics_path
from okla.chatbot.inventory.schemas import DealerOut
from okla.chatbot.schemas import CamelModel, TokenText
from okla.chatbot.text.contact import normalize_phone
from okla.chatbot.text.dates import when_text

IdText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=36)]


class BookingRequest(CamelModel):
    """Body of POST /api/chat/appointments."""

    session_token: TokenText
    vehicle_id: IdText | None = Field(default=None, description="A vehicle of the dealer.")
    start: AwareDatetime = Field(
        description="ISO 8601 with its offset, e.g. 2026-12-05T10:00:00-04:00: a slot's start."
    )
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    phone: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] = (
        Field(description="The customer's phone; Dominican without a country code.")
    )

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str) -> str:
        e164 = normalize_phone(value)
        if e164 is None:
            raise ValueError("expected a valid phone number, e.g. 809-555-1234 or +1 809 555 1234")
        return e164


class SessionBody(CamelModel):
    """Body of POST /api/chat/appointments/{id}/cancel."""

    session_token: TokenText


class AppointmentVehicleOut(CamelModel):
    """The vehicle of a test drive."""

    id: str
    make: str
    model: str
    year: int

    @classmethod
    def of(cls, vehicle: VehicleRef | None) -> Self | None:
        """Convert a booking's vehicle."""
        if vehicle is None:
            return None
        return cls(id=vehicle.id, make=vehicle.make, model=vehicle.model, year=vehicle.year)


class AppointmentOut(CamelModel):
    """A booked test drive, for the customer who booked it."""

    appointment_id: str
    status: AppointmentStatus
    start: datetime
    end: datetime
    start_text: str = Field(description="The start in words, in Spanish, in the dealer's zone.")
    dealer: DealerOut
    vehicle: AppointmentVehicleOut | None
    ics_url: str | None = Field(
        description="The calendar file's link (its token is only ever sent here)."
    )

    @classmethod
    def of(
        cls, view: AppointmentView, dealer: DealerOut, zone: ZoneInfo, ics_token: str | None
    ) -> Self:
        """Convert a booking; times are given in the dealer's zone."""
        return cls(
            appointment_id=view.id,
            status=view.status,
            start=view.start.astimezone(zone),
            end=view.end.astimezone(zone),
            start_text=when_text(view.start, zone),
            dealer=dealer,
            vehicle=AppointmentVehicleOut.of(view.vehicle),
            ics_url=None if ics_token is None else ics_path(view.id, ics_token),
        )


class StaffAppointmentOut(CamelModel):
    """A booked or cancelled test drive, for the dealer's staff."""

    appointment_id: str
    dealer: str = Field(description="The dealer's slug.")
    status: AppointmentStatus
    start: datetime
    end: datetime
    name: str
    phone: str
    vehicle: AppointmentVehicleOut | None
    session_id: str | None
    created_at: datetime

    @classmethod
    def of(cls, view: AppointmentView, dealer_slug: str) -> Self:
        """Convert a booking."""
        return cls(
            appointment_id=view.id,
            dealer=dealer_slug,
            status=view.status,
            start=view.start,
            end=view.end,
            name=view.name,
            phone=view.phone_e164,
            vehicle=AppointmentVehicleOut.of(view.vehicle),
            session_id=view.session_id,
            created_at=view.created_at,
        )
