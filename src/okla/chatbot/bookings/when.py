"""Read when a customer wants to come, as they write it in Spanish or English.

"mañana a las 10", "el sábado en la tarde", "pasado mañana", "next Saturday at 3pm",
"mejor a las 11": the day, the hour and the part of the day are found by small rules over
the folded text (dateparser reads few of these phrasings in Spanish: it takes "mañana a las
10" for tomorrow at the current hour and "a las 10" for the 10th), and calendar dates
("el 5 de diciembre", "dec 5th", "5/12/2026", "dentro de 3 días") are read by dateparser,
day first. An hour without a.m./p.m. is a business hour: 1 to 7 are afternoon hours.

Numbers that are years, prices or mileage ("del 2020", "a 2 millones", "la de 10 mil km")
are no time: an hour needs "a las", a colon, a.m./p.m. or "de la tarde" around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from okla.chatbot.bookings.domain import PartOfDay
from okla.chatbot.text.dates import MONTH_ABBREVIATIONS, MONTH_WORDS, WEEKDAY_WORDS
from okla.chatbot.text.fold import fold


@dataclass(frozen=True)
class Exact:
    """A day and an hour: an instant in the dealer's time zone."""

    start: datetime


@dataclass(frozen=True)
class DayPart:
    """A day and a part of it ("el sábado en la tarde")."""

    day: date
    part: PartOfDay


@dataclass(frozen=True)
class DayOnly:
    """A day without an hour ("pasado mañana")."""

    day: date


@dataclass(frozen=True)
class TimeOnly:
    """An hour without a day ("mejor a las 11"): the day under discussion, at that hour."""

    at: time

    def on(self, day: date, zone: ZoneInfo) -> Exact:
        """Return the instant of this hour on a day."""
        return Exact(datetime.combine(day, self.at, zone))


@dataclass(frozen=True)
class PartOnly:
    """A part of the day without a day ("mejor en la tarde"): the day under discussion."""

    part: PartOfDay

    def on(self, day: date) -> DayPart:
        """Return this part of a day."""
        return DayPart(day, self.part)


When = Exact | DayPart | DayOnly | TimeOnly | PartOnly


def read_when(text: str, now: datetime, zone: ZoneInfo) -> When | None:
    """Return when a message asks to come, relative to `now` read in the dealer's zone."""
    today = now.astimezone(zone).date()
    folded = f" {_clean(fold(text))} "
    at, folded = _time(folded)
    part, part_today, folded = _part(folded)
    day = _day(folded, today, now, zone)
    if day is None and part_today:
        day = today
    if at is None and part is None and day is None:
        return _dateparser_fallback(text, now, zone)
    if day is not None and at is not None:
        return Exact(datetime.combine(day, at, zone))
    if day is not None and part is not None:
        return DayPart(day, part)
    if day is not None:
        return DayOnly(day)
    if at is not None:
        return TimeOnly(at)
    assert part is not None
    return PartOnly(part)


def _clean(folded: str) -> str:
    # Question and exclamation marks and commas only separate words here.
    return re.sub(r"[¿?¡!,;]", " ", folded)


def _blank(text: str, match: re.Match[str]) -> str:
    """Remove what a rule read, keeping offsets, so no other rule reads it again."""
    begin, end = match.span()
    return text[:begin] + " " * (end - begin) + text[end:]


# -- the hour -------------------------------------------------------------------------------

_HOUR_WORDS = {
    "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip
_HOUR = rf"(?P<h>\d{{1,2}}|{'|'.join(_HOUR_WORDS)})"
_MINUTES = (
    r"(?:[:.](?P<m>\d{2})|\s+y\s+(?P<plus>media|cuarto|\d{1,2})"
    r"|\s+menos\s+(?P<less>cuarto|\d{1,2}))?"
)
_MERIDIEM = r"(?:\s*(?P<mer>[ap])\.?\s?m\b\.?)?"
_QUALIFIER = (
    r"(?:\s+(?:de|en|por|in)\s+(?:la|the)\s+"
    r"(?P<q>manana|mananita|tarde|tardecita|noche|morning|afternoon|evening))?"
)
# What a number can be besides an hour: a count of something, a price, a mileage.
_NOT_AN_HOUR = (
    r"(?!\s*(?:mil\b|millon|k\b|km|kilometr|%|\$|anos\b|puertas|pasajeros|asientos|plazas"
    r"|filas|cilindros|meses|cuotas|pulgadas|velocidades|x\s?\d|\d|[.,]\d(?!\d)))"
)
_ANCHORED = re.compile(
    r"(?<![a-z0-9])(?P<pre>a\s+las?|para\s+las?|como\s+a\s+las?|sobre\s+las?|desde\s+las?"
    r"|despues\s+de\s+las?|after|tipo|at|@|las?)\s+"
    + _HOUR
    + _NOT_AN_HOUR
    + _MINUTES
    + _MERIDIEM
    + _QUALIFIER
    + r"(?![a-z0-9])"
)
_WITH_MERIDIEM = re.compile(
    r"(?<![a-z0-9/.:-])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<mer>[ap])\.?\s?m\b\.?" + _QUALIFIER
)
_WITH_COLON = re.compile(r"(?<![a-z0-9/.:-])(?P<h>\d{1,2}):(?P<m>\d{2})(?![0-9])" + _QUALIFIER)
_WITH_PART = re.compile(
    r"(?<![a-z0-9/.:-])(?P<h>\d{1,2}|" + "|".join(_HOUR_WORDS) + r")"
    r"\s+(?:de|en|in)\s+(?:la|the)\s+(?P<q>manana|tarde|noche|morning|afternoon|evening)\b"
)
_NOON = re.compile(r"(?<![a-z])(?:al\s+|a\s+)?(?:medio\s?dia|noon|midday)(?![a-z])")
_MIDNIGHT = re.compile(r"(?<![a-z])(?:a\s+la\s+)?(?:media\s?noche|midnight)(?![a-z])")
_DAY_WORD = re.compile(
    r"(?<![a-z])(?:hoy|manana|today|tomorrow|tonight|lunes|martes|miercoles|jueves|viernes"
    r"|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])"
)

_PARTS = {
    "manana": PartOfDay.MORNING, "mananita": PartOfDay.MORNING, "morning": PartOfDay.MORNING,
    "tarde": PartOfDay.AFTERNOON, "tardecita": PartOfDay.AFTERNOON,
    "afternoon": PartOfDay.AFTERNOON,
    "noche": PartOfDay.EVENING, "nochecita": PartOfDay.EVENING, "evening": PartOfDay.EVENING,
    "night": PartOfDay.EVENING,
}  # fmt: skip


def _hour_of(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    raw = groups["h"]
    hour = int(raw) if raw.isdigit() else _HOUR_WORDS[raw]
    minute = int(groups.get("m") or 0)
    plus, less = groups.get("plus"), groups.get("less")
    if plus:
        minute = {"media": 30, "cuarto": 15}.get(plus) or int(plus)
    if less:
        minute = 60 - ({"cuarto": 15}.get(less) or int(less))
        hour -= 1
    meridiem = groups.get("mer")
    part = _PARTS.get(groups.get("q") or "")
    if hour > 23 or minute > 59 or (meridiem and not 1 <= hour <= 12):
        return None
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    elif meridiem is None and part in (PartOfDay.AFTERNOON, PartOfDay.EVENING) and hour < 12:
        hour += 12
    elif meridiem is None and part == PartOfDay.EVENING and hour == 12:
        hour = 0  # "a las 12 de la noche"
    elif meridiem is None and part is None and 1 <= hour <= 7:
        hour += 12  # "a las 4": nobody test-drives a car at four in the morning
    return time(hour % 24, minute)


def _time(text: str) -> tuple[time | None, str]:
    """Return the hour a message names (and the text without it)."""
    for pattern in (_WITH_MERIDIEM, _WITH_COLON, _WITH_PART, _ANCHORED):
        for match in pattern.finditer(text):
            if pattern is _ANCHORED and not _anchored_enough(match, text):
                continue
            at = _hour_of(match)
            if at is not None:
                return at, _blank(text, match)
    for pattern, at in ((_NOON, time(12)), (_MIDNIGHT, time(0))):
        found = pattern.search(text)
        if found:
            return at, _blank(text, found)
    return None, text


def _anchored_enough(match: re.Match[str], text: str) -> bool:
    """Tell whether 'las 2' is an hour: it is after 'a', with minutes or a.m., or a day."""
    pre = match.group("pre")
    if pre not in ("la", "las", "tipo"):
        return True
    told = any(match.group(g) for g in ("m", "plus", "less", "mer", "q"))
    return told or _DAY_WORD.search(text) is not None


# -- the part of the day ---------------------------------------------------------------------

_PART = re.compile(
    r"(?<![a-z])(?:(?:(?:en|por|a|de|durante|in|during)\s+(?:la|the)\s+)"
    r"(?P<part>mananita|manana|tardecita|tarde|nochecita|noche|morning|afternoon|evening)"
    r"|(?P<bare>morning|afternoon|evening|night))(?![a-z])"
)
_PART_TODAY = re.compile(
    r"(?<![a-z])(?:(?:esta|this)\s+(?P<part>manana|tarde|noche|morning|afternoon|evening)"
    r"|(?P<tonight>tonight))(?![a-z])"
)
_EARLY = re.compile(r"(?<![a-z])(?:temprano|bien\s+temprano|early)(?![a-z])")
_AFTER_LUNCH = re.compile(
    r"(?<![a-z])(?:despues\s+del?\s+almuerzo|despues\s+de\s+comer|after\s+lunch)(?![a-z])"
)


def _part(text: str) -> tuple[PartOfDay | None, bool, str]:
    """Return the part of the day named, whether it is today's, and the text without it."""
    found = _PART_TODAY.search(text)
    if found:
        name = found.group("part")
        return (PartOfDay.EVENING if name is None else _PARTS[name]), True, _blank(text, found)
    found = _PART.search(text)
    if found:
        return _PARTS[found.group("part") or found.group("bare")], False, _blank(text, found)
    found = _EARLY.search(text)
    if found:
        return PartOfDay.MORNING, False, _blank(text, found)
    found = _AFTER_LUNCH.search(text)
    if found:
        return PartOfDay.AFTERNOON, False, _blank(text, found)
    return None, False, text


# -- the day ---------------------------------------------------------------------------------

# The months as customers write them, and their short forms ("5 dic", "Dec 5").
_MONTHS = "|".join(sorted((*MONTH_WORDS, *MONTH_ABBREVIATIONS), key=len, reverse=True))
LANGUAGES = ("es", "en")
_NUMBER_WORDS = {"un": 1, "una": 1, "a": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3}

_DAY_AFTER_TOMORROW = re.compile(
    r"(?<![a-z])(?:pasado\s+manana|(?:the\s+)?day\s+after\s+tomorrow)(?![a-z])"
)
_TOMORROW = re.compile(r"(?<![a-z])(?:manana|tomorrow)(?![a-z])")
_TODAY = re.compile(r"(?<![a-z])(?:hoy|today)(?![a-z])")
_WEEKDAY = re.compile(
    r"(?<![a-z])(?:(?P<mod>este|esta|this|proximo|next|el\s+proximo)\s+)?"
    r"(?P<wd>"
    + "|".join(sorted(WEEKDAY_WORDS, key=len, reverse=True))
    + r")(?:\s+(?P<after>que\s+viene|proximo|next))?(?![a-z])"
)
_SANTO_DOMINGO = re.compile(r"santo\s+domingo")
_NAMED_DATE = re.compile(
    r"(?<![a-z0-9])(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(?P<m1>"
    + _MONTHS
    + r")\.?|(?P<m2>"
    + _MONTHS
    + r")\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{4}))?(?![a-z0-9])"
)
_ISO_DATE = re.compile(r"(?<![0-9])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![0-9])")
# Day first; a date without a year needs "el", "para el" or "on" before it ("5/7 pasajeros").
_NUMERIC_DATE = re.compile(
    r"(?<![a-z0-9/.-])(?:(?P<lead>(?:para\s+)?el|dia|on|for)\s+)?"
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![0-9/.-])"
)
_DAY_OF_MONTH = re.compile(
    r"(?<![a-z0-9])(?:el\s+dia|el|the)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    r"(?=\s*$|\s+(?:a\s+las?|en\s+la|por\s+la|de\s+la|at|in\s+the|de\s+este\s+mes|temprano)\b)"
)
_DIA_N = re.compile(r"(?<![a-z0-9])dia\s+(?P<d>\d{1,2})(?![0-9])" + _NOT_AN_HOUR)
_IN_DAYS = re.compile(
    r"(?<![a-z])(?:(?:en|dentro\s+de)\s+(?P<es>\d{1,2}|un|una|dos|tres)\s+dias?"
    r"|in\s+(?P<en>\d{1,2}|a|one|two|three)\s+days?)(?![a-z])"
)


def _day(text: str, today: date, now: datetime, zone: ZoneInfo) -> date | None:
    """Return the day a message names, if it names one."""
    for pattern in (_NAMED_DATE, _ISO_DATE, _NUMERIC_DATE):
        for match in pattern.finditer(text):
            if pattern is _NUMERIC_DATE and not (match.group("lead") or match.group("y")):
                continue
            day = _calendar_date(match.group(), today, now, zone, explicit_year=bool(match["y"]))
            if day is not None:
                return day
    found = _DAY_AFTER_TOMORROW.search(text)
    if found:
        return today + timedelta(days=2)
    found = _IN_DAYS.search(text)
    if found:
        count = found.group("es") or found.group("en")
        return today + timedelta(days=_NUMBER_WORDS.get(count) or int(count))
    if _TOMORROW.search(text):
        return today + timedelta(days=1)
    if _TODAY.search(text):
        return today
    weekday = _WEEKDAY.search(_SANTO_DOMINGO.sub(" ", text))
    if weekday:
        ahead = (WEEKDAY_WORDS[weekday.group("wd")] - today.weekday()) % 7
        if ahead == 0 and weekday.group("mod") not in ("este", "esta", "this"):
            ahead = 7  # "el lunes", said on a Monday, is next week's
        return today + timedelta(days=ahead)
    for pattern in (_DAY_OF_MONTH, _DIA_N):
        found = pattern.search(text)
        if found:
            return _next_day_of_month(int(found.group("d")), today)
    return None


def _next_day_of_month(number: int, today: date) -> date | None:
    """Return the next date (from today) that is the `number`th of its month."""
    year, month = today.year, today.month
    for _ in range(13):
        try:
            day = date(year, month, number)
        except ValueError:
            day = None
        if day is not None and day >= today:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _settings(now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "PREFER_DATES_FROM": "future",
        "TIMEZONE": zone.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "RETURN_TIME_AS_PERIOD": True,
    }


def _calendar_date(
    fragment: str, today: date, now: datetime, zone: ZoneInfo, *, explicit_year: bool
) -> date | None:
    """Read a calendar date with dateparser; without a year, the next such date from today."""
    import dateparser

    fragment = re.sub(r"^(?:para\s+el|el|dia|on|for)\s+", "", fragment.strip())
    parsed = dateparser.parse(fragment, languages=list(LANGUAGES), settings=_settings(now, zone))
    if parsed is None:
        return None
    day: date = parsed.date()
    if not explicit_year:
        # "el 30 de noviembre", said on the 30th, is today (dateparser's future is next year).
        this_year = _same_day_in(day, today.year)
        if this_year is not None and this_year >= today:
            day = this_year
    return day


def _same_day_in(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None  # the 29th of February


# Stock talk dateparser might read as a date: years, prices, mileage, counts.
_STOCK_TALK = re.compile(
    r"(?<![0-9])(?:19|20)\d{2}(?![0-9])|\bmil\b|millon|\bkm\b|kilometr|\$|pesos|dolares"
    r"|\bus\b|\brd\b|pasajeros|puertas"
)


def _dateparser_fallback(text: str, now: datetime, zone: ZoneInfo) -> When | None:
    """Ask dateparser about a message no rule read; keep only a day or an hour it found."""
    from dateparser.date import DateDataParser

    folded = fold(text)
    if not re.search(r"[a-z]", folded) or _STOCK_TALK.search(folded):
        return None
    parser = DateDataParser(languages=list(LANGUAGES), settings=_settings(now, zone))
    data = parser.get_date_data(text)
    found = data.date_obj
    if found is None or data.period not in ("day", "time"):
        return None
    local: datetime = found.astimezone(zone)
    if local.date() < now.astimezone(zone).date():
        return None
    if data.period == "time":
        return Exact(local)
    return DayOnly(local.date())
