"""A booking as a calendar file (RFC 5545): one VEVENT the customer adds to their calendar.

The link to it carries a capability token of its own (only its SHA-256 is stored, as for
session tokens, made and hashed as they are): whoever holds the link may read the event,
and nothing else.
"""

from __future__ import annotations

import hmac
from datetime import UTC

from icalendar import Calendar, Event

from okla.chatbot.bookings.domain import AppointmentStatus, AppointmentView
from okla.chatbot.chat.access import hash_token
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.text.dates import when_text

PRODUCT_ID = "-//OKLA//OKLA Chat//ES"
UID_DOMAIN = "okla-chat"


def token_matches(token: str, stored_hash: str) -> bool:
    """Tell whether a link's token is the one whose hash is stored, in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def ics_path(appointment_id: str, token: str) -> str:
    """Return the path of an appointment's calendar file, token included."""
    return f"/api/chat/appointments/{appointment_id}.ics?token={token}"


def summary(appointment: AppointmentView, dealer_name: str) -> str:
    """Return the event's title: 'Prueba de manejo: Ford Bronco 2023 — Auto Dominicana'."""
    if appointment.vehicle is None:
        return f"Prueba de manejo — {dealer_name}"
    return f"Prueba de manejo: {appointment.vehicle.label} — {dealer_name}"


def location(profile: DealerProfile) -> str | None:
    """Return where the test drive starts: the dealer's address and city, if known."""
    parts = [p for p in (profile.address, profile.city) if p]
    return ", ".join(parts) or None


def description(appointment: AppointmentView, dealer_name: str, profile: DealerProfile) -> str:
    """Return the event's text: when, which vehicle, where, whom to call."""
    lines = [f"Prueba de manejo en {dealer_name}: {when_text(appointment.start, profile.zone)}."]
    if appointment.vehicle is not None:
        lines.append(f"Vehículo: {appointment.vehicle.label}.")
    where = location(profile)
    if where:
        lines.append(f"Dirección: {where}.")
    if profile.map_url:
        lines.append(f"Mapa: {profile.map_url}")
    phone = profile.whatsapp or profile.phone
    if phone:
        lines.append(f"Teléfono: {phone}.")
    return "\n".join(lines)


def calendar_file(appointment: AppointmentView, dealer_name: str, profile: DealerProfile) -> bytes:
    """Return the appointment as an iCalendar file (METHOD:PUBLISH, times in UTC)."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.id}@{UID_DOMAIN}")
    event.add("dtstamp", appointment.updated_at.astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("sequence", appointment.sequence)
    event.add("summary", summary(appointment, dealer_name))
    where = location(profile)
    if where:
        event.add("location", where)
    event.add("description", description(appointment, dealer_name, profile))
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content
