"""The vocabulary of test-drive bookings."""

from __future__ import annotations

from enum import StrEnum


class AppointmentStatus(StrEnum):
    """Whether a booking holds its slot."""

    BOOKED = "Booked"
    CANCELLED = "Cancelled"
