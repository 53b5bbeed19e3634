"""The dialogue state survives the JSON column: what the bot waits for, the contact given."""

from __future__ import annotations

from typing import Any

import pytest

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
    ],
)
def test_older_or_odd_stored_states_still_load(stored: dict[str, Any]) -> None:
    state = DialogueState.from_json(stored)
    assert state.awaiting is None
    assert state.contact is None


def test_a_partial_contact_keeps_what_was_given() -> None:
    contact = Contact().merged("Ana", None, None).merged(None, "+18095551234", None)
    assert contact == Contact("Ana", "+18095551234", None)
    assert contact.complete
    assert not Contact(name="Ana").complete
    restored = DialogueState.from_json(DialogueState(contact=contact).to_json())
    assert restored.contact == contact
