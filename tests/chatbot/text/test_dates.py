"""Times and dates as the customer reads them, in Spanish and English."""

from __future__ import annotations

from datetime import date, datetime, time
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
)


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
