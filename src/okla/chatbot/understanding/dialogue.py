"""Where a conversation stands between turns: the active search, the cards shown, the focus,
and what the bot waits for from the customer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from okla.chatbot.bookings.domain import AwaitingTime
from okla.chatbot.inventory.domain import VehicleQuery
from okla.chatbot.leads.domain import AwaitingContact, Contact

# What the bot may wait for after a reply: the customer's name and phone, or when they come.
Awaiting = AwaitingContact | AwaitingTime


@dataclass(frozen=True)
class DialogueState:
    """What the customer is looking at; stored with the session, replaced turn by turn."""

    search: VehicleQuery | None = None  # the active search, refined by follow-ups
    shown: tuple[str, ...] = field(default=())  # ids of the cards last shown, in order
    focus: str | None = None  # id of the vehicle the customer is talking about
    awaiting: Awaiting | None = None  # what the last reply asked the customer for
    contact: Contact | None = None  # the contact the customer gave in this session
    appointment: str | None = None  # id of the test drive booked in this session, if any

    def to_json(self) -> dict[str, Any]:
        """Return the form stored in the session's `dialogue` column."""
        return {
            "search": None if self.search is None else self.search.to_json(),
            "shown": list(self.shown),
            "focus": self.focus,
            "awaiting": None if self.awaiting is None else self.awaiting.to_json(),
            "contact": None if self.contact is None else self.contact.to_json(),
            "appointment": self.appointment,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> DialogueState:
        """Rebuild a stored state (an empty one for a new session; older states lack fields)."""
        if not data:
            return cls()
        search = data.get("search")
        shown = data.get("shown")
        focus = data.get("focus")
        appointment = data.get("appointment")
        awaiting = data.get("awaiting")
        return cls(
            search=VehicleQuery.from_json(search) if isinstance(search, dict) else None,
            shown=tuple(str(i) for i in shown) if isinstance(shown, list) else (),
            focus=focus if isinstance(focus, str) else None,
            awaiting=AwaitingContact.from_json(awaiting) or AwaitingTime.from_json(awaiting),
            contact=Contact.from_json(data.get("contact")),
            appointment=appointment if isinstance(appointment, str) and appointment else None,
        )
