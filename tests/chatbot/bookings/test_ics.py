"""The calendar file of a booking parses back with the right event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from icalendar import Calendar, Component

from okla.chatbot.bookings.domain import AppointmentStatus, AppointmentView, VehicleRef
from okla.chatbot.bookings.ics import calendar_file, ics_path, summary, token_matches
from okla.chatbot.chat.access import hash_token, new_token
from tests.utils.bookings import NOW, PROFILE, local, profile

BRONCO = VehicleRef(id="v1", make="Ford", model="Bronco", year=2023)
VIEW = AppointmentView(
    id="a1",
    dealer_id="d1",
    session_id="s1",
    vehicle=BRONCO,
    start=local(5, 10).astimezone(UTC),
    end=local(5, 11).astimezone(UTC),
    status=AppointmentStatus.BOOKED,
    name="María Pérez",
    phone_e164="+18095551234",
    sequence=0,
    created_at=NOW,
    updated_at=NOW,
)
DEALER = "Auto Dominicana Premium"


def event_of(content: bytes) -> Component:
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_event_has_its_times_title_place_and_status() -> None:
    content = calendar_file(VIEW, DEALER, PROFILE)
    calendar = Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    event = event_of(content)
    assert event.decoded("DTSTART") == datetime(2026, 12, 5, 14, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 12, 5, 15, tzinfo=UTC)
    assert str(event["UID"]) == "a1@okla-chat"
    assert str(event["SUMMARY"]) == "Prueba de manejo: Ford Bronco 2023 — Auto Dominicana Premium"
    assert str(event["LOCATION"]) == "Av. Winston Churchill 1099, Santo Domingo"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTAMP") == NOW
    description = str(event["DESCRIPTION"])
    assert "sábado 5 de diciembre, 10:00 a. m." in description
    assert "809-555-0100" in description
    # The customer's own details are not in the file.
    assert "María" not in content.decode() and "5551234" not in content.decode()


def test_a_cancelled_booking_without_vehicle_or_address() -> None:
    cancelled = replace(VIEW, vehicle=None, status=AppointmentStatus.CANCELLED, sequence=2)
    event = event_of(calendar_file(cancelled, DEALER, profile(address=None, city=None)))
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert "LOCATION" not in event
    assert summary(cancelled, DEALER) == "Prueba de manejo — Auto Dominicana Premium"


def test_only_the_links_own_token_matches_its_hash() -> None:
    token = new_token()
    stored = hash_token(token)
    assert token_matches(token, stored)
    assert not token_matches(new_token(), stored)
    assert not token_matches(token[:-1], stored)
    assert ics_path("a1", token) == f"/api/chat/appointments/a1.ics?token={token}"
