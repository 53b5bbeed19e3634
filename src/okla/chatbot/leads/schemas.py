"""What the staff's lead routes send and receive."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

from pydantic import StringConstraints, field_validator, model_validator

from okla.chatbot.leads.domain import LeadInterest, LeadStatus, LeadVehicle, LeadView
from okla.chatbot.schemas import CamelModel

NOTES_LENGTH = 2000


class LeadVehicleOut(CamelModel):
    """The vehicle a lead asked about."""

    id: str
    stock_number: str
    year: int
    make: str
    model: str
    trim: str | None
    price: int
    currency: str
    url: str | None

    @classmethod
    def of(cls, vehicle: LeadVehicle) -> Self:
        """Return the API form of a lead's vehicle."""
        return cls(
            id=vehicle.id,
            stock_number=vehicle.stock_number,
            year=vehicle.year,
            make=vehicle.make,
            model=vehicle.model,
            trim=vehicle.trim,
            price=vehicle.price,
            currency=vehicle.currency,
            url=vehicle.url,
        )


class LeadOut(CamelModel):
    """A lead as the dealer's staff see it."""

    id: str
    dealer: str
    status: LeadStatus
    interest: LeadInterest
    name: str
    phone: str
    email: str | None
    notes: str | None
    vehicle: LeadVehicleOut | None
    session_id: str | None
    consent: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, view: LeadView) -> Self:
        """Return the API form of a lead."""
        lead = view.lead
        return cls(
            id=lead.id,
            dealer=view.dealer_slug,
            status=lead.status,
            interest=lead.interest,
            name=lead.name,
            phone=lead.phone_e164,
            email=lead.email,
            notes=lead.notes,
            vehicle=None if view.vehicle is None else LeadVehicleOut.of(view.vehicle),
            session_id=lead.session_id,
            consent=lead.consent,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
        )


class LeadPatch(CamelModel):
    """A salesperson's change to a lead: where they are with it, and their notes."""

    status: LeadStatus | None = None
    notes: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTES_LENGTH)] | None
    ) = None

    @field_validator("status")
    @classmethod
    def _not_null(cls, value: LeadStatus | None) -> LeadStatus:
        if value is None:
            raise ValueError(f"must be one of {', '.join(LeadStatus)}, not null")
        return value

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("send status or notes (or both)")
        return self
