"""A booking's time in words, in the dealer's zone."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.bookings.wording import clock_time, when_text
from tests.utils.bookings import SANTO_DOMINGO, local


@pytest.mark.parametrize(
    ("start", "spanish", "english"),
    [
        (local(5, 10), "sábado 5 de diciembre, 10:00 a. m.", "Saturday, December 5, 10:00 a.m."),
        (local(2, 15, 30), "miércoles 2 de diciembre, 3:30 p. m.", "Wednesday, December 2, 3:30 p.m."),  # noqa: E501
        (local(1, 12), "martes 1 de diciembre, 12:00 p. m.", "Tuesday, December 1, 12:00 p.m."),
    ],
)  # fmt: skip
def test_the_day_then_the_hour(start: datetime, spanish: str, english: str) -> None:
    assert when_text(start, SANTO_DOMINGO) == spanish
    assert when_text(start, SANTO_DOMINGO, "en") == english


def test_the_words_are_in_the_dealers_zone_whatever_the_instants_zone() -> None:
    instant = datetime(2026, 12, 5, 14, tzinfo=UTC)
    assert when_text(instant, SANTO_DOMINGO) == "sábado 5 de diciembre, 10:00 a. m."
    assert when_text(instant, ZoneInfo("Asia/Tokyo")) == "sábado 5 de diciembre, 11:00 p. m."


def test_midnight_and_noon_on_a_twelve_hour_clock() -> None:
    assert clock_time(time(0, 5)) == "12:05 a. m."
    assert clock_time(time(12, 0), "en") == "12:00 p.m."
