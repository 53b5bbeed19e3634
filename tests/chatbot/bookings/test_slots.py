"""The slot grid of a dealer's days and the free slots after a wanted time (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.bookings.domain import Busy, PartOfDay, Refusal, Slot
from okla.chatbot.bookings.slots import (
    check_start,
    concurrent,
    day_window,
    free_slots,
    is_free,
    part_window,
    slots_on,
)
from okla.chatbot.dealers.domain import DealerProfile
from tests.utils.bookings import NOW, PROFILE, SANTO_DOMINGO, local, profile

NEW_YORK = ZoneInfo("America/New_York")


def starts(found: tuple[Slot, ...], zone: ZoneInfo = SANTO_DOMINGO) -> list[str]:
    return [s.start.astimezone(zone).strftime("%a %d %H:%M") for s in found]


def test_a_weekday_has_a_slot_each_hour_from_opening_to_closing() -> None:
    grid = slots_on(PROFILE, date(2026, 12, 1))
    assert [s.start for s in grid] == [local(1, h) for h in range(8, 18)]
    assert all(s.end - s.start == timedelta(hours=1) for s in grid)
    assert all(s.start.tzinfo == UTC for s in grid)


def test_saturday_sunday_and_closures_keep_their_own_hours() -> None:
    assert [s.start for s in slots_on(PROFILE, date(2026, 12, 5))] == [
        local(5, h) for h in (9, 10, 11, 12)
    ]
    assert slots_on(PROFILE, date(2026, 12, 6)) == ()  # Sunday: not in the hours
    assert slots_on(PROFILE, date(2026, 12, 25)) == ()  # Navidad
    assert [s.start for s in slots_on(PROFILE, date(2026, 12, 24))] == [
        local(24, h) for h in (8, 9, 10, 11)
    ]


def test_slots_align_to_each_opening_and_end_inside_it() -> None:
    split = profile(
        hours={
            "mon": [{"opens": "08:00", "closes": "12:00"}, {"opens": "13:30", "closes": "17:00"}]
        }
    )
    assert starts(slots_on(split, date(2026, 12, 7))) == [
        "Mon 07 08:00", "Mon 07 09:00", "Mon 07 10:00", "Mon 07 11:00",
        "Mon 07 13:30", "Mon 07 14:30", "Mon 07 15:30",
    ]  # fmt: skip
    odd = profile(testDrives={"slotMinutes": 45, "capacity": 1})
    grid = slots_on(odd, date(2026, 12, 7))
    assert len(grid) == 13
    assert grid[-1].start == local(7, 17) and grid[-1].end == local(7, 17, 45)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (local(1, 10), Slot(local(1, 10), local(1, 11))),
        (local(1, 10).astimezone(UTC), Slot(local(1, 10), local(1, 11))),
        (local(5, 12), Slot(local(5, 12), local(5, 13))),
        (local(30, 10, month=11), Refusal.PAST),  # this morning
        (NOW, Refusal.PAST),
        (local(30, 16, month=11), Slot(local(30, 16, month=11), local(30, 17, month=11))),
        (local(6, 10), Refusal.CLOSED),  # Sunday
        (local(1, 19), Refusal.CLOSED),  # after hours
        (local(1, 7), Refusal.CLOSED),
        (local(25, 10), Refusal.CLOSED),  # holiday
        (local(24, 14), Refusal.CLOSED),  # Nochebuena closes at noon
        (local(1, 10, 30), Refusal.MISALIGNED),
        (local(1, 10, 0).replace(second=1), Refusal.MISALIGNED),
    ],
)
def test_a_start_is_bookable_only_on_the_grid_in_the_future(
    start: datetime, expected: Slot | Refusal
) -> None:
    assert check_start(PROFILE, start, NOW) == expected


def test_a_start_without_a_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check_start(PROFILE, datetime(2026, 12, 1, 10), NOW)


def test_concurrency_is_the_busiest_instant_not_the_overlap_count() -> None:
    taken = [
        Busy(local(1, 10), local(1, 11)),
        Busy(local(1, 10, 30), local(1, 11, 30)),
        Busy(local(1, 11), local(1, 12)),  # starts when the first ends
    ]
    assert concurrent(taken, local(1, 10), local(1, 12)) == 2
    assert concurrent(taken, local(1, 9), local(1, 10)) == 0
    assert concurrent(taken, local(1, 11, 30), local(1, 12)) == 1


def test_the_next_three_free_slots_skip_full_ones_and_the_vehicles_bookings() -> None:
    taken = [
        Busy(local(1, 10), local(1, 11), "a"),
        Busy(local(1, 10), local(1, 11), "b"),
        Busy(local(1, 11), local(1, 12), "bronco"),
    ]
    assert starts(free_slots(PROFILE, local(1, 10), taken, NOW)) == [
        "Tue 01 11:00", "Tue 01 12:00", "Tue 01 13:00",
    ]  # fmt: skip
    assert starts(free_slots(PROFILE, local(1, 10), taken, NOW, vehicle_id="bronco")) == [
        "Tue 01 12:00", "Tue 01 13:00", "Tue 01 14:00",
    ]  # fmt: skip
    assert not is_free(PROFILE, Slot(local(1, 10), local(1, 11)), taken)
    assert is_free(PROFILE, Slot(local(1, 11), local(1, 12)), taken)


def test_free_slots_roll_over_evenings_weekends_and_holidays() -> None:
    assert starts(free_slots(PROFILE, local(30, 17, 30, month=11), [], NOW)) == [
        "Tue 01 08:00", "Tue 01 09:00", "Tue 01 10:00",
    ]  # fmt: skip
    saturday_noon = [Busy(local(5, 12), local(5, 13))] * 2
    assert starts(free_slots(PROFILE, local(5, 12), saturday_noon, NOW)) == [
        "Mon 07 08:00", "Mon 07 09:00", "Mon 07 10:00",
    ]  # fmt: skip
    assert starts(free_slots(PROFILE, local(24, 11), [], NOW)) == [
        "Thu 24 11:00", "Sat 26 09:00", "Sat 26 10:00",
    ]  # fmt: skip


def test_free_slots_never_offer_the_past_and_stop_at_until() -> None:
    # It is 15:00: the slot starting now has begun.
    assert starts(free_slots(PROFILE, local(30, 8, month=11), [], NOW)) == [
        "Mon 30 16:00", "Mon 30 17:00", "Tue 01 08:00",
    ]  # fmt: skip
    morning = part_window(PROFILE, date(2026, 12, 1), PartOfDay.MORNING)
    found = free_slots(PROFILE, morning[0], [], NOW, until=morning[1], count=10)
    assert starts(found) == ["Tue 01 08:00", "Tue 01 09:00", "Tue 01 10:00", "Tue 01 11:00"]


def test_bookings_made_under_another_slot_length_still_count() -> None:
    # Two hour-long bookings from before the dealer moved to half-hour slots.
    taken = [Busy(local(1, 10), local(1, 11))] * 2
    halves = profile(testDrives={"slotMinutes": 30, "capacity": 2})
    assert not is_free(halves, Slot(local(1, 10, 30), local(1, 11)), taken)
    assert starts(free_slots(halves, local(1, 10), taken, NOW)) == [
        "Tue 01 11:00", "Tue 01 11:30", "Tue 01 12:00",
    ]  # fmt: skip


def test_the_windows_of_a_day_and_of_its_parts() -> None:
    day = date(2026, 12, 5)
    assert part_window(PROFILE, day, PartOfDay.AFTERNOON) == (local(5, 12), local(5, 18))
    assert day_window(PROFILE, day) == (local(5, 0), local(6, 0))


def _new_york(**hours: Any) -> DealerProfile:
    every_day = {d: [hours] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    return DealerProfile.model_validate({"timezone": "America/New_York", "hours": every_day})


def test_a_new_york_dealer_keeps_its_local_hours_across_the_autumn_change() -> None:
    dealer = _new_york(opens="09:00", closes="17:00")
    saturday = slots_on(dealer, date(2026, 10, 31))  # EDT, UTC-4
    monday = slots_on(dealer, date(2026, 11, 2))  # EST, UTC-5
    assert saturday[0].start == datetime(2026, 10, 31, 13, tzinfo=UTC)
    assert monday[0].start == datetime(2026, 11, 2, 14, tzinfo=UTC)
    now = datetime(2026, 10, 31, 12, tzinfo=NEW_YORK)
    found = free_slots(dealer, datetime(2026, 10, 31, 16, tzinfo=NEW_YORK), [], now)
    assert starts(found, NEW_YORK) == ["Sat 31 16:00", "Sun 01 09:00", "Sun 01 10:00"]
    assert [s.start.hour for s in found] == [20, 14, 15]  # in UTC
    wanted = datetime(2026, 11, 1, 9, tzinfo=NEW_YORK)
    assert check_start(dealer, wanted, now) == Slot(
        datetime(2026, 11, 1, 14, tzinfo=UTC), datetime(2026, 11, 1, 15, tzinfo=UTC)
    )


def test_slots_last_their_real_length_through_the_night_of_a_change() -> None:
    night = _new_york(opens="00:00", closes="04:00")
    # Autumn: 01:00-02:00 happens twice, so the night is five hours long.
    autumn = slots_on(night, date(2026, 11, 1))
    assert len(autumn) == 5
    assert all(s.end - s.start == timedelta(hours=1) for s in autumn)
    assert [s.start.astimezone(NEW_YORK).strftime("%H:%M %Z") for s in autumn] == [
        "00:00 EDT", "01:00 EDT", "01:00 EST", "02:00 EST", "03:00 EST",
    ]  # fmt: skip
    # Spring: 02:00-03:00 never happens, so the night is three hours long.
    assert len(slots_on(night, date(2026, 3, 8))) == 3


def test_an_opening_in_the_part_of_a_day_is_a_plain_time_window() -> None:
    begins, ends = PartOfDay.EVENING.hours
    assert begins == time(18) and ends > begins
