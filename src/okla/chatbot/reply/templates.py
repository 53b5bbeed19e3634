"""Templated answers built only from the database's data (Spanish, and English when asked).

Every template must pass the guard (okla.chatbot.reply.guard) on its own vehicles: the
customer's budget is therefore put in words ("dentro de tu presupuesto"), never as a figure,
because every amount the assistant writes is the price of a vehicle in stock.
"""

from __future__ import annotations

from collections.abc import Sequence

from okla.chatbot.inventory.domain import VehicleCard, VehicleQuery, VehicleStatus
from okla.chatbot.text.language import Lang
from okla.chatbot.text.money import format_price
from okla.chatbot.text.vocabulary import (
    BODIES_EN,
    BODIES_ES,
    BODY_EN,
    BODY_ES,
    FUEL_AFTER_ES,
    FUEL_EN,
    FUEL_ES,
    GEAR_EN,
    GEAR_ES,
    GROUPS_EN,
    GROUPS_ES,
)


def _km(km: int | None) -> str | None:
    return None if km is None else f"{km:,} km"


def vehicle_line(card: VehicleCard, lang: Lang = "es") -> str:
    """Describe one vehicle in a line: title, price and key facts."""
    if lang == "en":
        facts = [BODY_EN[card.body_type], FUEL_EN[card.fuel], GEAR_EN[card.transmission]]
    else:
        facts = [BODY_ES[card.body_type], FUEL_ES[card.fuel], GEAR_ES[card.transmission]]
    if (km := _km(card.mileage_km)) is not None:
        facts.append(km)
    return f"{card.title} — {format_price(card.price, card.currency)} ({', '.join(facts)})"


def _numbered(cards: Sequence[VehicleCard], lang: Lang) -> str:
    return "\n".join(f"{i}. {vehicle_line(c, lang)}" for i, c in enumerate(cards, 1))


def _either(words: Sequence[str], conjunction: str) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _names(query: VehicleQuery, conjunction: str) -> str:
    """Return 'Toyota', 'Toyota Corolla' or 'Corolla o Civic' for the named vehicles."""
    makes, models = sorted(query.makes), sorted(query.models)
    if models and len(makes) == 1:
        return f"{makes[0]} {_either(models, conjunction)}"
    return " ".join(p for p in (_either(makes, conjunction), _either(models, conjunction)) if p)


def _years_es(query: VehicleQuery) -> str | None:
    low, high = query.year_min, query.year_max
    if low and high:
        return f"del {low}" if low == high else f"de {low} a {high}"
    if low:
        return f"desde {low}"
    return f"hasta {high}" if high else None


def _years_en(query: VehicleQuery) -> str | None:
    low, high = query.year_min, query.year_max
    if low and high:
        return f"from {low}" if low == high else f"from {low} to {high}"
    if low:
        return f"from {low} on"
    return f"up to {high}" if high else None


def describe_query(query: VehicleQuery, lang: Lang = "es", *, budget: bool = True) -> str:
    """Say in words, as a plural noun phrase, what the customer asked for."""
    if lang == "en":
        return _describe_en(query, budget)
    names = _names(query, "o")
    bodies = query.body_types
    if bodies in GROUPS_ES:
        noun, feminine = GROUPS_ES[bodies]
    elif bodies:
        nouns = sorted(BODIES_ES[b] for b in bodies)
        noun = _either([n for n, _ in nouns], "o")
        feminine = nouns[-1][1]  # the adjective agrees with the nearest noun
    else:
        # "Toyota Corolla" needs no noun; "Toyota" alone reads better as "vehículos Toyota".
        noun, feminine = ("" if query.models else "vehículos"), False
    parts = [noun, names]
    if query.fuels:
        parts.append(_either(sorted(FUEL_AFTER_ES[f][feminine] for f in query.fuels), "o"))
    if query.transmissions:
        gears = _either(sorted(GEAR_ES[t] for t in query.transmissions), "o")
        parts.append(f"con transmisión {gears}")
    parts.append(_years_es(query) or "")
    if query.seats_min:
        parts.append(f"de {query.seats_min} pasajeros o más")
    if budget and (query.price_min or query.price_max):
        parts.append("dentro de tu presupuesto")
    return " ".join(p for p in parts if p)


def _describe_en(query: VehicleQuery, budget: bool) -> str:
    bodies = query.body_types
    if bodies in GROUPS_EN:
        noun = GROUPS_EN[bodies]
    elif bodies:
        noun = _either(sorted(BODIES_EN[b] for b in bodies), "or")
    else:
        noun = "" if query.models else "vehicles"
    fuels = _either(sorted(FUEL_EN[f] for f in query.fuels), "or")
    names = _names(query, "or")
    parts = [fuels, names, noun]
    if query.transmissions:
        gears = _either(sorted(GEAR_EN[t] for t in query.transmissions), "or")
        parts.append(f"with {gears} transmission")
    parts.append(_years_en(query) or "")
    if query.seats_min:
        parts.append(f"with {query.seats_min} or more seats")
    if budget and (query.price_min or query.price_max):
        parts.append("within your budget")
    return " ".join(p for p in parts if p)


def list_reply(
    cards: Sequence[VehicleCard], query: VehicleQuery, assistant: str, dealer: str, lang: Lang
) -> str:
    """Present the matching vehicles, saying what was understood of the request."""
    one = len(cards) == 1
    if lang == "en":
        if query.is_empty():
            intro = f"These are some of the vehicles we have at {dealer}:"
        else:
            intro = f"Here is what we have in {describe_query(query, 'en')}:"
        close = (
            "Would you like to know more about it?"
            if one
            else "Would you like to know more about any of them?"
        )
        return f"{intro}\n{_numbered(cards, 'en')}\n{close}"
    if query.is_empty():
        intro = f"En {dealer} tenemos estas opciones que te pueden interesar:"
    elif one:
        intro = f"Tenemos esta opción en {describe_query(query)}:"
    else:
        intro = f"Tenemos estas opciones en {describe_query(query)}:"
    close = (
        "¿Te gustaría saber más de este vehículo?" if one else "¿Te interesa alguno en particular?"
    )
    return f"{intro}\n{_numbered(cards, 'es')}\n{close}"


def no_match_reply(query: VehicleQuery, alternatives: Sequence[VehicleCard], lang: Lang) -> str:
    """Say nothing matches, and offer the closest real vehicles (or an advisor)."""
    # "Available" goes before the budget: "no tengo yipetas disponibles dentro de tu presupuesto".
    in_budget = bool(query.price_min or query.price_max)
    if lang == "en":
        what = describe_query(query, "en", budget=False)
        budget = " within your budget" if in_budget else ""
        head = f"Right now we don't have {what} available{budget}."
        if alternatives:
            return f"{head} These are the closest options:\n{_numbered(alternatives, 'en')}"
        return f"{head} Would you like an advisor to let you know when something like that arrives?"
    what = describe_query(query, budget=False)
    budget = " dentro de tu presupuesto" if in_budget else ""
    head = f"Ahora mismo no tengo {what} disponibles{budget}."
    if alternatives:
        return f"{head} Estas son las opciones más parecidas:\n{_numbered(alternatives, 'es')}"
    return f"{head} ¿Quieres que un asesor te avise cuando llegue algo así?"


def no_others_reply(query: VehicleQuery, lang: Lang) -> str:
    """Say that what was shown is all the stock holds for this search."""
    if lang == "en":
        what = describe_query(query, "en") if not query.is_empty() else "vehicles"
        return (
            f"Those are all the {what} we have right now. Would you like to change the search, "
            "or should an advisor let you know when something new arrives?"
        )
    what = describe_query(query) if not query.is_empty() else "vehículos"
    return (
        f"Esas son todas las opciones que tengo en {what} ahora mismo. ¿Quieres cambiar la "
        "búsqueda, o que un asesor te avise cuando llegue algo nuevo?"
    )


def unavailable_reply(
    sold_or_reserved: Sequence[VehicleCard], alternatives: Sequence[VehicleCard], lang: Lang
) -> str:
    """Say that the vehicles the customer named were sold or are reserved."""
    lines = []
    for card in sold_or_reserved[:3]:
        if lang == "en":
            state = "has already been sold" if card.status == VehicleStatus.SOLD else "is reserved"
            lines.append(f"The {card.title} {state}.")
        else:
            state = "ya fue vendido" if card.status == VehicleStatus.SOLD else "está reservado"
            lines.append(f"El {card.title} {state}.")
    if alternatives:
        intro = (
            "These other options may interest you:"
            if lang == "en"
            else "Estas otras opciones te pueden interesar:"
        )
        lines.append(f"{intro}\n{_numbered(alternatives, lang)}")
    elif lang == "en":
        lines.append("Would you like an advisor to let you know if a similar one arrives?")
    else:
        lines.append("¿Quieres que un asesor te avise si llega uno parecido?")
    return " ".join(lines)


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
        return "Sure, I'm putting you in touch with a sales advisor, who will reply here shortly."
    return "Con gusto te comunico con un asesor de ventas. En breve te contactará por este chat."


def financing_reply(lang: Lang = "es") -> str:
    """Answer about financing: no terms, no promises, an advisor gives the details."""
    if lang == "en":
        return (
            "Financing details depend on each case, and one of our sales advisors can explain "
            "them to you. Would you like me to put you in touch with one?"
        )
    return (
        "Los detalles de financiamiento dependen de cada caso y te los explica uno de nuestros "
        "asesores de ventas. ¿Quieres que te comunique con uno?"
    )


def discount_reply(lang: Lang = "es") -> str:
    """Answer a request for a lower price with the published prices and an advisor."""
    if lang == "en":
        return (
            "The prices I show you are the published prices of our stock. If you want to talk "
            "about the price, a sales advisor can help you."
        )
    return (
        "Los precios que te muestro son los publicados en nuestro inventario. Si quieres "
        "conversar sobre el precio, un asesor de ventas te puede atender."
    )


def fallback_suffix(lang: Lang = "es") -> str:
    """Offer a human when the assistant can't give its best answer."""
    if lang == "en":
        return "If you prefer, I can put you in touch with a sales advisor."
    return "Si prefieres, puedo comunicarte con un asesor."


def thanks_reply(lang: Lang = "es") -> str:
    """Answer thanks and offer more help."""
    if lang == "en":
        return "You're welcome! Can I help you find another vehicle?"
    return "¡Con gusto! ¿Te ayudo a buscar algún otro vehículo?"


def goodbye_reply(lang: Lang = "es") -> str:
    """Say goodbye and leave the door open."""
    if lang == "en":
        return "Thanks for writing! Whenever you are looking for a vehicle, I'm here to help."
    return "¡Gracias por escribirnos! Cuando busques un vehículo, aquí estoy para ayudarte."


def other_reply(lang: Lang = "es") -> str:
    """Steer back to what the assistant can do: finding a vehicle in stock."""
    if lang == "en":
        return (
            "I can help you find a vehicle in our stock: tell me the type, the brand or the "
            "budget you have in mind (for example, “an automatic Toyota SUV”)."
        )
    return (
        "Te puedo ayudar a encontrar un vehículo de nuestro inventario: dime el tipo, la marca "
        "o el presupuesto que tienes en mente (por ejemplo, «una yipeta Toyota automática»)."
    )
