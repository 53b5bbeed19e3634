"""Days and times as customers read and write them, in Spanish and English.

"8:00 a. m.", "sábado 5 de diciembre", "Saturday, December 5": the one place that words a
time of day or a date for a customer (opening hours, closures, bookings), and that knows the
names of weekdays and months when a customer writes them ("el sabado", "25 de diciembre").
A 12-hour clock, as Dominicans write it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from okla.chatbot.text.language import Lang

# Monday first, as date.weekday() counts.
_WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_ES = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Folded words customers write for a weekday (plurals: "los sábados"), 0 = Monday.
WEEKDAY_WORDS: dict[str, int] = {
    **{name: n for n, name in enumerate(("lunes", "martes", "miercoles", "jueves", "viernes"))},
    "sabado": 5,
    "sabados": 5,
    "domingo": 6,
    "domingos": 6,
    **{name.lower(): n for n, name in enumerate(_WEEKDAYS_EN)},
    **{f"{name.lower()}s": n for n, name in enumerate(_WEEKDAYS_EN)},
}
# Folded month names, 1 = January ("setiembre" is how many Dominicans spell September).
MONTH_WORDS: dict[str, int] = {
    **{name: n for n, name in enumerate(_MONTHS_ES, 1)},
    "setiembre": 9,
    **{name.lower(): n for n, name in enumerate(_MONTHS_EN, 1)},
}
# Short forms of the months written beside a day ("5 dic", "Dec 5"), folded.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "ene": 1, "jan": 1, "feb": 2, "mar": 3, "abr": 4, "apr": 4, "jun": 6, "jul": 7,
    "ago": 8, "aug": 8, "sep": 9, "sept": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12,
    "dec": 12,
}  # fmt: skip


def day_name(weekday: int, lang: Lang = "es") -> str:
    """Return the name of a weekday (0 = Monday): "sábado", "Saturday"."""
    return (_WEEKDAYS_EN if lang == "en" else _WEEKDAYS_ES)[weekday]


def weekday_name(day: date, lang: Lang = "es") -> str:
    """Return the weekday of a date: "sábado", "Saturday"."""
    return day_name(day.weekday(), lang)


def month_name(month: int, lang: Lang = "es") -> str:
    """Return the name of a month (1 = January): "diciembre", "December"."""
    return (_MONTHS_EN if lang == "en" else _MONTHS_ES)[month - 1]


def format_time(moment: time, lang: Lang = "es") -> str:
    """Return a time of day on a 12-hour clock: "8:00 a. m.", "1:30 p. m.", "8:00 AM"."""
    hour = moment.hour % 12 or 12
    if lang == "en":
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{hour}:{moment.minute:02d} {'a. m.' if moment.hour < 12 else 'p. m.'}"


def at_time(moment: time, lang: Lang = "es") -> str:
    """Return "a las 8:00 a. m." ("a la 1:00 p. m."), "at 8:00 AM"."""
    if lang == "en":
        return f"at {format_time(moment, lang)}"
    return f"{_article(moment)} {format_time(moment, lang)}"


def until_time(moment: time, lang: Lang = "es") -> str:
    """Return "hasta las 6:00 p. m." ("hasta la 1:00 p. m."), "until 6:00 PM"."""
    if lang == "en":
        return f"until {format_time(moment, lang)}"
    return f"hasta {_article(moment)[2:]} {format_time(moment, lang)}"


def time_range(opens: time, closes: time, lang: Lang = "es") -> str:
    """Return "de 8:00 a. m. a 6:00 p. m.", "from 8:00 AM to 6:00 PM"."""
    if lang == "en":
        return f"from {format_time(opens, lang)} to {format_time(closes, lang)}"
    return f"de {format_time(opens, lang)} a {format_time(closes, lang)}"


def format_day(day: date, lang: Lang = "es") -> str:
    """Return a date with its weekday: "sábado 5 de diciembre", "Saturday, December 5"."""
    if lang == "en":
        return f"{weekday_name(day, lang)}, {month_name(day.month, lang)} {day.day}"
    return f"{weekday_name(day, lang)} {day.day} de {month_name(day.month, lang)}"


def format_moment(moment: datetime, lang: Lang = "es") -> str:
    """Return a date and time: "sábado 5 de diciembre, 10:00 a. m." (in the moment's zone)."""
    return f"{format_day(moment.date(), lang)}, {format_time(moment.time(), lang)}"


def when_text(start: datetime, zone: ZoneInfo, lang: Lang = "es") -> str:
    """Return an instant in the words of a zone: "sábado 5 de diciembre, 10:00 a. m."."""
    return format_moment(start.astimezone(zone), lang)


def _article(moment: time) -> str:
    # "la una", "las dos": Spanish says the hour's number, and one is singular.
    return "a la" if moment.hour % 12 == 1 else "a las"
