"""Dominican public holidays from the table: Easter, and Ley 139-97's Mondays."""

from __future__ import annotations

from datetime import date

import pytest

from okla.chatbot.dealers.holidays import easter, holidays_between, holidays_of
from okla.chatbot.inventory.demo import demo_profiles


@pytest.mark.parametrize(
    "sunday", [date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]
)
def test_easter(sunday: date) -> None:
    assert easter(sunday.year) == sunday


def test_fixed_holidays_keep_their_date() -> None:
    days = {h.name: h.day for h in holidays_of(2027)}
    assert days["Año Nuevo"] == date(2027, 1, 1)  # a Friday, kept
    assert days["Día de la Altagracia"] == date(2027, 1, 21)  # a Thursday, kept
    assert days["Día de la Independencia"] == date(2027, 2, 27)
    assert days["Navidad"] == date(2027, 12, 25)
    assert days["Viernes Santo"] == date(2027, 3, 26)
    assert days["Corpus Christi"] == date(2027, 5, 27)


def test_some_holidays_move_to_a_monday() -> None:
    days = {h.name: h.day for h in holidays_of(2027)}
    assert days["Día de los Santos Reyes"] == date(2027, 1, 4)  # Wednesday 6: the Monday before
    assert days["Día de Duarte"] == date(2027, 1, 25)  # Tuesday 26: the Monday before
    assert days["Día del Trabajo"] == date(2027, 5, 1)  # a Saturday: kept
    reyes_2022 = {h.name: h.day for h in holidays_of(2022)}["Día de los Santos Reyes"]
    assert reyes_2022 == date(2022, 1, 10)  # Thursday 6: the Monday after
    # Restoration Day stays on its date when a president takes office (2028).
    assert {h.name: h.day for h in holidays_of(2028)}["Día de la Restauración"] == date(2028, 8, 16)


def test_the_year_ahead_spans_two_calendar_years() -> None:
    found = holidays_between(date(2026, 11, 30), date(2027, 11, 30))
    assert [h.day for h in found[:5]] == [
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 1, 4),
        date(2027, 1, 21),
        date(2027, 1, 25),
    ]
    assert all(date(2026, 11, 30) <= h.day <= date(2027, 11, 30) for h in found)


def test_the_demo_dealers_close_on_the_holidays_of_the_year_ahead() -> None:
    for profile in demo_profiles(date(2026, 11, 30)).values():
        closed = {c.day: c.reason for c in profile.closures}
        assert closed[date(2026, 12, 25)] == "Navidad"
        assert date(2027, 1, 1) in closed and date(2027, 2, 27) in closed
        assert date(2027, 1, 21) in closed
        assert all(not c.hours for c in profile.closures)
