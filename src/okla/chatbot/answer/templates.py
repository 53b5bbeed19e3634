"""Templated answers built only from the database's data (Spanish, and English when asked)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
    format_price,
)

Lang = Literal["es", "en"]

BODY_ES = {
    BodyType.SUV: "yipeta",
    BodyType.SEDAN: "sedán",
    BodyType.HATCHBACK: "hatchback",
    BodyType.COUPE: "coupé",
    BodyType.CONVERTIBLE: "convertible",
    BodyType.PICKUP: "camioneta pickup",
    BodyType.MINIVAN: "minivan",
    BodyType.VAN: "guagua",
}
BODY_ES_PLURAL = {
    BodyType.SUV: "yipetas",
    BodyType.SEDAN: "sedanes",
    BodyType.HATCHBACK: "hatchbacks",
    BodyType.COUPE: "coupés",
    BodyType.CONVERTIBLE: "convertibles",
    BodyType.PICKUP: "camionetas",
    BodyType.MINIVAN: "minivans",
    BodyType.VAN: "guaguas",
}
FUEL_ES = {
    Fuel.GASOLINE: "gasolina",
    Fuel.DIESEL: "diésel",
    Fuel.HYBRID: "híbrido",
    Fuel.ELECTRIC: "eléctrico",
    Fuel.LPG: "GLP",
}
GEAR_ES = {Transmission.AUTOMATIC: "automática", Transmission.MANUAL: "manual"}


def _km(km: int | None) -> str:
    return "0 km" if not km else f"{km:,} km"


def vehicle_line(card: VehicleCard, lang: Lang = "es") -> str:
    """Describe one vehicle in a line: title, price and key facts."""
    if lang == "en":
        facts = f"{card.body_type.value}, {card.fuel.value.lower()}, "
        facts += f"{card.transmission.value.lower()}, {_km(card.mileage_km)}"
    else:
        facts = f"{BODY_ES[card.body_type]}, {FUEL_ES[card.fuel]}, "
        facts += f"{GEAR_ES[card.transmission]}, {_km(card.mileage_km)}"
    return f"{card.title} — {format_price(card.price, card.currency)} ({facts})"


def _numbered(cards: Sequence[VehicleCard], lang: Lang) -> str:
    return "\n".join(f"{i}. {vehicle_line(c, lang)}" for i, c in enumerate(cards, 1))


def describe_query(query: VehicleQuery, lang: Lang = "es") -> str:
    """Say in words what the customer asked for ('yipetas Toyota en tu presupuesto')."""
    if lang == "en":
        parts = [" ".join(sorted(query.makes)), " ".join(sorted(query.models))]
        bodies = (
            "cars"
            if query.body_types == CAR_BODIES
            else "/".join(sorted(b.value for b in query.body_types)) or "vehicles"
        )
        parts.append(bodies)
        if query.fuels:
            parts.append("(" + ", ".join(sorted(f.value.lower() for f in query.fuels)) + ")")
        if query.price_min or query.price_max:
            parts.append("in your budget")
        return " ".join(p for p in parts if p)
    if query.body_types == CAR_BODIES:
        bodies = "carros"
    elif query.body_types == {BodyType.VAN, BodyType.MINIVAN}:
        bodies = "guaguas"
    elif query.body_types:
        bodies = " o ".join(sorted(BODY_ES_PLURAL[b] for b in query.body_types))
    else:
        bodies = "vehículos"
    parts = [bodies]
    names = " ".join(sorted(query.models)) or " ".join(sorted(query.makes))
    if names:
        parts.append(names)
    if query.fuels:
        parts.append("a " + " o ".join(sorted(FUEL_ES[f] for f in query.fuels)))
    if query.transmissions:
        parts.append(" o ".join(sorted(GEAR_ES[t] for t in query.transmissions)))
    if query.year_min and query.year_min == query.year_max:
        parts.append(f"del {query.year_min}")
    elif query.year_min:
        parts.append(f"desde {query.year_min}")
    elif query.year_max:
        parts.append(f"hasta {query.year_max}")
    # The customer's budget is said in words, never as a figure: every amount the assistant
    # writes is the price of a vehicle in stock, so a claimed price can't be echoed back.
    if query.price_min or query.price_max:
        parts.append("en tu presupuesto")
    if query.seats_min:
        parts.append(f"de {query.seats_min} pasajeros o más")
    return " ".join(parts)


def list_reply(
    cards: Sequence[VehicleCard], query: VehicleQuery, assistant: str, dealer: str, lang: Lang
) -> str:
    """Present the matching vehicles."""
    if lang == "en":
        intro = (
            "Here are some vehicles from our stock:"
            if query.is_empty()
            else f"These are the {describe_query(query, 'en')} we have available:"
        )
        return f"{intro}\n{_numbered(cards, 'en')}\nWould you like to know more about any of them?"
    if query.is_empty():
        intro = f"En {dealer} tenemos estas opciones disponibles, entre otras:"
    elif len(cards) == 1:
        intro = "Tenemos esta opción disponible:"
    else:
        intro = f"Estas son las opciones que tenemos en {describe_query(query)}:"
    return f"{intro}\n{_numbered(cards, 'es')}\n¿Te interesa alguno en particular?"


def no_match_reply(query: VehicleQuery, alternatives: Sequence[VehicleCard], lang: Lang) -> str:
    """Say nothing matches, and offer the closest real vehicles."""
    if lang == "en":
        head = f"Right now we don't have {describe_query(query, 'en')} available."
        if alternatives:
            return f"{head} These are the closest options:\n{_numbered(alternatives, 'en')}"
        return f"{head} Would you like an advisor to let you know when one arrives?"
    head = f"Ahora mismo no tengo {describe_query(query)} disponible."
    if alternatives:
        return f"{head} Estas son las opciones más parecidas:\n{_numbered(alternatives, 'es')}"
    return f"{head} ¿Quieres que un asesor te avise cuando llegue algo así?"


def unavailable_reply(
    gone: Sequence[VehicleCard], alternatives: Sequence[VehicleCard], lang: Lang
) -> str:
    """Say that the vehicle the customer named was sold or is reserved."""
    lines = []
    for card in gone[:3]:
        title = f"{card.make} {card.model} {card.year}"
        if lang == "en":
            state = "was sold" if card.status == VehicleStatus.SOLD else "is reserved"
            lines.append(f"The {title} {state}.")
        else:
            state = "ya fue vendido" if card.status == VehicleStatus.SOLD else "está reservado"
            lines.append(f"El {title} {state}.")
    text = " ".join(lines)
    if alternatives:
        intro = "You may like these instead:" if lang == "en" else "Te pueden interesar estos:"
        text += f" {intro}\n{_numbered(alternatives, lang)}"
    return text


def greeting(assistant: str, dealer: str, lang: Lang = "es") -> str:
    """Greet the customer as the dealer's assistant."""
    if lang == "en":
        return (
            f"Hi! I'm {assistant}, sales assistant at {dealer}. What vehicle are you looking for?"
        )
    return f"¡Hola! Soy {assistant}, asistente de ventas de {dealer}. ¿Qué vehículo estás buscando?"


def human_handoff(lang: Lang = "es") -> str:
    """Confirm the hand-over to a salesperson."""
    if lang == "en":
        return "Of course: I'm passing you to a sales advisor, who will reply here shortly."
    return "Con gusto te comunico con un asesor de ventas. En breve te contactará por este chat."


def financing_reply(lang: Lang = "es") -> str:
    """Answer about financing without terms or promises."""
    if lang == "en":
        return (
            "Financing options and their conditions are handled by our sales advisors. "
            "Would you like me to put you in touch with one?"
        )
    return (
        "Las opciones de financiamiento y sus condiciones te las explica uno de nuestros "
        "asesores. ¿Quieres que te comunique con uno?"
    )


def discount_reply(lang: Lang = "es") -> str:
    """Answer a request for a lower price without promising anything."""
    if lang == "en":
        return (
            "The prices shown are the published ones. If you'd like to talk about an offer, "
            "a sales advisor can help you."
        )
    return (
        "Los precios que te muestro son los publicados. Si quieres conversar sobre una "
        "propuesta, un asesor de ventas te puede atender."
    )


def fallback_suffix(lang: Lang = "es") -> str:
    """Offer a human when the assistant can't give its best answer."""
    if lang == "en":
        return "If you prefer, I can put you in touch with a sales advisor."
    return "Si prefieres, puedo comunicarte con un asesor de ventas."


def thanks_reply(lang: Lang = "es") -> str:
    """Answer thanks."""
    if lang == "en":
        return "You're welcome! Is there anything else I can help you find?"
    return "¡Con gusto! ¿Te puedo ayudar a encontrar algo más?"


def goodbye_reply(lang: Lang = "es") -> str:
    """Say goodbye."""
    if lang == "en":
        return "Thanks for writing! We're here whenever you need us."
    return "¡Gracias por escribirnos! Aquí estamos cuando nos necesites."


def other_reply(lang: Lang = "es") -> str:
    """Steer back to what the assistant can do."""
    if lang == "en":
        return (
            "I can help you find a vehicle from our stock: tell me the type, brand or budget "
            "you have in mind (for example, 'SUVs under 3 million')."
        )
    return (
        "Te puedo ayudar a encontrar un vehículo de nuestro inventario: dime el tipo, la marca "
        "o el presupuesto que tienes en mente (por ejemplo, «yipetas de menos de 3 millones»)."
    )
