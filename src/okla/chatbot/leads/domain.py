"""The vocabulary of leads: what the customer wants, where the salesperson is with them, and
what the chat keeps of a customer's contact while it asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from okla.chatbot.bookings.domain import instant
from okla.chatbot.text.language import Lang


class LeadInterest(StrEnum):
    """What the customer asked for when they left their contact."""

    TEST_DRIVE = "TestDrive"
    CALLBACK = "Callback"
    PRICE = "Price"
    FINANCING = "Financing"
    TRADE_IN = "TradeIn"


class LeadStatus(StrEnum):
    """Where the salesperson is with a lead."""

    NEW = "New"
    CONTACTED = "Contacted"
    WON = "Won"
    LOST = "Lost"


# A returning customer's closed lead is a new opportunity: it opens again as New.
CLOSED_STATUSES = frozenset({LeadStatus.WON, LeadStatus.LOST})


@dataclass(frozen=True)
class Lead:
    """A stored lead, as the services hand it around (the database row stays in the repository)."""

    id: str
    dealer_id: str
    session_id: str | None
    name: str
    phone_e164: str
    email: str | None
    vehicle_id: str | None
    interest: LeadInterest
    status: LeadStatus
    notes: str | None
    consent: str
    created_at: datetime
    updated_at: datetime
    created: bool = False  # this capture created it (a returning customer's updates it)


@dataclass(frozen=True)
class Contact:
    """What a customer has told the chat of their contact so far (each part once a session)."""

    name: str | None = None
    phone_e164: str | None = None
    email: str | None = None
    consent: str | None = None  # the sentence they were shown when they first gave it

    @property
    def complete(self) -> bool:
        """Tell whether a lead can be stored: a name and a valid phone."""
        return self.name is not None and self.phone_e164 is not None

    def merged(self, name: str | None, phone_e164: str | None, email: str | None) -> Contact:
        """Return the contact with what a new message adds (a new value replaces the old)."""
        return Contact(
            name=name or self.name,
            phone_e164=phone_e164 or self.phone_e164,
            email=email or self.email,
            consent=self.consent,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the form stored in the session's dialogue."""
        return {
            "name": self.name,
            "phone": self.phone_e164,
            "email": self.email,
            "consent": self.consent,
        }

    @classmethod
    def from_json(cls, data: object) -> Contact | None:
        """Rebuild a stored contact (None for anything else)."""
        if not isinstance(data, dict):
            return None
        return cls(
            name=_text(data.get("name")),
            phone_e164=_text(data.get("phone")),
            email=_text(data.get("email")),
            consent=_text(data.get("consent")),
        )


@dataclass(frozen=True)
class AwaitingContact:
    """The bot offered an advisor's call and waits for the customer's name and phone."""

    interest: LeadInterest
    vehicle_id: str | None  # the vehicle in focus when it offered
    consent: str  # the consent sentence exactly as shown
    # The language of the offer: the answers ("Ana Martínez 809...") hardly show one.
    language: Lang = "es"
    # The test drive to book once the contact is complete (a slot's start, found free).
    start: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the form stored in the session's dialogue."""
        return {
            "kind": "contact",
            "interest": self.interest.value,
            "vehicleId": self.vehicle_id,
            "consent": self.consent,
            "language": self.language,
            "start": None if self.start is None else self.start.isoformat(),
        }

    @classmethod
    def from_json(cls, data: object) -> AwaitingContact | None:
        """Rebuild a stored wait (None for anything else, e.g. a value of an older version)."""
        if not isinstance(data, dict) or data.get("kind") != "contact":
            return None
        interest = data.get("interest")
        consent = _text(data.get("consent"))
        if interest not in set(LeadInterest) or consent is None:
            return None
        language: Lang = "en" if data.get("language") == "en" else "es"
        return cls(
            LeadInterest(interest),
            _text(data.get("vehicleId")),
            consent,
            language,
            instant(data.get("start")),
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class LeadVehicle:
    """The vehicle a lead asked about, as the exports and the webhook describe it."""

    id: str
    stock_number: str
    year: int
    make: str
    model: str
    trim: str | None
    price: int
    currency: str
    mileage_km: int
    url: str | None


@dataclass(frozen=True)
class LeadView:
    """A lead with its dealer and vehicle: what the staff routes, exports and webhook show."""

    lead: Lead
    dealer_slug: str
    dealer_name: str
    dealer_phone: str | None
    vehicle: LeadVehicle | None


@dataclass(frozen=True)
class LeadFilter:
    """Which leads a listing shows: one dealer's (or every dealer's), by status, since when."""

    dealer_id: str | None
    status: LeadStatus | None = None
    since: datetime | None = None  # leads created or updated at or after this instant
    limit: int = 500
