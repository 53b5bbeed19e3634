"""Answers to questions about the dealership itself, from the dealer's profile.

Where the dealer is, when it opens (and whether it is open now), how to reach it, and its
policies on trade-ins, warranty, papers and delivery are read off its profile. What the profile
leaves empty the bot never makes up: it says an advisor confirms it, gives the dealer's phone
and offers a person. A question about motorcycles, or whether it is a bot, it answers itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from okla.chatbot.chat.gate import Assistant
from okla.chatbot.dealers.domain import DealerProfile, PolicyTopic
from okla.chatbot.reply.hours import hours_answer
from okla.chatbot.text.language import Lang
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent
from okla.chatbot.understanding.when import DayAsked

# What an advisor confirms, per question, in the customer's language (a noun phrase).
_SUBJECT_ES: dict[Intent, str] = {
    Intent.LOCATION: "la dirección exacta y cómo llegar",
    Intent.HOURS: "el horario de hoy y de los próximos días",
    Intent.VISIT: "el día y la hora de tu visita o prueba de manejo",
    Intent.CANCEL: "la cancelación de tu visita o prueba de manejo",
    Intent.TRADE_IN: "si podemos recibir tu vehículo como parte de pago, después de evaluarlo",
    Intent.WARRANTY: "las condiciones de garantía de cada vehículo",
    Intent.DOCUMENTS: "cómo se manejan la placa, el marbete y el traspaso",
    Intent.DELIVERY: "si podemos enviar o entregar el vehículo donde lo necesitas",
    Intent.RESERVATION: "cómo apartar un vehículo y si hace falta un depósito",
    Intent.PAYMENT: "las formas de pago que aceptamos (pesos, dólares, tarjeta, transferencia)",
    Intent.INSURANCE: "las opciones de seguro del vehículo y si va incluido",
    Intent.INVOICE: "la factura con comprobante fiscal (NCF) a tu nombre o el de tu empresa",
    Intent.SERVICE: "el taller, los mantenimientos y las piezas después de la compra",
    Intent.PHOTOS: "el envío de fotos y videos del vehículo",
    Intent.FEATURES: "el equipamiento del vehículo (cámara, pantalla, techo, batería…)",
    Intent.HISTORY: "la procedencia y el historial de cada vehículo (Carfax, choques, dueños)",
}
_SUBJECT_EN: dict[Intent, str] = {
    Intent.LOCATION: "our exact address and how to get here",
    Intent.HOURS: "today's opening hours and the next days'",
    Intent.VISIT: "the day and time of your visit or test drive",
    Intent.CANCEL: "the cancellation of your visit or test drive",
    Intent.TRADE_IN: "whether we can take your vehicle as part of the payment, after seeing it",
    Intent.WARRANTY: "the warranty terms of each vehicle",
    Intent.DOCUMENTS: "how the plates, the registration sticker and the transfer are handled",
    Intent.DELIVERY: "whether we can ship or deliver the vehicle where you need it",
    Intent.RESERVATION: "how to hold a vehicle and whether a deposit is needed",
    Intent.PAYMENT: "the payment methods we accept (pesos, dollars, card, transfer)",
    Intent.INSURANCE: "the insurance options for the vehicle and whether it is included",
    Intent.INVOICE: "the tax invoice (NCF) in your name or your company's",
    Intent.SERVICE: "the workshop, maintenance and parts after the sale",
    Intent.PHOTOS: "sending you photos and videos of the vehicle",
    Intent.FEATURES: "the vehicle's equipment (camera, screen, roof, battery range…)",
    Intent.HISTORY: "where each vehicle comes from and its history (Carfax, accidents, owners)",
}
# The order in which several questions of one message are answered.
_ORDER = (
    Intent.BOT,
    Intent.MOTORCYCLE,
    Intent.CONTACT,
    Intent.LOCATION,
    Intent.HOURS,
    Intent.VISIT,
    Intent.CANCEL,
    Intent.TRADE_IN,
    Intent.RESERVATION,
    Intent.PAYMENT,
    Intent.DOCUMENTS,
    Intent.WARRANTY,
    Intent.DELIVERY,
    Intent.FEATURES,
    Intent.HISTORY,
    Intent.PHOTOS,
    Intent.INSURANCE,
    Intent.INVOICE,
    Intent.SERVICE,
)


# Desk questions a policy of the profile answers, and how its text is introduced.
_POLICIES: dict[Intent, tuple[PolicyTopic, str, str]] = {
    Intent.TRADE_IN: (
        PolicyTopic.TRADE_IN,
        "Sobre recibir tu vehículo como parte de pago:",
        "About trading in your vehicle:",
    ),
    Intent.DOCUMENTS: (
        PolicyTopic.DOCUMENTS,
        "Sobre la placa, el marbete y el traspaso:",
        "About plates, registration and title transfer:",
    ),
    Intent.WARRANTY: (PolicyTopic.WARRANTY, "Sobre la garantía:", "About the warranty:"),
    Intent.DELIVERY: (
        PolicyTopic.DELIVERY,
        "Sobre entregas y envíos:",
        "About delivery and shipping:",
    ),
}


def desk_reply(
    intents: Iterable[Intent],
    assistant: Assistant,
    lang: Lang,
    *,
    now: datetime,
    when: DayAsked | None = None,
    offer: bool = True,
) -> str:
    """Answer the desk questions of one message from the profile; the rest, honestly.

    `now` is the turn's moment (opening hours are read at it, in the dealer's time zone);
    `when` is the day an hours question is about, if it names one; `offer` ends the answer
    with the offer of an advisor (not when a booking's answer follows it).
    """
    asked = [intent for intent in _ORDER if intent in set(intents) & DESK_INTENTS]
    parts: list[str] = []
    if Intent.BOT in asked:
        parts.append(_bot(assistant, lang))
    if Intent.MOTORCYCLE in asked:
        parts.append(_motorcycles(assistant, lang))
    answered = {intent: _answer(intent, assistant, lang, now, when) for intent in asked}
    parts += [text for text in answered.values() if text]
    subjects = [intent for intent in asked if intent in _SUBJECT_ES and not answered[intent]]
    if subjects:
        # The phone comes with the advisor's confirmation, unless it was just given.
        parts.append(_confirmed(subjects, assistant, lang, reach=not answered.get(Intent.CONTACT)))
    elif Intent.CONTACT in asked and not answered[Intent.CONTACT]:
        parts.append(_no_contact(lang))
    if offer:
        parts.append(_offer(lang))
    return " ".join(parts)


def financing_policy(profile: DealerProfile, lang: Lang) -> str | None:
    """Return the dealer's financing terms, introduced, if its profile gives them."""
    text = profile.policy(PolicyTopic.FINANCING, lang)
    if text is None:
        return None
    return f"{'About financing:' if lang == 'en' else 'Sobre el financiamiento:'} {text}"


def _answer(
    intent: Intent, assistant: Assistant, lang: Lang, now: datetime, when: DayAsked | None
) -> str | None:
    """Answer one desk question from the profile, or None where the profile doesn't say."""
    profile = assistant.profile
    if intent == Intent.LOCATION:
        return _location(profile, lang)
    if intent == Intent.HOURS:
        return hours_answer(profile, when, now, lang) if profile.has_hours else None
    if intent == Intent.CONTACT:
        return _reach(assistant, lang, lead=True)
    if intent in _POLICIES:
        topic, spanish, english = _POLICIES[intent]
        text = profile.policy(topic, lang)
        return None if text is None else f"{english if lang == 'en' else spanish} {text}"
    return None


def _location(profile: DealerProfile, lang: Lang) -> str | None:
    if not profile.address:
        return None
    place = ", ".join(p for p in (profile.address, profile.city) if p)
    if lang == "en":
        text = f"We're at {place}."
        return f"{text} Map: {profile.map_url}" if profile.map_url else text
    text = f"Estamos en {place}."
    return f"{text} Mapa: {profile.map_url}" if profile.map_url else text


def _reach(assistant: Assistant, lang: Lang, *, lead: bool = False) -> str | None:
    """Say how to call or write: "Puedes llamarnos al … o escribirnos por WhatsApp al …"."""
    phone = assistant.profile.phone or assistant.phone
    whatsapp = assistant.profile.whatsapp
    if lang == "en":
        if phone and whatsapp and phone != whatsapp:
            ways = f"call us at {phone} or WhatsApp us at {whatsapp}"
        elif whatsapp:
            ways = f"call or WhatsApp us at {whatsapp}"
        elif phone:
            ways = f"call us at {phone}"
        else:
            return None
        return f"You can {ways}." if lead else f"You can also {ways}."
    if phone and whatsapp and phone != whatsapp:
        ways = f"llamarnos al {phone} o escribirnos por WhatsApp al {whatsapp}"
    elif whatsapp:
        ways = f"llamarnos o escribirnos por WhatsApp al {whatsapp}"
    elif phone:
        ways = f"llamarnos al {phone}"
    else:
        return None
    return f"Puedes {ways}." if lead else f"También puedes {ways}."


def _bot(assistant: Assistant, lang: Lang) -> str:
    if lang == "en":
        return (
            f"I'm {assistant.name}, the virtual assistant of {assistant.dealer_name}: I help you "
            "find a vehicle in our stock, and a person from our team can take over whenever "
            "you like."
        )
    return (
        f"Soy {assistant.name}, asistente virtual de {assistant.dealer_name}: te ayudo a "
        "encontrar un vehículo en nuestro inventario, y una persona del equipo te atiende "
        "cuando lo prefieras."
    )


def _motorcycles(assistant: Assistant, lang: Lang) -> str:
    if lang == "en":
        return (
            f"We don't sell motorcycles or scooters at {assistant.dealer_name}; we have cars, "
            "SUVs, pickups and vans."
        )
    return (
        f"En {assistant.dealer_name} no vendemos motores ni pasolas; tenemos carros, yipetas, "
        "camionetas y guaguas."
    )


def _confirmed(subjects: list[Intent], assistant: Assistant, lang: Lang, *, reach: bool) -> str:
    if lang == "en":
        what = _either([_SUBJECT_EN[s] for s in subjects], "and")
        text = f"A sales advisor will confirm {what}."
    else:
        what = _either([_SUBJECT_ES[s] for s in subjects], "y")
        text = f"Un asesor de ventas te confirma {what}."
    ways = _reach(assistant, lang) if reach else None
    return f"{text} {ways}" if ways else text


def _no_contact(lang: Lang) -> str:
    if lang == "en":
        return "A sales advisor can give you our contact details."
    return "Un asesor de ventas te da nuestros datos de contacto."


def _offer(lang: Lang) -> str:
    if lang == "en":
        return "Would you like me to put you in touch with an advisor now?"
    return "¿Quieres que te comunique ahora con un asesor?"


def _either(parts: list[str], conjunction: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"
