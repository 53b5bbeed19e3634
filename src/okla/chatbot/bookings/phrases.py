"""What the bot says while it books a test drive, in the customer's language.

Times are worded by `text/dates.py` and opening hours by `reply/hours.py`; the consent
sentence and the questions for a name and a phone are the contact form's (`leads/phrases.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from okla.chatbot.bookings.domain import AppointmentView, PartOfDay, Refusal
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.hours import day_hours
from okla.chatbot.text.dates import format_day, when_text
from okla.chatbot.text.language import Lang
from okla.chatbot.text.vocabulary import BODIES_ES

_PARTS_ES = {
    PartOfDay.MORNING: "en la mañana",
    PartOfDay.AFTERNOON: "en la tarde",
    PartOfDay.EVENING: "en la noche",
}
_PARTS_EN = {
    PartOfDay.MORNING: "in the morning",
    PartOfDay.AFTERNOON: "in the afternoon",
    PartOfDay.EVENING: "in the evening",
}


def vehicle_name(vehicle: VehicleCard | None, lang: Lang) -> str | None:
    """Name a vehicle with its article: "la Ford Bronco 2023", "el Honda Civic 2020"."""
    if vehicle is None:
        return None
    name = f"{vehicle.make} {vehicle.model} {vehicle.year}"
    if lang == "en":
        return f"the {name}"
    return f"{'la' if BODIES_ES[vehicle.body_type][1] else 'el'} {name}"


def starts_list(starts: Sequence[datetime], profile: DealerProfile, lang: Lang) -> str:
    """List free starts, numbered so that "la primera" can pick one."""
    return "\n".join(
        f"{n}. {when_text(start, profile.zone, lang)}" for n, start in enumerate(starts, 1)
    )


def ask_when(
    vehicle: VehicleCard | None,
    starts: Sequence[datetime],
    profile: DealerProfile,
    lang: Lang,
    *,
    drive: bool,
) -> str:
    """Ask when the customer wants to come (`drive`: for a test drive), with the next free
    starts."""
    named = vehicle_name(vehicle, lang)
    if lang == "en":
        if drive:
            what = f"a test drive of {named}" if named else "a test drive"
            head = f"Sure! Let's book {what}. What day and time suit you?"
        else:
            what = f" to see {named}" if named else ""
            head = f"Sure! What day and time suit you to come by{what}? I'll book it for you."
    elif drive:
        what = f"la prueba de manejo {_of(named)}" if named else "una prueba de manejo"
        head = f"¡Claro! Te agendo {what}. ¿Qué día y a qué hora te queda bien?"
    else:
        what = f" a ver {named}" if named else ""
        head = f"¡Claro! ¿Qué día y a qué hora te queda bien para venir{what}? Te lo agendo."
    return f"{head} {_offer(starts, profile, lang)}"


def ask_new_time(
    current: datetime, starts: Sequence[datetime], profile: DealerProfile, lang: Lang
) -> str:
    """Ask when to move the session's booking to, with the next free starts."""
    when = when_text(current, profile.zone, lang)
    if lang == "en":
        head = f"Your test drive is on {_stop(when)} What day and time should I move it to?"
    else:
        head = f"Tu prueba de manejo es el {_stop(when)} ¿Para qué día y hora la cambio?"
    return f"{head} {_offer(starts, profile, lang)}"


def window_offer(
    day: date,
    part: PartOfDay | None,
    starts: Sequence[datetime],
    profile: DealerProfile,
    vehicle: VehicleCard | None,
    lang: Lang,
) -> str:
    """Offer the free starts of a day (or of a part of it) to pick from."""
    listed = starts_list(starts, profile, lang)
    named = vehicle_name(vehicle, lang)
    if lang == "en":
        when = format_day(day, lang) + (f" {_PARTS_EN[part]}" if part else "")
        what = f" to test drive {named}" if named else ""
        return f"On {when} I have these times free{what}:\n{listed}\nWhich one suits you best?"
    when = format_day(day, lang) + (f" {_PARTS_ES[part]}" if part else "")
    what = f" para probar {named}" if named else ""
    return f"El {when} tengo libre{what}:\n{listed}\n¿Cuál te queda mejor?"


def refused(
    reason: Refusal,
    start: datetime,
    profile: DealerProfile,
    today: date,
    vehicle: VehicleCard | None,
    lang: Lang,
) -> str:
    """Say why a start can't be booked."""
    day = start.astimezone(profile.zone).date()
    if reason == Refusal.PAST:
        return "That time has already passed." if lang == "en" else "Esa hora ya pasó."
    if reason == Refusal.CLOSED:
        hours = day_hours(profile, day, today, lang)
        if not profile.openings_on(day):
            return hours  # "El domingo estamos cerrados; abrimos el lunes…"
        if lang == "en":
            return f"We are closed at that time. {hours}"
        return f"A esa hora estamos cerrados. {hours}"
    if reason == Refusal.MISALIGNED:
        minutes = profile.test_drives.slot_minutes
        if lang == "en":
            return f"Test drives are booked every {minutes} minutes from opening time."
        return f"Las pruebas de manejo se agendan cada {minutes} minutos desde la apertura."
    if reason == Refusal.VEHICLE_TAKEN and vehicle is not None:
        named = vehicle_name(vehicle, lang)
        if lang == "en":
            return f"{_capital(str(named))} already has a test drive at that time."
        return f"{_capital(str(named))} ya tiene una prueba de manejo a esa hora."
    if lang == "en":
        return "There are no test-drive places left at that time."
    return "A esa hora ya no quedan cupos."


def window_refused(
    day: date,
    part: PartOfDay | None,
    profile: DealerProfile,
    today: date,
    *,
    open_then: bool,
    past: bool,
    lang: Lang,
) -> str:
    """Say why a day (or a part of it) has no free start."""
    if past:
        return "That time has already passed." if lang == "en" else "Ese horario ya pasó."
    if not profile.openings_on(day) or not open_then:
        hours = day_hours(profile, day, today, lang)
        if not profile.openings_on(day) or part is None:
            return hours
        if lang == "en":
            return f"We aren't open {_PARTS_EN[part]} that day. {hours}"
        return f"Ese día no abrimos {_PARTS_ES[part]}. {hours}"
    if lang == "en":
        when = format_day(day, lang) + (f" {_PARTS_EN[part]}" if part else "")
        return f"There are no test-drive places left on {when}."
    when = format_day(day, lang) + (f" {_PARTS_ES[part]}" if part else "")
    return f"El {when} ya no quedan cupos."


def alternatives(starts: Sequence[datetime], profile: DealerProfile, lang: Lang) -> str:
    """Offer the next free starts instead."""
    if not starts:
        return _none_free(lang)
    listed = starts_list(starts, profile, lang)
    if lang == "en":
        return f"I can offer you:\n{listed}\nWhich one suits you best?"
    return f"Te puedo ofrecer:\n{listed}\n¿Cuál te queda mejor?"


def free_then_contact(
    start: datetime, profile: DealerProfile, vehicle: VehicleCard | None, lang: Lang
) -> str:
    """Say a start is free and is booked once the customer gives a name and a phone."""
    when = when_text(start, profile.zone, lang)
    named = vehicle_name(vehicle, lang)
    if lang == "en":
        what = f" to test drive {named}" if named else " for your test drive"
        return (
            f"{_capital(when)} is free{what}: I'll book it as soon as you give me your name "
            "and phone number."
        )
    what = f" para probar {named}" if named else " para tu prueba de manejo"
    return f"El {when} está libre{what}: te lo agendo en cuanto me des tu nombre y tu teléfono."


def confirmed(
    name: str,
    start: datetime,
    profile: DealerProfile,
    vehicle: VehicleCard | None,
    dealer: str,
    lang: Lang,
) -> str:
    """Confirm a booking: who, when, which vehicle, where."""
    first = name.split()[0]
    when = when_text(start, profile.zone, lang)
    named = vehicle_name(vehicle, lang)
    where = _where(dealer, profile)
    if lang == "en":
        what = f"to test drive {named}" if named else "for your test drive"
        return f"Done, {first}: we'll expect you on {when} {what} at {where}.{_change(lang)}"
    what = f"para probar {named}" if named else "para tu prueba de manejo"
    return f"Listo, {first}: te esperamos el {when} {what} en {where}.{_change(lang)}"


def moved(
    name: str | None,
    start: datetime,
    profile: DealerProfile,
    vehicle: VehicleCard | None,
    dealer: str,
    lang: Lang,
) -> str:
    """Confirm a booking moved to another start."""
    who = f", {name.split()[0]}" if name else ""
    when = when_text(start, profile.zone, lang)
    named = vehicle_name(vehicle, lang)
    where = _where(dealer, profile)
    if lang == "en":
        what = f"test drive of {named}" if named else "test drive"
        return (
            f"Done{who}: I moved your {what} to {_stop(when)} We'll expect you at {where}."
            " The calendar link below is the new one."
        )
    what = f"prueba de manejo {_of(named)}" if named else "prueba de manejo"
    return (
        f"Listo{who}: cambié tu {what} al {_stop(when)} Te esperamos en {where}."
        " El enlace del calendario de abajo es el nuevo."
    )


def cancelled(
    view: AppointmentView, profile: DealerProfile, vehicle: VehicleCard | None, lang: Lang
) -> str:
    """Confirm what was cancelled."""
    when = when_text(view.start, profile.zone, lang)
    named = vehicle_name(vehicle, lang)
    if lang == "en":
        what = f"test drive of {named}" if named else "test drive"
        return f"Done: I cancelled your {what} on {_stop(when)} If you'd like another day, tell me."
    what = f"prueba de manejo {_of(named)}" if named else "prueba de manejo"
    return f"Listo: cancelé tu {what} del {_stop(when)} Si quieres agendar otro día, me dices."


def nothing_to_cancel(lang: Lang) -> str:
    """Say the session has no booking to cancel."""
    if lang == "en":
        return "You have no test drive booked in this chat. Would you like to book one?"
    return "No tienes ninguna prueba de manejo agendada en este chat. ¿Quieres agendar una?"


def dropped(lang: Lang) -> str:
    """Take a no to a booking under way."""
    if lang == "en":
        return "No problem, I won't book anything. If you'd like to come another day, just tell me."
    return "Está bien, no agendo nada. Si quieres venir otro día, me dices."


def other_day(lang: Lang) -> str:
    """Ask for another day when none of the starts offered suits the customer."""
    if lang == "en":
        return "No problem. What other day and time would suit you?"
    return "No hay problema. ¿Qué otro día y a qué hora te quedaría bien?"


def which_one(starts: Sequence[datetime], profile: DealerProfile, lang: Lang) -> str:
    """Ask which of the starts offered the customer means."""
    listed = starts_list(starts, profile, lang)
    if lang == "en":
        return f"Which of these times do you mean?\n{listed}"
    return f"¿Cuál de estos horarios prefieres?\n{listed}"


def _offer(starts: Sequence[datetime], profile: DealerProfile, lang: Lang) -> str:
    if not starts:
        return _none_free(lang)
    listed = starts_list(starts, profile, lang)
    if lang == "en":
        return f"The next free times:\n{listed}"
    return f"Los próximos horarios libres:\n{listed}"


def _none_free(lang: Lang) -> str:
    if lang == "en":
        return (
            "I have no free test-drive times in the next two weeks; a sales advisor can find "
            "you another date."
        )
    return (
        "No me quedan horarios libres para pruebas de manejo en las próximas dos semanas; un "
        "asesor de ventas te puede buscar otra fecha."
    )


def _where(dealer: str, profile: DealerProfile) -> str:
    """Name the dealer and its address: "Auto Dominicana Premium, Av. Abraham Lincoln 1052"."""
    return f"{dealer}, {profile.address}" if profile.address else dealer


def _change(lang: Lang) -> str:
    if lang == "en":
        return " If you need to change or cancel it, just tell me."
    return " Si necesitas cambiarla o cancelarla, me dices."


def _of(named: str) -> str:
    """Return "de la Ford Bronco 2023", "del Honda Civic 2020" ("de el" contracts)."""
    return f"del {named[3:]}" if named.startswith("el ") else f"de {named}"


def _stop(text: str) -> str:
    """End a sentence with one period ("10:00 a. m." has its own)."""
    return text if text.endswith(".") else f"{text}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
