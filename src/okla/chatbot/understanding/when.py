"""Which day a question about opening hours is about: now, today, el sábado, el 25 de diciembre.

Read from the message alone; the desk turns it into dates in the dealer's time zone, with the
clock of the turn. "Mañana" is tomorrow unless it is the morning ("el sábado en la mañana").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from okla.chatbot.text.dates import MONTH_WORDS, WEEKDAY_WORDS
from okla.chatbot.text.fold import fold, spell_out


@dataclass(frozen=True)
class Now:
    """ "¿Están abiertos ahora?": whether the dealer is open at this moment."""


@dataclass(frozen=True)
class InDays:
    """A day counted from today: 0 today ("hoy"), 1 tomorrow ("mañana"), 2 "pasado mañana"."""

    offset: int


@dataclass(frozen=True)
class OnWeekdays:
    """One or more weekdays (0 = Monday): "el sábado", "los domingos", "el fin de semana"."""

    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class OnDate:
    """A date without its year ("el 25 de diciembre"): the next one to come."""

    month: int
    day: int


@dataclass(frozen=True)
class OnHoliday:
    """A public holiday by name ("el día de Reyes"), as `dealers.holidays` names it."""

    name: str


@dataclass(frozen=True)
class Holidays:
    """ "¿Abren los feriados?": public holidays in general."""


DayAsked = Now | InDays | OnWeekdays | OnDate | OnHoliday | Holidays

_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(WEEKDAY_WORDS, key=len, reverse=True)) + r")\b")
_MONTH = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_DAY_OF_MONTH = re.compile(
    rf"\b(?P<day>[0-3]?\d|primero)(?:ro|o|st|nd|rd|th)?\s+(?:de\s+)?(?P<month>{_MONTH})\b|"
    rf"\b(?P<month2>{_MONTH})\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\b"
)
# Folded words for a holiday, and its name in dealers.holidays.
_HOLIDAY_NAMES = (
    (r"navidad|christmas(?: day)?", "Navidad"),
    (r"ano nuevo|new year'?s?(?: day| eve)?", "Año Nuevo"),
    (r"dia de (?:los )?(?:santos )?reyes|santos reyes|reyes magos", "Día de los Santos Reyes"),
    (r"dia de (?:la )?altagracia|virgen de la altagracia", "Día de la Altagracia"),
    (r"dia de duarte|natalicio de duarte", "Día de Duarte"),
    (r"dia de (?:la )?independencia|independence day", "Día de la Independencia"),
    (r"viernes santo|semana santa|good friday|holy week|easter", "Viernes Santo"),
    (r"dia del trabajo(?:ador)?|labou?r day", "Día del Trabajo"),
    (r"corpus christi|dia de corpus", "Corpus Christi"),
    (r"dia de (?:la )?restauracion", "Día de la Restauración"),
    # "Mercedes" alone is the make.
    (r"(?:dia|virgen) de (?:las|nuestra senora de las) mercedes", "Día de las Mercedes"),
    (r"dia de (?:la )?constitucion", "Día de la Constitución"),
)
_HOLIDAY = tuple((re.compile(rf"\b(?:{pattern})\b"), name) for pattern, name in _HOLIDAY_NAMES)
_WEEKEND = re.compile(r"\b(?:fin(?:es)? de semana|weekends?)\b")
_AFTER_TOMORROW = re.compile(r"\bpasado manana\b|\bday after tomorrow\b")
# "mañana" is the morning after "la", "esta", "en la", "por la", "de la".
_TOMORROW = re.compile(r"(?<!\bla )(?<!\besta )\bmanana\b|\btomorrow\b")
_TODAY = re.compile(
    r"\b(?:hoy|today|tonight|esta (?:noche|tarde|manana)|this (?:morning|afternoon|evening))\b"
)
_NOW = re.compile(
    r"\b(?:ahora|ahorita|ahora mismo|en este momento|ya (?:estan|abrieron)|right now|now|"
    r"at the moment|currently)\b"
)
_WHICH_DAYS = re.compile(r"\b(?:que|cuales|cual|what|which) dias\b|\b(?:what|which) days\b")
_HOLIDAYS = re.compile(r"\b(?:feriados?|dias? (?:feriados?|festivos?)|holidays?)\b")


def day_asked(text: str) -> DayAsked | None:
    """Return the day an hours question is about, or None for the week in general."""
    plain = spell_out(fold(text))
    date = _DAY_OF_MONTH.search(plain)
    if date is not None:
        day = date.group("day") or date.group("day2")
        month = MONTH_WORDS[date.group("month") or date.group("month2")]
        number = 1 if day == "primero" else int(day)
        if 1 <= number <= 31:
            return OnDate(month, number)
    for pattern, name in _HOLIDAY:
        if pattern.search(plain):
            return OnHoliday(name)
    if _WHICH_DAYS.search(plain):
        # "¿Qué días abren? Yo trabajo de lunes a viernes": the week, whatever days it names.
        return None
    weekdays = tuple(dict.fromkeys(WEEKDAY_WORDS[m] for m in _WEEKDAY.findall(plain)))
    if _WEEKEND.search(plain):
        weekdays = tuple(dict.fromkeys((*weekdays, 5, 6)))
    if weekdays:
        return OnWeekdays(weekdays)
    if _AFTER_TOMORROW.search(plain):
        return InDays(2)
    if _TOMORROW.search(plain):
        return InDays(1)
    if _TODAY.search(plain):
        return InDays(0)
    if _NOW.search(plain):
        return Now()
    if _HOLIDAYS.search(plain):
        return Holidays()
    return None
