"""Answers about opening hours, from the dealer's profile, at the turn's moment.

Days are the dealer's (its time zone): "hoy" is the dealer's today, "¿abren el sábado?" is the
next Saturday, and a closure on that date (a holiday) is said with the regular hours.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from okla.chatbot.dealers.domain import Closure, DealerProfile, Opening, Weekday
from okla.chatbot.dealers.holidays import holidays_between
from okla.chatbot.text.dates import (
    at_time,
    day_name,
    format_day,
    time_range,
    until_time,
    weekday_name,
)
from okla.chatbot.text.language import Lang
from okla.chatbot.understanding.when import (
    DayAsked,
    Holidays,
    InDays,
    Now,
    OnDate,
    OnHoliday,
    OnWeekdays,
)

# Closures said with the week's hours: those of the coming week.
_AHEAD_DAYS = 7
# Closures listed when asked about holidays: the next few within two months.
_HOLIDAYS_LISTED, _HOLIDAYS_DAYS = 3, 60
_WEEK = tuple(Weekday)


def hours_answer(profile: DealerProfile, asked: DayAsked | None, now: datetime, lang: Lang) -> str:
    """Answer an hours question about a day, or with the week, and whether it is open now."""
    today = profile.local_date(now)
    match asked:
        case Now():
            return now_status(profile, now, lang)
        case InDays(offset=0):
            return f"{day_hours(profile, today, today, lang)} {now_status(profile, now, lang)}"
        case InDays(offset=offset):
            return day_hours(profile, today + timedelta(days=offset), today, lang)
        case OnWeekdays(weekdays=weekdays):
            return " ".join(_weekday_hours(profile, w, today, lang) for w in weekdays)
        case OnDate(month=month, day=day):
            found = _next_date(today, month, day)
            if found is not None:
                return day_hours(profile, found, today, lang)
        case OnHoliday(name=name):
            ahead = holidays_between(today, today + timedelta(days=366))
            found = next((h.day for h in ahead if h.name == name), None)
            if found is not None:
                return day_hours(profile, found, today, lang)
        case Holidays():
            return holidays_answer(profile, today, lang)
    parts = [week_table(profile, lang), now_status(profile, now, lang)]
    soon = profile.closures_between(today, today + timedelta(days=_AHEAD_DAYS))
    parts += [_closure_line(c, today, lang) for c in soon]
    return " ".join(parts)


def week_table(profile: DealerProfile, lang: Lang) -> str:
    """Return the week's hours: "Nuestro horario: lunes a viernes, de 8:00 a. m. a ..."."""
    groups: list[tuple[int, int, tuple[Opening, ...]]] = []
    for n, weekday in enumerate(_WEEK):
        openings = profile.hours.get(weekday, ())
        if groups and groups[-1][2] == openings:
            groups[-1] = (groups[-1][0], n, openings)
        else:
            groups.append((n, n, openings))
    lines = []
    for first, last, openings in groups:
        days = day_name(first, lang)
        if last > first:
            days += f" {'to' if lang == 'en' else 'a'} {day_name(last, lang)}"
        lines.append(f"{days}, {_ranges(openings, lang) or _closed(lang)}")
    if lang == "en":
        return _sentence(f"Our hours: {'; '.join(lines)}")
    return _sentence(f"Nuestro horario: {'; '.join(lines)}")


def now_status(profile: DealerProfile, now: datetime, lang: Lang) -> str:
    """Say whether the dealer is open at this moment, until when, or when it opens next."""
    local = now.astimezone(profile.zone)
    opening = profile.opening_at(now)
    if opening is not None:
        closes = _closing(profile, local.date(), opening)
        if lang == "en":
            return _sentence(f"We're open now {until_time(closes, lang)}")
        return _sentence(f"Ahora estamos abiertos {until_time(closes, lang)}")
    today = local.date()
    closure = profile.closure_on(today)
    reason = f" ({closure.reason})" if closure and closure.reason and not closure.hours else ""
    upcoming = profile.next_opening(now)
    if upcoming is None:
        return "We're closed now." if lang == "en" else f"Ahora estamos cerrados{reason}."
    when = _relative(upcoming.date(), today, lang)
    if lang == "en":
        return _sentence(
            f"We're closed now{reason}; we open {when} {at_time(upcoming.time(), lang)}"
        )
    return _sentence(
        f"Ahora estamos cerrados{reason}; abrimos {when} {at_time(upcoming.time(), lang)}"
    )


def day_hours(profile: DealerProfile, day: date, today: date, lang: Lang) -> str:
    """Say the hours of one date: "El sábado abrimos de 9:00 a. m. a 1:00 p. m."."""
    closure = profile.closure_on(day)
    # A holiday is said with its date: "el viernes 25 de diciembre".
    when = _relative(day, today, lang, dated=closure is not None)
    openings = profile.openings_on(day)
    why = f" ({closure.reason})" if closure is not None and closure.reason else ""
    if openings:
        if lang == "en":
            return _sentence(f"{when}{why} we're open {_ranges(openings, lang)}")
        return _sentence(f"{when}{why} abrimos {_ranges(openings, lang)}")
    upcoming = profile.next_opening(datetime.combine(day, time.max, profile.zone))
    after = ""
    if upcoming is not None:
        after = f"{_relative(upcoming.date(), today, lang)} {at_time(upcoming.time(), lang)}"
    if lang == "en":
        return _sentence(f"{when} we're closed{why}" + (f"; we open {after}" if after else ""))
    return _sentence(f"{when} estamos cerrados{why}" + (f"; abrimos {after}" if after else ""))


def holidays_answer(profile: DealerProfile, today: date, lang: Lang) -> str:
    """List the next closures (holidays), or say an advisor confirms when none are given."""
    ahead = profile.closures_between(today, today + timedelta(days=_HOLIDAYS_DAYS))
    if not profile.closures:
        if lang == "en":
            return "A sales advisor will confirm whether we open on public holidays."
        return "Un asesor de ventas te confirma si abrimos los días feriados."
    if not ahead:
        if lang == "en":
            return "We have no closures in the coming weeks."
        return "No tenemos cierres en las próximas semanas."
    listed = [_dated(c, lang) for c in ahead[:_HOLIDAYS_LISTED]]
    if lang == "en":
        return f"We close on public holidays; the next ones: {_series(listed, lang)}."
    return f"Cerramos los días feriados; los próximos: {_series(listed, lang)}."


def _dated(closure: Closure, lang: Lang) -> str:
    """Name a closure by its date and reason: "viernes 25 de diciembre (Navidad)"."""
    day = format_day(closure.day, lang)
    if closure.hours:
        hours = _ranges(closure.hours, lang)
        day += f", {'open' if lang == 'en' else 'abrimos'} {hours}"
    return f"{day} ({closure.reason})" if closure.reason else day


def _weekday_hours(profile: DealerProfile, weekday: int, today: date, lang: Lang) -> str:
    """The regular hours of a weekday, and the closure of its next date if it has one."""
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    regular = profile.hours.get(_WEEK[weekday], ())
    name = day_name(weekday, lang)
    if lang == "en":
        text = f"On {name}s we're open {_ranges(regular, lang)}" if regular else ""
        text = _sentence(text or f"On {name}s we're closed")
    else:
        plural = name if name.endswith("s") else f"{name}s"
        text = f"Los {plural} abrimos {_ranges(regular, lang)}" if regular else ""
        text = _sentence(text or f"Los {plural} estamos cerrados")
    closure = profile.closure_on(day)
    if closure is not None:
        text += f" {_closure_line(closure, today, lang)}"
    return text


def _closure_line(closure: Closure, today: date, lang: Lang) -> str:
    """Say one closure: "El viernes 25 de diciembre cerramos (Navidad)."."""
    when = _relative(closure.day, today, lang, dated=True)
    why = f" ({closure.reason})" if closure.reason else ""
    if closure.hours:
        if lang == "en":
            return _sentence(f"{when}{why} we're open {_ranges(closure.hours, lang)}")
        return _sentence(f"{when}{why} abrimos {_ranges(closure.hours, lang)}")
    if lang == "en":
        return _sentence(f"{when} we're closed{why}")
    return _sentence(f"{when} cerramos{why}")


def _relative(day: date, today: date, lang: Lang, *, dated: bool = False) -> str:
    """Name a date from today: "hoy", "mañana", "el sábado", "el sábado 5 de diciembre"."""
    offset = (day - today).days
    if offset == 0:
        return "today" if lang == "en" else "hoy"
    if offset == 1:
        return "tomorrow" if lang == "en" else "mañana"
    if 0 <= offset < 7 and not dated:
        name = weekday_name(day, lang)
        return f"on {name}" if lang == "en" else f"el {name}"
    return f"on {format_day(day, lang)}" if lang == "en" else f"el {format_day(day, lang)}"


def _ranges(openings: tuple[Opening, ...], lang: Lang) -> str:
    return _series([time_range(o.opens, o.closes, lang) for o in openings], lang)


def _series(parts: list[str], lang: Lang) -> str:
    """Join "a", "b" and "c" as "a, b y c" ("a, b and c")."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {'and' if lang == 'en' else 'y'} {parts[-1]}"


def _closed(lang: Lang) -> str:
    return "closed" if lang == "en" else "cerrado"


def _closing(profile: DealerProfile, day: date, opening: Opening) -> time:
    """When the current opening ends, through openings that start as it closes."""
    closes = opening.closes
    for later in profile.openings_on(day):
        if later.opens == closes:
            closes = later.closes
    return closes


def _next_date(today: date, month: int, day: int) -> date | None:
    """Return the next date with this month and day (this year's or the next), if it exists."""
    for year in (today.year, today.year + 1):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    return None


def _sentence(text: str) -> str:
    """Capitalize, and end with one period ("6:00 p. m." has its own)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."
