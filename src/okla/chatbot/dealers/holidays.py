"""Dominican public holidays (días feriados), from a small table: no calendar service needed.

Ley 139-97 moves some holidays to a Monday so that they don't split the week: one that falls
on a Tuesday or Wednesday is kept the Monday before, on a Thursday or Friday the Monday after.
The rest are kept on their date (and Restoration Day in the years a president takes office
on it), and two follow Easter (Good Friday, Corpus Christi). A dealer who closes on other
days, or not on these, says so in its profile's closures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Holiday:
    """A public holiday as it is observed in a given year."""

    day: date
    name: str


# month, day, name, moved to a Monday by Ley 139-97.
_FIXED: tuple[tuple[int, int, str, bool], ...] = (
    (1, 1, "Año Nuevo", False),
    (1, 6, "Día de los Santos Reyes", True),
    (1, 21, "Día de la Altagracia", False),
    (1, 26, "Día de Duarte", True),
    (2, 27, "Día de la Independencia", False),
    (5, 1, "Día del Trabajo", True),
    (8, 16, "Día de la Restauración", True),
    (9, 24, "Día de las Mercedes", False),
    (11, 6, "Día de la Constitución", True),
    (12, 25, "Navidad", False),
)


def easter(year: int) -> date:
    """Return Easter Sunday of a year (the Gregorian computus, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _observed(day: date, moves: bool) -> date:
    # A president takes office on 16 August every four years (2024, 2028): kept on its date.
    inauguration = (day.month, day.day) == (8, 16) and day.year % 4 == 0
    if not moves or inauguration:
        return day
    weekday = day.weekday()
    if weekday in (1, 2):  # Tuesday, Wednesday: the Monday before
        return day - timedelta(days=weekday)
    if weekday in (3, 4):  # Thursday, Friday: the Monday after
        return day + timedelta(days=7 - weekday)
    return day


def holidays_of(year: int) -> list[Holiday]:
    """Return the public holidays of a year, as observed, in date order."""
    found = [Holiday(_observed(date(year, m, d), moves), name) for m, d, name, moves in _FIXED]
    sunday = easter(year)
    found.append(Holiday(sunday - timedelta(days=2), "Viernes Santo"))
    found.append(Holiday(sunday + timedelta(days=60), "Corpus Christi"))
    return sorted(found, key=lambda h: h.day)


def holidays_between(first: date, last: date) -> list[Holiday]:
    """Return the holidays observed from `first` to `last`, both included."""
    return [
        holiday
        for year in range(first.year, last.year + 1)
        for holiday in holidays_of(year)
        if first <= holiday.day <= last
    ]
