"""The dialogue state survives the JSON column: what the bot waits for, the contact given."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.bookings.domain import AwaitingTime
from okla.chatbot.inventory.domain import BodyType, VehicleQuery
from okla.chatbot.leads.domain import AwaitingContact, Contact, LeadInterest
from okla.chatbot.understanding.dialogue import DialogueState


def test_a_state_with_an_offer_and_a_contact_round_trips() -> None:
    state = DialogueState(
        search=VehicleQuery(body_types=frozenset({BodyType.SUV})),
        shown=("a", "b"),
        focus="a",
        awaiting=AwaitingContact(LeadInterest.FINANCING, "a", "Si me dejas tu nombre..."),
        contact=Contact(name="Ana", phone_e164=None, email=None, consent=None),
    )
    assert DialogueState.from_json(state.to_json()) == state


@pytest.mark.parametrize(
    "stored",
    [
        # Stored before the contact form existed (migration 0002's shape).
        {"search": None, "shown": [], "focus": None},
        {"search": None, "shown": ["x"], "focus": "x", "awaiting": None, "contact": None},
        # Values no version writes: dropped, never an error.
        {"shown": [], "awaiting": {"kind": "slot", "start": "2026-01-01"}},
        {"shown": [], "awaiting": {"kind": "contact", "interest": "Lunch", "consent": "x"}},
        {"shown": [], "awaiting": {"kind": "contact", "interest": "Price"}},  # no consent
        {"shown": [], "awaiting": "contact", "contact": ["Ana"]},
        {"shown": [], "awaiting": {"kind": "hour"}, "appointment": 42},
    ],
)
def test_older_or_odd_stored_states_still_load(stored: dict[str, Any]) -> None:
    state = DialogueState.from_json(stored)
    assert state.awaiting is None
    assert state.contact is None
    assert state.appointment is None


SANTO_DOMINGO = ZoneInfo("America/Santo_Domingo")
SATURDAY_10 = datetime(2026, 12, 5, 10, tzinfo=SANTO_DOMINGO)


@pytest.mark.parametrize(
    "awaiting",
    [
        AwaitingTime("v1", (SATURDAY_10, SATURDAY_10.replace(hour=11)), date(2026, 12, 5)),
        AwaitingTime(None, (), None, moving=True, language="en"),
        AwaitingContact(LeadInterest.TEST_DRIVE, "v1", "Si me dejas…", "es", start=SATURDAY_10),
    ],
)
def test_a_booking_under_way_and_the_sessions_appointment_round_trip(awaiting: object) -> None:
    assert isinstance(awaiting, AwaitingTime | AwaitingContact)
    state = DialogueState(awaiting=awaiting, appointment="appointment-1")
    restored = DialogueState.from_json(state.to_json())
    assert restored == state
    if isinstance(restored.awaiting, AwaitingTime):
        assert all(s.utcoffset() is not None for s in restored.awaiting.offered)


def test_a_contact_awaited_before_bookings_existed_waits_for_no_test_drive() -> None:
    stored = {
        "kind": "contact",
        "interest": "Callback",
        "vehicleId": None,
        "consent": "Si me dejas…",
        "language": "es",
    }
    state = DialogueState.from_json({"shown": [], "awaiting": stored})
    assert isinstance(state.awaiting, AwaitingContact) and state.awaiting.start is None


def test_times_without_an_offset_are_dropped_not_guessed() -> None:
    stored = {
        "kind": "time",
        "offered": ["2026-12-05T10:00:00", "2026-12-05T11:00:00-04:00", "mañana"],
        "day": "sábado",
    }
    awaiting = DialogueState.from_json({"awaiting": stored}).awaiting
    assert isinstance(awaiting, AwaitingTime)
    assert awaiting.offered == (SATURDAY_10.replace(hour=11),)
    assert awaiting.day is None


def test_a_partial_contact_keeps_what_was_given() -> None:
    contact = Contact().merged("Ana", None, None).merged(None, "+18095551234", None)
    assert contact == Contact("Ana", "+18095551234", None)
    assert contact.complete
    assert not Contact(name="Ana").complete
    restored = DialogueState.from_json(DialogueState(contact=contact).to_json())
    assert restored.contact == contact
