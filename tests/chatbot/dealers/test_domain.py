"""Opening hours: the week, closures and special days, open now in the dealer's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from pydantic import ValidationError

from okla.chatbot.dealers.domain import DealerProfile, Opening
from tests.utils.dealers import ADP, MDC, local

WEEKDAYS = {"mon": [{"opens": "09:00", "closes": "17:00"}]}


def test_the_week_and_its_closures() -> None:
    assert ADP.openings_on(date(2026, 12, 5)) == (Opening(opens=time(9), closes=time(13)),)
    assert ADP.openings_on(date(2026, 12, 6)) == ()  # a Sunday
    assert ADP.openings_on(date(2026, 12, 25)) == ()  # Christmas, a Friday
    closure = ADP.closure_on(date(2026, 12, 25))
    assert closure is not None and closure.reason == "Navidad"


def test_a_special_day_keeps_its_own_hours() -> None:
    profile = DealerProfile.model_validate(
        {
            "hours": {"thu": [{"opens": "08:00", "closes": "18:00"}]},
            "closures": [
                {
                    "date": "2026-12-24",
                    "reason": "Nochebuena",
                    "hours": [{"opens": "08:00", "closes": "12:00"}],
                }
            ],
        }
    )
    assert profile.openings_on(date(2026, 12, 24)) == (Opening(opens=time(8), closes=time(12)),)
    assert profile.is_open(local(2026, 12, 24, 11))
    assert not profile.is_open(local(2026, 12, 24, 13))


def test_open_now_is_read_in_the_dealers_time_zone() -> None:
    # 13:30 UTC is 9:30 in Santo Domingo: open; 23:00 UTC is 19:00 there: closed.
    assert ADP.is_open(datetime(2026, 11, 30, 13, 30, tzinfo=UTC))
    assert not ADP.is_open(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))
    # Saturday 02:00 UTC is still Friday 22:00 in Santo Domingo: Friday's hours apply, closed.
    assert ADP.local_date(datetime(2026, 12, 5, 2, 0, tzinfo=UTC)) == date(2026, 12, 4)
    madrid = DealerProfile.model_validate({"timezone": "Europe/Madrid", "hours": WEEKDAYS})
    # Monday 8:30 UTC is 9:30 in Madrid (open) and 4:30 in Santo Domingo.
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert madrid.is_open(monday)
    assert not DealerProfile.model_validate({"hours": WEEKDAYS}).is_open(monday)


def test_open_until_the_minute_it_closes() -> None:
    assert MDC.is_open(local(2026, 11, 30, 11, 59))
    assert not MDC.is_open(local(2026, 11, 30, 12, 0))  # the midday break
    assert MDC.is_open(local(2026, 11, 30, 14, 0))


def test_the_next_opening_skips_breaks_weekends_and_holidays() -> None:
    assert MDC.next_opening(local(2026, 11, 30, 12, 30)) == local(2026, 11, 30, 14)
    assert ADP.next_opening(local(2026, 12, 5, 14)) == local(2026, 12, 7, 8)  # Sat -> Mon
    # Thursday 24 December after closing: Friday is Christmas, Saturday opens at 9.
    assert ADP.next_opening(local(2026, 12, 24, 19)) == local(2026, 12, 26, 9)
    # Found from another zone's instant too.
    assert ADP.next_opening(datetime(2026, 12, 5, 18, 0, tzinfo=UTC)) == local(2026, 12, 7, 8)


def test_no_opening_ahead() -> None:
    assert DealerProfile().next_opening(local(2026, 11, 30, 9)) is None
    assert not DealerProfile().has_hours and ADP.has_hours


@pytest.mark.parametrize(
    ("data", "where", "what"),
    [
        ({"timezone": "America/Santo_Domingoo"}, ("timezone",), "unknown time zone"),
        (
            {"hours": {"sat": [{"opens": "13:00", "closes": "09:00"}]}},
            ("hours", "sat", 0, "closes"),
            "after opens",
        ),
        ({"hours": {"sab": []}}, ("hours", "sab", "[key]"), "'mon'"),
        (
            {"hours": {"mon": [{"opens": "8", "closes": "17:00"}]}},
            ("hours", "mon", 0, "opens"),
            "time",
        ),
        (
            {
                "hours": {
                    "mon": [
                        {"opens": "08:00", "closes": "12:00"},
                        {"opens": "11:00", "closes": "18:00"},
                    ]
                }
            },
            ("hours",),
            "overlap",
        ),
        ({"closures": [{"date": "2026-12-25"}, {"date": "2026-12-25"}]}, ("closures",), "twice"),
        ({"website": "x"}, ("website",), "Extra"),
        ({"testDrives": {"slotMinutes": 5}}, ("testDrives", "slotMinutes"), "15"),
    ],
)
def test_bad_profiles_name_the_field(
    data: dict[str, object], where: tuple[object, ...], what: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        DealerProfile.model_validate(data)
    errors = raised.value.errors()
    assert [e["loc"] for e in errors] == [where]
    assert what in errors[0]["msg"]


def test_times_may_be_written_with_one_digit_and_are_given_back_as_hh_mm() -> None:
    profile = DealerProfile.model_validate(
        {"hours": {"mon": [{"opens": "8:00", "closes": "17:30"}]}}
    )
    dumped = profile.model_dump(mode="json", by_alias=True)["hours"]
    assert dumped == {"mon": [{"opens": "08:00", "closes": "17:30"}]}
