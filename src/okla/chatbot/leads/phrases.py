"""What the bot says while it takes a customer's contact for an advisor, in their language."""

from __future__ import annotations

from datetime import datetime

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.leads.domain import LeadInterest
from okla.chatbot.text.dates import at_time, day_name
from okla.chatbot.text.language import Lang
from okla.chatbot.text.vocabulary import BODIES_ES

PHONE_EXAMPLE = "809-555-1234"


def consent(dealer: str, lang: Lang) -> str:
    """The consent sentence: who contacts the customer, how, and about what (stored as shown)."""
    if lang == "en":
        return (
            f"If you leave me your name and phone number, an advisor from {dealer} will contact "
            "you by phone or WhatsApp about this inquiry."
        )
    return (
        f"Si me dejas tu nombre y tu teléfono, un asesor de {dealer} te contacta por llamada o "
        "WhatsApp sobre esta consulta."
    )


def callback_intro(lang: Lang) -> str:
    """Agree to a call."""
    return "Sure!" if lang == "en" else "¡Con gusto!"


def nobody_available(opens: datetime | None, now: datetime, lang: Lang) -> str:
    """Say no advisor can take the chat now, and when the dealer opens if known."""
    when = "" if opens is None else _opening(opens, now, lang)
    if lang == "en":
        return (
            f"No advisor is available in the chat right now{f' (we open {when})' if when else ''}."
        )
    return (
        f"Ahora mismo no hay un asesor disponible en el chat{f' (abrimos {when})' if when else ''}."
    )


def nobody_came(lang: Lang) -> str:
    """Say no advisor took the chat in time (HANDOFF_WAIT_SECONDS)."""
    if lang == "en":
        return "Sorry, no advisor has been able to take the chat yet."
    return "Disculpa, ningún asesor ha podido tomar la conversación todavía."


def meanwhile(lang: Lang) -> str:
    """Say the bot goes on answering about the stock."""
    if lang == "en":
        return "Meanwhile I'm still here for any question about the vehicles."
    return "Mientras tanto, sigo aquí para lo que quieras saber de los vehículos."


def known_part(name: str | None, phone: str | None, lang: Lang) -> str:
    """Say what the customer already gave, so they aren't asked for it again."""
    if name is not None and phone is None:
        if lang == "en":
            return f"I already have your name, {name}: I only need your phone number."
        return f"Ya tengo tu nombre, {name}: solo me falta tu teléfono."
    if phone is not None and name is None:
        if lang == "en":
            return f"I already have your number, {phone}: I only need your name."
        return f"Ya tengo tu número, {phone}: solo me falta tu nombre."
    return ""


def ask_both(lang: Lang) -> str:
    """Ask for the name and phone after a plain yes."""
    if lang == "en":
        return (
            f"Great. Write me your name and phone number, for example: Juan Pérez {PHONE_EXAMPLE}."
        )
    return f"Perfecto. Escríbeme tu nombre y tu teléfono, por ejemplo: Juan Pérez {PHONE_EXAMPLE}."


def ask_name(lang: Lang) -> str:
    """Ask for the name when only the phone came."""
    if lang == "en":
        return "Thanks. And your name, so the advisor knows who to ask for?"
    return "Gracias. ¿Y tu nombre, para que el asesor sepa por quién preguntar?"


def ask_phone(name: str, lang: Lang) -> str:
    """Ask for the phone when only the name came."""
    if lang == "en":
        return f"Thanks, {name}. What phone number can the advisor call or WhatsApp?"
    return f"Gracias, {name}. ¿A qué teléfono te puede llamar o escribir el asesor?"


def bad_phone(written: str, lang: Lang) -> str:
    """Say a number isn't a phone number, with an example of one."""
    if lang == "en":
        return (
            f"“{written}” doesn't look like a valid phone number. Write it in full, with the "
            f"area code, for example: {PHONE_EXAMPLE}."
        )
    return (
        f"El número «{written}» no parece un teléfono válido. Escríbelo completo, con el código "
        f"de área, por ejemplo: {PHONE_EXAMPLE}."
    )


def bad_email(written: str, lang: Lang) -> str:
    """Say an email address isn't valid; it is optional."""
    if lang == "en":
        return (
            f"The email “{written}” doesn't look valid (for example: ana@gmail.com). Write it "
            "again, or say “no email” and I'll go on with your name and phone."
        )
    return (
        f"El correo «{written}» no parece válido (por ejemplo: ana@gmail.com). Escríbelo de "
        "nuevo, o dime «sin correo» y sigo con tu nombre y teléfono."
    )


def declined(lang: Lang) -> str:
    """Take a no for an answer."""
    if lang == "en":
        return (
            "No problem. If you'd like an advisor to call you later, just tell me. Anything else?"
        )
    return (
        "Está bien, no hay problema. Si luego quieres que un asesor te llame, me dices. "
        "¿Te ayudo con algo más?"
    )


def confirmed(
    name: str,
    phone: str,
    dealer: str,
    interest: LeadInterest,
    vehicle: VehicleCard | None,
    lang: Lang,
) -> str:
    """Confirm the lead: who will contact the customer, at which number, about what."""
    first = name.split()[0]
    about = _topic(interest, vehicle, lang)
    if lang == "en":
        return f"Done, {first}: an advisor from {dealer} will contact you at {phone}{about}."
    return f"Listo, {first}: un asesor de {dealer} te contactará al {phone}{about}."


def _topic(interest: LeadInterest, vehicle: VehicleCard | None, lang: Lang) -> str:
    """Say what the call is about: " sobre el financiamiento de la Toyota RAV4 2022"."""
    if lang == "en":
        named = "" if vehicle is None else f"the {vehicle.make} {vehicle.model} {vehicle.year}"
        about, of = _TOPICS_EN[interest], f" of {named}"
        if interest == LeadInterest.CALLBACK:
            of = f" about {named}"
    else:
        named = ""
        if vehicle is not None:
            article = "la" if BODIES_ES[vehicle.body_type][1] else "el"
            named = f"{article} {vehicle.make} {vehicle.model} {vehicle.year}"
        about = _TOPICS_ES[interest]
        # "de el" is contracted: "del Honda Civic".
        of = f" del {named[3:]}" if named.startswith("el ") else f" de {named}"
        if interest == LeadInterest.CALLBACK:
            of = f" sobre {named}"
    if not named or interest == LeadInterest.TRADE_IN:
        return about
    return f"{about}{of}"


_TOPICS_ES = {
    LeadInterest.CALLBACK: "",
    LeadInterest.PRICE: " para hablar del precio",
    LeadInterest.FINANCING: " sobre el financiamiento",
    LeadInterest.TRADE_IN: " sobre tu vehículo como parte de pago",
    LeadInterest.TEST_DRIVE: " sobre la prueba de manejo",
}
_TOPICS_EN = {
    LeadInterest.CALLBACK: "",
    LeadInterest.PRICE: " about the price",
    LeadInterest.FINANCING: " about financing",
    LeadInterest.TRADE_IN: " about your vehicle as part of the payment",
    LeadInterest.TEST_DRIVE: " about the test drive",
}


def _opening(opens: datetime, now: datetime, lang: Lang) -> str:
    """Say when the dealer opens: "hoy a las 2:00 p. m.", "mañana a las 8:00 a. m."."""
    days = (opens.date() - now.astimezone(opens.tzinfo).date()).days
    if lang == "en":
        day = {0: "today", 1: "tomorrow"}.get(days, f"on {day_name(opens.weekday(), lang)}")
    else:
        day = {0: "hoy", 1: "mañana"}.get(days, f"el {day_name(opens.weekday(), lang)}")
    return f"{day} {at_time(opens.time(), lang)}"
