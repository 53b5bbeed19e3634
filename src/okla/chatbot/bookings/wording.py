"""A booking's time in words, as a customer reads it: the day, then the hour.

"sábado 5 de diciembre, 10:00 a. m." / "Saturday, December 5, 10:00 a.m.", in the dealer's
time zone, on a 12-hour clock as Dominicans write it.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from okla.chatbot.text.language import Lang

_WEEKDAYS = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
}  # fmt: skip
_MERIDIEM = {"es": ("a. m.", "p. m."), "en": ("a.m.", "p.m.")}


def clock_time(at: time, lang: Lang = "es") -> str:
    """Return '10:00 a. m.' (Spanish) or '10:00 a.m.' (English)."""
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {_MERIDIEM[lang][at.hour >= 12]}"


def when_text(start: datetime, zone: ZoneInfo, lang: Lang = "es") -> str:
    """Return a booking's start in words: the local day, then the local hour."""
    local = start.astimezone(zone)
    weekday = _WEEKDAYS[lang][local.weekday()]
    month = _MONTHS[lang][local.month - 1]
    hour = clock_time(local.time(), lang)
    if lang == "en":
        return f"{weekday}, {month} {local.day}, {hour}"
    return f"{weekday} {local.day} de {month}, {hour}"
