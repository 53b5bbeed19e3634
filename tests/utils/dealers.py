"""Dealers' profiles for the tests: the demo ones at a fixed date, moments in Santo Domingo."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from okla.chatbot.chat.gate import Assistant
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.inventory.demo import DEFAULT_DEALER_SLUG, demo_profiles

SANTO_DOMINGO = ZoneInfo("America/Santo_Domingo")
# The demo profiles as loaded on Monday 30 November 2026: their holidays are the year after.
LOADED_ON = date(2026, 11, 30)
PROFILES = demo_profiles(LOADED_ON)
ADP = PROFILES[DEFAULT_DEALER_SLUG]  # Mon-Fri 8-18, Sat 9-13
MDC = PROFILES["motores-del-cibao"]  # Mon-Fri 8-12 and 14-18, Sat 8-13


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """Return a moment on the dealers' wall clock (Santo Domingo, UTC-4 all year)."""
    return datetime(year, month, day, hour, minute, tzinfo=SANTO_DOMINGO)


def assistant(profile: DealerProfile = ADP, name: str = "Ana") -> Assistant:
    """Return an assistant whose dealer has this profile."""
    return Assistant(name, "d1", "Auto Dominicana Premium", profile.city, profile.phone, profile)
