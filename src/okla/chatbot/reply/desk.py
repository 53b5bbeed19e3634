"""Answers to questions about the dealership itself: honest until the dealer's desk has the data.

The bot doesn't know the address, the hours or the policies yet, so it never makes them up:
it says an advisor confirms them, gives the dealer's phone and offers a person. A question
about motorcycles, or whether it is a bot, it can answer itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from okla.chatbot.chat.gate import Assistant
from okla.chatbot.text.language import Lang
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent

# What an advisor confirms, per question, in the customer's language (a noun phrase).
_SUBJECT_ES: dict[Intent, str] = {
    Intent.LOCATION: "la dirección exacta y cómo llegar",
    Intent.HOURS: "el horario de hoy y de los próximos días",
    Intent.VISIT: "el día y la hora de tu visita o prueba de manejo",
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
}
_SUBJECT_EN: dict[Intent, str] = {
    Intent.LOCATION: "our exact address and how to get here",
    Intent.HOURS: "today's opening hours and the next days'",
    Intent.VISIT: "the day and time of your visit or test drive",
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
}
# The order in which several questions of one message are answered.
_ORDER = (
    Intent.BOT,
    Intent.MOTORCYCLE,
    Intent.CONTACT,
    Intent.LOCATION,
    Intent.HOURS,
    Intent.VISIT,
    Intent.TRADE_IN,
    Intent.RESERVATION,
    Intent.PAYMENT,
    Intent.DOCUMENTS,
    Intent.WARRANTY,
    Intent.DELIVERY,
    Intent.FEATURES,
    Intent.PHOTOS,
    Intent.INSURANCE,
    Intent.INVOICE,
    Intent.SERVICE,
)


def desk_reply(intents: Iterable[Intent], assistant: Assistant, lang: Lang) -> str:
    """Answer the desk questions of one message, honestly, with the phone and a person."""
    asked = [intent for intent in _ORDER if intent in set(intents) & DESK_INTENTS]
    parts: list[str] = []
    if Intent.BOT in asked:
        parts.append(_bot(assistant, lang))
    if Intent.MOTORCYCLE in asked:
        parts.append(_motorcycles(assistant, lang))
    subjects = [intent for intent in asked if intent in _SUBJECT_ES]
    if subjects:
        parts.append(_confirmed(subjects, assistant, lang))
    elif Intent.CONTACT in asked:
        parts.append(_contact(assistant, lang))
    parts.append(_offer(lang))
    return " ".join(parts)


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


def _confirmed(subjects: list[Intent], assistant: Assistant, lang: Lang) -> str:
    if lang == "en":
        what = _either([_SUBJECT_EN[s] for s in subjects], "and")
        text = f"A sales advisor will confirm {what}."
        if assistant.phone:
            text += f" You can also call or WhatsApp us at {assistant.phone}."
        return text
    what = _either([_SUBJECT_ES[s] for s in subjects], "y")
    text = f"Un asesor de ventas te confirma {what}."
    if assistant.phone:
        text += f" También puedes llamarnos o escribirnos por WhatsApp al {assistant.phone}."
    return text


def _contact(assistant: Assistant, lang: Lang) -> str:
    if lang == "en":
        if assistant.phone:
            return f"You can call or WhatsApp {assistant.dealer_name} at {assistant.phone}."
        return "A sales advisor can give you our contact details."
    if assistant.phone:
        return (
            f"Puedes llamar o escribir por WhatsApp a {assistant.dealer_name} al {assistant.phone}."
        )
    return "Un asesor de ventas te da nuestros datos de contacto."


def _offer(lang: Lang) -> str:
    if lang == "en":
        return "Would you like me to put you in touch with an advisor now?"
    return "¿Quieres que te comunique ahora con un asesor?"


def _either(parts: list[str], conjunction: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"
