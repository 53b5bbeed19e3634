"""Templated answers built only from the database's data (Spanish, and English when asked).

Every template passes the guard (okla.chatbot.reply.guard) on its own vehicles, as the model's
words must: the customer's budget is therefore put in words ("dentro de tu presupuesto"), not
as a figure, because every amount the assistant writes is the price of a vehicle in stock.
Two figures are the customer's own, and only templates say them (the guard would refuse them
from the model): a budget in dollars with its conversion (`budget_phrase`), and a mileage cap
("con menos de 20,000 km"). Neither comes up unless the customer gave one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from okla.chatbot.inventory.domain import (
    Color,
    Drivetrain,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.inventory.search import Constraint, Conversion, SearchResult
from okla.chatbot.text.language import Lang
from okla.chatbot.text.money import format_price
from okla.chatbot.text.vocabulary import (
    BODIES_EN,
    BODIES_ES,
    BODY_EN,
    BODY_ES,
    COLOR_NAMES_EN,
    COLOR_NAMES_ES,
    DRIVETRAIN_NAMES_EN,
    DRIVETRAIN_NAMES_ES,
    FUEL_AFTER_ES,
    FUEL_EN,
    FUEL_ES,
    GEAR_EN,
    GEAR_ES,
    GROUPS_EN,
    GROUPS_ES,
    color_of,
)


def _km(km: int | None) -> str | None:
    return None if km is None else f"{km:,} km"


def _color(card: VehicleCard, lang: Lang) -> str | None:
    """Return the vehicle's colour: the dealer's words in Spanish, its family in English."""
    if not card.color:
        return None
    if lang == "en" and (family := color_of(card.color)) is not None:
        return COLOR_NAMES_EN[family]
    # Said mid-sentence: "Blanco perla" reads "blanco perla", "Azul BMW" "azul BMW"; "GRIS" stays.
    first, space, rest = card.color.partition(" ")
    if first[1:] == first[1:].lower():
        first = first.lower()
    return f"{first}{space}{rest}"


def vehicle_line(card: VehicleCard, lang: Lang = "es") -> str:
    """Describe one vehicle in a line: title, price and key facts (colour, drivetrain if known)."""
    if lang == "en":
        facts = [BODY_EN[card.body_type], FUEL_EN[card.fuel], GEAR_EN[card.transmission]]
        drive = DRIVETRAIN_NAMES_EN
    else:
        facts = [BODY_ES[card.body_type], FUEL_ES[card.fuel], GEAR_ES[card.transmission]]
        drive = DRIVETRAIN_NAMES_ES
    if card.drivetrain is not None:
        facts.append(drive[card.drivetrain])
    if (km := _km(card.mileage_km)) is not None:
        facts.append(km)
    if (color := _color(card, lang)) is not None:
        facts.append(color)
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


def _plural_es(adjective: str) -> str:
    """Return a Spanish colour adjective's plural ("roja": "rojas", "gris": "grises")."""
    if adjective == "beige":  # invariable
        return adjective
    if adjective[-1] in "aeiou":
        return f"{adjective}s"
    if adjective.endswith("ón"):
        return f"{adjective[:-2]}ones"
    return f"{adjective}es"


def _in_order(colors: frozenset[Color]) -> list[Color]:
    return sorted(colors, key=list(Color).index)


def _colors_es(colors: frozenset[Color], feminine: bool | None) -> str:
    """Say colours after a plural noun ("blancas o negras"), or with none ("en rojo")."""
    if feminine is None:
        return f"en {_either([COLOR_NAMES_ES[c][0] for c in _in_order(colors)], 'o')}"
    return _either([_plural_es(COLOR_NAMES_ES[c][feminine]) for c in _in_order(colors)], "o")


def _other_drivetrains(query: VehicleQuery) -> list[Drivetrain]:
    """Return the drivetrains asked for besides "4x4" (which accepts all-wheel drive too)."""
    rest = set(query.drivetrains)
    if Drivetrain.FOUR_BY_FOUR in rest:
        rest -= {Drivetrain.FOUR_BY_FOUR, Drivetrain.AWD}
    return sorted(rest, key=list(Drivetrain).index)


def _excluded(query: VehicleQuery) -> list[str]:
    return sorted(query.exclude_makes) + sorted(query.exclude_models)


def _rate(usd_to_dop: float) -> str:
    return f"RD${usd_to_dop:,.2f}".removesuffix(".00")


def budget_phrase(
    query: VehicleQuery, conversion: Conversion | None = None, lang: Lang = "es"
) -> str:
    """Name the customer's budget: "tu presupuesto", with the dollars and pesos if in dollars.

    `query` holds the budget in pesos (a search's query); `conversion`, the dollars.
    """
    if conversion is None or (conversion.usd_min is None and conversion.usd_max is None):
        return "your budget" if lang == "en" else "tu presupuesto"
    low, high = conversion.usd_min, conversion.usd_max
    low_dop, high_dop = query.price_min, query.price_max
    rate = _rate(conversion.usd_to_dop)
    to, more = ("to", "or more") if lang == "en" else ("a", "o más")
    if low is not None and high is not None and low_dop is not None and high_dop is not None:
        usd = f"{format_price(low, 'USD')} {to} {format_price(high, 'USD')}"
        dop = f"{format_price(low_dop, 'DOP')} {to} {format_price(high_dop, 'DOP')},"
    elif high is not None and high_dop is not None:
        usd, dop = format_price(high, "USD"), format_price(high_dop, "DOP")
    elif low is not None and low_dop is not None:
        usd, dop = f"{format_price(low, 'USD')} {more}", f"{format_price(low_dop, 'DOP')},"
    else:
        return "your budget" if lang == "en" else "tu presupuesto"
    if lang == "en":
        return f"your budget of {usd} (about {dop} at {rate} per dollar)"
    return f"tu presupuesto de {usd} (unos {dop} a {rate} por dólar)"


def conversion_note(result: SearchResult, lang: Lang = "es") -> str:
    """Say how a budget in dollars was searched, as a sentence to add to a reply ("" if none).

    For a reply the model words: its text may not state the figures, an added note may.
    """
    if result.conversion is None:
        return ""
    budget = budget_phrase(result.query, result.conversion, lang)
    return f"I searched with {budget}." if lang == "en" else f"Busqué con {budget}."


def _noun_es(query: VehicleQuery) -> tuple[str, bool]:
    """Return the plural noun for what was asked, and whether it is feminine."""
    bodies = query.body_types
    if bodies in GROUPS_ES:
        return GROUPS_ES[bodies]
    if bodies:
        nouns = sorted(BODIES_ES[b] for b in bodies)
        # The adjective agrees with the nearest noun.
        return _either([n for n, _ in nouns], "o"), nouns[-1][1]
    # "Toyota Corolla" needs no noun; "Toyota" alone reads better as "vehículos Toyota".
    return ("" if query.models else "vehículos"), False


def describe_query(
    query: VehicleQuery,
    lang: Lang = "es",
    *,
    budget: bool = True,
    conversion: Conversion | None = None,
) -> str:
    """Say in words, as a plural noun phrase, what the customer asked for.

    With a `conversion`, a budget in dollars is said with its figures (see `budget_phrase`).
    """
    if lang == "en":
        return _describe_en(query, budget, conversion)
    noun, feminine = _noun_es(query)
    parts = [noun, _names(query, "o")]
    if Drivetrain.FOUR_BY_FOUR in query.drivetrains:
        parts.append("4x4")
    if query.colors:
        parts.append(_colors_es(query.colors, feminine if noun else None))
    if query.fuels:
        parts.append(_either(sorted(FUEL_AFTER_ES[f][feminine] for f in query.fuels), "o"))
    if query.transmissions:
        gears = _either(sorted(GEAR_ES[t] for t in query.transmissions), "o")
        parts.append(f"con transmisión {gears}")
    if drives := _other_drivetrains(query):
        parts.append(f"con {_either([DRIVETRAIN_NAMES_ES[d] for d in drives], 'o')}")
    parts.append(_years_es(query) or "")
    if query.seats_min:
        parts.append(f"de {query.seats_min} pasajeros o más")
    if query.mileage_max is not None:
        parts.append(f"con menos de {query.mileage_max:,} km")
    if excluded := _excluded(query):
        parts.append(f"que no sean {_either(excluded, 'ni')}")
    if budget and (query.price_min or query.price_max):
        parts.append(f"dentro de {budget_phrase(query, conversion)}")
    return " ".join(p for p in parts if p)


def _describe_en(query: VehicleQuery, budget: bool, conversion: Conversion | None) -> str:
    bodies = query.body_types
    if bodies in GROUPS_EN:
        noun = GROUPS_EN[bodies]
    elif bodies:
        noun = _either(sorted(BODIES_EN[b] for b in bodies), "or")
    else:
        noun = "" if query.models else "vehicles"
    colors = _either([COLOR_NAMES_EN[c] for c in _in_order(query.colors)], "or")
    fuels = _either(sorted(FUEL_EN[f] for f in query.fuels), "or")
    names = _names(query, "or")
    four = "4x4" if Drivetrain.FOUR_BY_FOUR in query.drivetrains else ""
    # A colour goes before a noun ("red SUVs"), after a name alone ("Hyundai Tucson in red").
    parts = [colors if noun else "", four, fuels, names, noun]
    if colors and not noun:
        parts.append(f"in {colors}")
    if query.transmissions:
        gears = _either(sorted(GEAR_EN[t] for t in query.transmissions), "or")
        parts.append(f"with {gears} transmission")
    if drives := _other_drivetrains(query):
        parts.append(f"with {_either([DRIVETRAIN_NAMES_EN[d] for d in drives], 'or')}")
    parts.append(_years_en(query) or "")
    if query.seats_min:
        parts.append(f"with {query.seats_min} or more seats")
    if query.mileage_max is not None:
        parts.append(f"with under {query.mileage_max:,} km")
    if excluded := _excluded(query):
        parts.append(f"other than {_either(excluded, 'or')}")
    if budget and (query.price_min or query.price_max):
        parts.append(f"within {budget_phrase(query, conversion, 'en')}")
    return " ".join(p for p in parts if p)


def _other_es(query: VehicleQuery) -> str:
    """Return "otros" or "otras", agreeing with the noun for what was asked."""
    noun, feminine = _noun_es(query)
    return "otras" if noun and feminine else "otros"


def _closing(one: bool, lang: Lang) -> str:
    if lang == "en":
        return (
            "Would you like to know more about it?"
            if one
            else "Would you like to know more about any of them?"
        )
    return (
        "¿Te gustaría saber más de este vehículo?" if one else "¿Te interesa alguno en particular?"
    )


def list_reply(
    cards: Sequence[VehicleCard],
    query: VehicleQuery,
    assistant: str,
    dealer: str,
    lang: Lang,
    *,
    conversion: Conversion | None = None,
    others: bool = False,
) -> str:
    """Present the matching vehicles, saying what was understood of the request.

    `others`: the vehicles already shown were left out ("¿tienes otras?").
    """
    one = len(cards) == 1
    if lang == "en":
        what = describe_query(query, "en", conversion=conversion)
        if query.is_empty():
            kind = "other" if others else "some of the"
            intro = f"These are {kind} vehicles we have at {dealer}:"
        else:
            intro = f"Here is what {'else ' if others else ''}we have in {what}:"
        return f"{intro}\n{_numbered(cards, 'en')}\n{_closing(one, 'en')}"
    what = describe_query(query, conversion=conversion)
    if query.is_empty():
        intro = (
            f"En {dealer} también tenemos estas opciones:"
            if others
            else f"En {dealer} tenemos estas opciones que te pueden interesar:"
        )
    elif one:
        intro = f"Tenemos esta {'otra ' if others else ''}opción en {what}:"
    else:
        intro = f"Tenemos estas {'otras ' if others else ''}opciones en {what}:"
    return f"{intro}\n{_numbered(cards, 'es')}\n{_closing(one, 'es')}"


def no_match_reply(
    query: VehicleQuery,
    alternatives: Sequence[VehicleCard],
    lang: Lang,
    *,
    conversion: Conversion | None = None,
    others: bool = False,
) -> str:
    """Say nothing matches, and offer the closest real vehicles (or an advisor)."""
    # "Available" goes before the budget: "no tengo yipetas disponibles dentro de tu presupuesto".
    in_budget = bool(query.price_min or query.price_max)
    if lang == "en":
        what = describe_query(query, "en", budget=False)
        other = "other " if others else ""
        budget = f" within {budget_phrase(query, conversion, 'en')}" if in_budget else ""
        head = f"Right now we don't have {other}{what} available{budget}."
        if alternatives:
            return f"{head} These are the closest options:\n{_numbered(alternatives, 'en')}"
        return f"{head} Would you like an advisor to let you know when something like that arrives?"
    what = describe_query(query, budget=False)
    other = f"{_other_es(query)} " if others else ""
    budget = f" dentro de {budget_phrase(query, conversion)}" if in_budget else ""
    head = f"Ahora mismo no tengo {other}{what} disponibles{budget}."
    if alternatives:
        return f"{head} Estas son las opciones más parecidas:\n{_numbered(alternatives, 'es')}"
    return f"{head} ¿Quieres que un asesor te avise cuando llegue algo así?"


def gone_lines(sold_or_reserved: Sequence[VehicleCard], lang: Lang) -> list[str]:
    """Say, a sentence each, which of the vehicles named were sold or are reserved."""
    lines = []
    for card in sold_or_reserved[:3]:
        if lang == "en":
            state = "has already been sold" if card.status == VehicleStatus.SOLD else "is reserved"
            lines.append(f"The {card.title} {state}.")
        else:
            state = "ya fue vendido" if card.status == VehicleStatus.SOLD else "está reservado"
            lines.append(f"El {card.title} {state}.")
    return lines


def unavailable_reply(
    sold_or_reserved: Sequence[VehicleCard], alternatives: Sequence[VehicleCard], lang: Lang
) -> str:
    """Say that the vehicles the customer named were sold or are reserved."""
    lines = gone_lines(sold_or_reserved, lang)
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


def _feminine(card: VehicleCard) -> bool:
    """Tell whether Spanish calls this vehicle "la" (yipeta, camioneta, guagua) or "el"."""
    return BODIES_ES[card.body_type][1]


def _instead(result: SearchResult, lang: Lang) -> str:
    """Say what the closest vehicles are instead: their colour, when that is all that differs."""
    cards = result.cards
    one = len(cards) == 1
    families = [color_of(card.color) for card in cards]
    known = [family for family in families if family is not None]
    if result.unmet_constraints() == {Constraint.COLOR} and len(known) == len(cards):
        unique = list(dict.fromkeys(known))
        if lang == "en":
            colors = _either([COLOR_NAMES_EN[c] for c in unique], "and")
            return f"the one we have is {colors}" if one else f"the ones we have are {colors}"
        feminine = all(_feminine(card) for card in cards)
        if one:
            color = COLOR_NAMES_ES[unique[0]][feminine]
            return f"{'la' if feminine else 'el'} que tengo es {color}"
        colors = _either([_plural_es(COLOR_NAMES_ES[c][feminine]) for c in unique], "y")
        return f"{'las' if feminine else 'los'} que tengo son {colors}"
    if lang == "en":
        return "this is the closest option" if one else "these are the closest options"
    return "esta es la opción más cercana" if one else "estas son las opciones más cercanas"


def near_reply(result: SearchResult, lang: Lang) -> str:
    """Offer the closest vehicles, saying what of the request they don't meet.

    "No tengo la Hyundai Tucson en rojo; la que tengo es negra:", "No tengo yipetas 4x4
    dentro de tu presupuesto; estas son las opciones más cercanas:". The guard reads "no
    tengo" as a negation, so the attributes asked for may be named though no card has them.
    """
    query, cards = result.query, result.cards
    what = describe_query(query, lang, conversion=result.conversion)
    # One model named, without a noun: "la Hyundai Tucson", as one speaks of a model.
    named = len(query.models) == 1 and not query.body_types and bool(cards)
    if lang == "en":
        if named:
            what = f"{'another' if result.others else 'the'} {what}"
        elif result.others:
            what = f"other {what}"
        head = f"We don't have {what}"
    else:
        if named:
            feminine = _feminine(cards[0])
            if result.others:
                what = f"{'otra' if feminine else 'otro'} {what}"
            else:
                what = f"{'la' if feminine else 'el'} {what}"
        elif result.others:
            what = f"{_other_es(query)} {what}"
        head = f"No tengo {what}"
    numbered = _numbered(cards, lang)
    return f"{head}; {_instead(result, lang)}:\n{numbered}\n{_closing(len(cards) == 1, lang)}"


# Without these the closest vehicles are not of the kind asked for: "nothing like that".
_NOTHING_LIKE = frozenset({Constraint.BODY, Constraint.MAKE_MODEL})


def search_reply(result: SearchResult, dealer: str, lang: Lang) -> str:
    """Answer a search from its result: the matches, the closest and what they miss, or none.

    A named vehicle sold or reserved is said so first; near misses say each constraint they
    don't meet; when none is of the kind asked for, the closest are offered as alternatives.
    """
    query, cards, unmet = result.query, result.cards, result.unmet_constraints()
    conversion, others = result.conversion, result.others
    if result.gone:
        if unmet <= {Constraint.MAKE_MODEL}:
            return unavailable_reply(result.gone, cards, lang)
        # The named vehicle is gone, and nothing else has the rest either.
        rest = replace(query, makes=frozenset(), models=frozenset())
        text = no_match_reply(rest, cards, lang, conversion=conversion, others=True)
        return " ".join([*gone_lines(result.gone, lang), text])
    if not cards or unmet & _NOTHING_LIKE:
        return no_match_reply(query, cards, lang, conversion=conversion, others=others)
    if unmet:
        return near_reply(result, lang)
    return list_reply(cards, query, "", dealer, lang, conversion=conversion, others=others)


def foreign_make_reply(makes: Iterable[str], ours: Iterable[str], lang: Lang) -> str:
    """Say the dealer doesn't carry a make, and which makes it does."""
    asked = _either(sorted(makes), "or" if lang == "en" else "ni")
    stocked = _either(sorted(ours), "and" if lang == "en" else "y")
    if lang == "en":
        head = f"We don't have {asked} vehicles in our stock right now."
        tail = f" We have {stocked}." if stocked else ""
        return f"{head}{tail} Shall I show you something similar?"
    head = f"No tenemos vehículos {asked} en nuestro inventario ahora mismo."
    tail = f" Trabajamos con {stocked}." if stocked else ""
    return f"{head}{tail} ¿Te muestro algo parecido?"


def foreign_model_reply(names: Sequence[str], same_make: Sequence[VehicleCard], lang: Lang) -> str:
    """Say the models named aren't in stock, and offer what there is of their makes."""
    if lang == "en":
        head = f"We don't have the {_either(names, 'or')} right now."
        if same_make:
            return f"{head} Of that make we have:\n{_numbered(same_make, 'en')}"
        return f"{head} Shall I show you something similar?"
    head = f"No tengo {_either(names, 'ni')} ahora mismo."
    if same_make:
        return f"{head} De esa marca tengo:\n{_numbered(same_make, 'es')}"
    return f"{head} ¿Te muestro algo parecido?"


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


def advisor_joined(advisor: str) -> str:
    """Tell the customer which advisor took the conversation."""
    return f"{advisor}, asesor de ventas, se unió a la conversación."


def advisor_left(assistant: str) -> str:
    """Tell the customer the advisor is done and the assistant answers again."""
    return (
        f"El asesor terminó la conversación. Soy {assistant} otra vez: "
        "¿te ayudo con algo más del inventario?"
    )


def financing_reply(lang: Lang = "es", terms: str | None = None, *, ask: bool = True) -> str:
    """Answer about financing: the dealer's own terms if it gave them, an advisor the details.

    `ask`: end with the offer to put the customer through to an advisor (not when the contact
    form's offer of a call follows).
    """
    if terms:
        if lang == "en":
            text = f"{terms} One of our sales advisors can work out the details of your case."
            return f"{text} Would you like me to put you in touch with one?" if ask else text
        text = f"{terms} Los detalles de tu caso te los explica uno de nuestros asesores de ventas."
        return f"{text} ¿Quieres que te comunique con uno?" if ask else text
    if lang == "en":
        return (
            "Financing details depend on each case, and one of our sales advisors can explain "
            "them to you."
        )
    # No question: the chat's contact form offers the advisor's call right after it.
    return (
        "Los detalles de financiamiento dependen de cada caso y te los explica uno de nuestros "
        "asesores de ventas."
    )


def discount_reply(lang: Lang = "es") -> str:
    """Answer a request for a lower price with the published prices and an advisor."""
    if lang == "en":
        return (
            "The prices I show you are the published prices of our stock; any talk about the "
            "price is with a sales advisor."
        )
    # No question: the chat's contact form offers the advisor's call right after it.
    return (
        "Los precios que te muestro son los publicados en nuestro inventario; del precio se "
        "conversa con un asesor de ventas."
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
