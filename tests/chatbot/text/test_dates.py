"""Times and dates as the customer reads them, in Spanish and English."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.text.dates import (
    MONTH_WORDS,
    WEEKDAY_WORDS,
    at_time,
    format_day,
    format_moment,
    format_time,
    time_range,
    until_time,
    weekday_name,
    when_text,
)

SANTO_DOMINGO = ZoneInfo("America/Santo_Domingo")


@pytest.mark.parametrize(
    ("moment", "spanish", "english"),
    [
        (time(8, 0), "8:00 a. m.", "8:00 AM"),
        (time(13, 30), "1:30 p. m.", "1:30 PM"),
        (time(12, 0), "12:00 p. m.", "12:00 PM"),
        (time(0, 15), "12:15 a. m.", "12:15 AM"),
        (time(18, 5), "6:05 p. m.", "6:05 PM"),
    ],
)
def test_a_time_of_day_on_a_twelve_hour_clock(moment: time, spanish: str, english: str) -> None:
    assert format_time(moment) == spanish
    assert format_time(moment, "en") == english


def test_one_oclock_is_singular_in_spanish() -> None:
    assert at_time(time(13, 0)) == "a la 1:00 p. m."
    assert at_time(time(8, 0)) == "a las 8:00 a. m."
    assert until_time(time(13, 0)) == "hasta la 1:00 p. m."
    assert until_time(time(18, 0)) == "hasta las 6:00 p. m."
    assert until_time(time(18, 0), "en") == "until 6:00 PM"
    assert time_range(time(9, 0), time(13, 0)) == "de 9:00 a. m. a 1:00 p. m."


def test_days_with_their_weekday() -> None:
    saturday = date(2026, 12, 5)
    assert weekday_name(saturday) == "sábado"
    assert weekday_name(saturday, "en") == "Saturday"
    assert format_day(saturday) == "sábado 5 de diciembre"
    assert format_day(saturday, "en") == "Saturday, December 5"
    moment = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("America/Santo_Domingo"))
    assert format_moment(moment) == "sábado 5 de diciembre, 10:00 a. m."


def test_the_words_customers_write_for_days_and_months() -> None:
    assert WEEKDAY_WORDS["sabado"] == WEEKDAY_WORDS["sabados"] == WEEKDAY_WORDS["saturday"] == 5
    assert WEEKDAY_WORDS["miercoles"] == 2
    assert MONTH_WORDS["diciembre"] == MONTH_WORDS["december"] == 12
    assert MONTH_WORDS["setiembre"] == 9


@pytest.mark.parametrize(
    ("start", "spanish", "english"),
    [
        (datetime(2026, 12, 5, 10, tzinfo=SANTO_DOMINGO), "sábado 5 de diciembre, 10:00 a. m.", "Saturday, December 5, 10:00 AM"),  # noqa: E501
        (datetime(2026, 12, 2, 15, 30, tzinfo=SANTO_DOMINGO), "miércoles 2 de diciembre, 3:30 p. m.", "Wednesday, December 2, 3:30 PM"),  # noqa: E501
        (datetime(2026, 12, 1, 12, tzinfo=SANTO_DOMINGO), "martes 1 de diciembre, 12:00 p. m.", "Tuesday, December 1, 12:00 PM"),  # noqa: E501
    ],
)  # fmt: skip
def test_an_instant_in_words_the_day_then_the_hour(
    start: datetime, spanish: str, english: str
) -> None:
    assert when_text(start, SANTO_DOMINGO) == spanish
    assert when_text(start, SANTO_DOMINGO, "en") == english


def test_an_instant_is_worded_in_the_zone_asked_whatever_its_own() -> None:
    instant = datetime(2026, 12, 5, 14, tzinfo=UTC)
    assert when_text(instant, SANTO_DOMINGO) == "sábado 5 de diciembre, 10:00 a. m."
    assert when_text(instant, ZoneInfo("Asia/Tokyo")) == "sábado 5 de diciembre, 11:00 p. m."
