"""Answers about vehicles already on the table: one in focus, or several side by side.

Every statement is read off the vehicle's record: "Sí, la Toyota Hilux 2022 SR5 es 4x4", "No,
la Hyundai Tucson 2021 GLS es negra", "La más barata de esas es...". What the record doesn't
hold (a drivetrain nobody entered) is said to be confirmed by an advisor, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from okla.chatbot.inventory.domain import (
    BodyType,
    Color,
    Drivetrain,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.reply.templates import vehicle_line
from okla.chatbot.text.language import Lang
from okla.chatbot.text.money import format_price
from okla.chatbot.text.vocabulary import (
    COLOR_NAMES_EN,
    COLOR_NAMES_ES,
    DRIVETRAIN_NAMES_EN,
    DRIVETRAIN_NAMES_ES,
    FUEL_EN,
    FUEL_ES,
    GEAR_EN,
    GEAR_ES,
    OFF_ROAD,
    color_of,
)
from okla.chatbot.understanding.references import Fact

# Bodies whose Spanish noun is feminine ("la yipeta", "la camioneta", "la guagua").
_FEMININE_BODIES = frozenset({BodyType.SUV, BodyType.PICKUP, BodyType.MINIVAN, BodyType.VAN})


def about(card: VehicleCard, facts: Iterable[Fact], query: VehicleQuery, lang: Lang) -> str:
    """Answer what was asked of one vehicle, then describe it in a line.

    An attribute the question names ("¿la tienen en blanco?") is answered as well, and when
    the vehicle doesn't have it that answer comes first: no "sí, está disponible" for a black
    Tucson asked for in white.
    """
    named = _named_facts(query)
    misses = [fact for fact in _ordered(named) if not _has(card, fact, query)]
    asked = set(facts) | named
    # "¿Tienen la Hilux automática?" asks whether the stock has it so, not what it is like.
    having = Fact.AVAILABLE in asked
    if misses:
        asked.discard(Fact.AVAILABLE)
    ordered = misses + [fact for fact in _ordered(asked) if fact not in misses]
    answers = [
        _lacking(card, fact, query, lang)
        if having and fact in misses
        else _answer(card, fact, query, lang)
        for fact in ordered
    ]
    line = vehicle_line(card, lang)
    if lang == "en":
        close = "Would you like to know anything else about it, or talk to an advisor?"
        head = " ".join(answers) if answers else f"Here it is, the {card.title}:"
    else:
        close = "¿Quieres saber algo más de este vehículo o hablar con un asesor?"
        head = " ".join(answers) if answers else f"Aquí la tienes, {_the(card)} {card.title}:"
    return f"{head}\n{line}\n{close}"


def ranked(
    cards: Sequence[VehicleCard], query: VehicleQuery, lang: Lang, *, among_shown: bool = True
) -> str:
    """Name the first of vehicles in the order asked ("de esas, la más barata es..."); list them."""
    first = cards[0]
    lines = "\n".join(f"{i}. {vehicle_line(c, lang)}" for i, c in enumerate(cards, 1))
    if lang == "en":
        what = {
            "price_asc": "the cheapest",
            "price_desc": "the most expensive",
            "newest": "the newest",
            "mileage_asc": "the one with the lowest mileage",
        }.get(query.sort, "the first")
        lead = f"Of those, {what}" if among_shown else what[:1].upper() + what[1:]
        return f"{lead} is the {first.title}:\n{lines}"
    feminine = first.body_type in _FEMININE_BODIES
    what = {
        "price_asc": "la más barata" if feminine else "el más barato",
        "price_desc": "la más cara" if feminine else "el más caro",
        "newest": "la más nueva" if feminine else "el más nuevo",
        "mileage_asc": "la de menos millaje" if feminine else "el de menos millaje",
    }.get(query.sort, "la primera" if feminine else "el primero")
    lead = f"De esas, {what}" if among_shown else _cap(what)
    return f"{lead} es {_the(first)} {first.title}:\n{lines}"


def best(card: VehicleCard, query: VehicleQuery, facts: Iterable[Fact], lang: Lang) -> str:
    """Answer "which is the cheapest (of those)?" with the one vehicle, and what was asked of it."""
    es = lang != "en"
    feminine = card.body_type in _FEMININE_BODIES
    what = _superlative(query, feminine) if es else _SUPERLATIVE_EN.get(query.sort, "the first")
    price = format_price(card.price, card.currency)
    if es:
        head = f"{_cap(what)} es {_the(card)} {card.title}, a {price}."
    else:
        head = f"{_cap(what)} is the {card.title}, at {price}."
    answers = [_answer(card, fact, query, lang) for fact in _ordered(facts) if fact != Fact.PRICE]
    close = (
        "¿Quieres saber algo más de este vehículo o hablar con un asesor?"
        if es
        else "Would you like to know anything else about it, or talk to an advisor?"
    )
    return "\n".join(part for part in (" ".join([head, *answers]), vehicle_line(card, lang), close))


_SUPERLATIVE_EN = {
    "price_asc": "the cheapest",
    "price_desc": "the most expensive",
    "newest": "the newest",
    "mileage_asc": "the one with the lowest mileage",
}


def _superlative(query: VehicleQuery, feminine: bool) -> str:
    return {
        "price_asc": "la más barata" if feminine else "el más barato",
        "price_desc": "la más cara" if feminine else "el más caro",
        "newest": "la más nueva" if feminine else "el más nuevo",
        "mileage_asc": "la de menos millaje" if feminine else "el de menos millaje",
    }.get(query.sort, "la primera" if feminine else "el primero")


def compare(cards: Sequence[VehicleCard], lang: Lang) -> str:
    """Put vehicles side by side, fact by fact, and say what sets each apart."""
    lines = "\n".join(f"{i}. {vehicle_line(c, lang)}" for i, c in enumerate(cards, 1))
    cheapest = min(cards, key=lambda c: c.price)
    newest = max(cards, key=lambda c: c.year)
    mileage = [c for c in cards if c.mileage_km is not None]
    lowest = min(mileage, key=lambda c: c.mileage_km or 0) if mileage else None
    if lang == "en":
        notes = [f"the {cheapest.title} costs less ({format_price(cheapest.price)})"]
        if newest is not cheapest:
            notes.append(f"the {newest.title} is the newest")
        if lowest is not None and lowest is not cheapest:
            notes.append(f"the {lowest.title} has the lowest mileage")
        return (
            f"Side by side:\n{lines}\nWhich is better depends on what matters most to you: "
            f"{'; '.join(notes)}. An advisor can help you decide, or arrange a test drive."
        )
    notes = [f"{_the(cheapest)} {cheapest.title} cuesta menos ({format_price(cheapest.price)})"]
    if newest is not cheapest:
        notes.append(f"{_the(newest)} {newest.title} es la más reciente")
    if lowest is not None and lowest is not cheapest and lowest is not newest:
        notes.append(f"{_the(lowest)} {lowest.title} tiene menos millaje")
    return (
        f"Así se comparan:\n{lines}\nCuál es mejor depende de lo que más te importe: "
        f"{'; '.join(notes)}. Un asesor te ayuda a decidir o a coordinar una prueba de manejo."
    )


def _named_facts(query: VehicleQuery) -> set[Fact]:
    """Return the facts a question names by asking for a value ("en blanco", "4x4", "diésel")."""
    named: set[Fact] = set()
    if query.colors:
        named.add(Fact.COLOR)
    if query.drivetrains:
        named.add(Fact.DRIVETRAIN)
    if query.fuels:
        named.add(Fact.FUEL)
    if query.transmissions:
        named.add(Fact.TRANSMISSION)
    return named


def _has(card: VehicleCard, fact: Fact, query: VehicleQuery) -> bool:
    """Tell whether the vehicle has the value the question asks for."""
    if fact == Fact.COLOR:
        return color_of(card.color) in query.colors
    if fact == Fact.DRIVETRAIN:
        return card.drivetrain in query.drivetrains
    if fact == Fact.FUEL:
        return card.fuel in query.fuels
    if fact == Fact.TRANSMISSION:
        return card.transmission in query.transmissions
    return True


def _ordered(facts: Iterable[Fact]) -> list[Fact]:
    wanted = set(facts)
    return [fact for fact in Fact if fact in wanted]


def _answer(card: VehicleCard, fact: Fact, query: VehicleQuery, lang: Lang) -> str:
    """Answer one question about a vehicle from its record."""
    es = lang != "en"
    name = f"{_the(card)} {card.title}" if es else f"the {card.title}"
    if fact == Fact.PRICE:
        price = format_price(card.price, card.currency)
        return f"{_cap(name)} cuesta {price}." if es else f"{_cap(name)} costs {price}."
    if fact == Fact.YEAR:
        return f"{_cap(name)} es del {card.year}." if es else f"{_cap(name)} is a {card.year}."
    if fact == Fact.MILEAGE:
        if card.mileage_km is None:
            return _unknown(name, "el millaje" if es else "the mileage", es)
        km = f"{card.mileage_km:,} km"
        return f"{_cap(name)} tiene {km}." if es else f"{_cap(name)} has {km}."
    if fact == Fact.DRIVETRAIN:
        return _drivetrain(card, name, query, es)
    if fact == Fact.COLOR:
        return _color(card, name, query, es)
    if fact == Fact.FUEL:
        fuel = FUEL_ES[card.fuel] if es else FUEL_EN[card.fuel]
        yes = not query.fuels or card.fuel in query.fuels
        if es:
            return f"{'Sí' if yes else 'No'}, {name} es {fuel}."
        return f"{'Yes' if yes else 'No'}, {name} runs on {fuel}."
    if fact == Fact.TRANSMISSION:
        gear = _gear_es(card.transmission, card) if es else GEAR_EN[card.transmission]
        yes = not query.transmissions or card.transmission in query.transmissions
        if es:
            return f"{'Sí' if yes else 'No'}, {name} es {gear}."
        return f"{'Yes' if yes else 'No'}, {name} is {gear}."
    if fact == Fact.AVAILABLE:
        return _availability(card, name, es)
    if card.seats is None:
        return _unknown(name, "cuántos pasajeros lleva" if es else "how many it seats", es)
    if es:
        return f"{_cap(name)} es de {card.seats} pasajeros."
    return f"{_cap(name)} seats {card.seats}."


def _lacking(card: VehicleCard, fact: Fact, query: VehicleQuery, lang: Lang) -> str:
    """Say the stock doesn't have the vehicle as asked, and what it has instead."""
    if fact == Fact.COLOR or (fact == Fact.DRIVETRAIN and card.drivetrain is None):
        return _answer(card, fact, query, lang)  # the colour's answer says so already
    es = lang != "en"
    name = f"{_the(card)} {card.title}" if es else f"the {card.title}"
    if fact == Fact.TRANSMISSION:
        if es:
            wanted = " ni ".join(GEAR_ES[t] for t in sorted(query.transmissions))
            actual = _gear_es(card.transmission, card)
            return f"No tengo {name} con transmisión {wanted}; {_the(card)} que tengo es {actual}."
        wanted = " or ".join(GEAR_EN[t] for t in sorted(query.transmissions))
        actual = GEAR_EN[card.transmission]
        return f"We don't have {name} with {wanted} transmission; the one we have is {actual}."
    if fact == Fact.FUEL:
        if es:
            wanted = " ni en ".join(FUEL_ES[f] for f in sorted(query.fuels))
            return f"No tengo {name} en {wanted}; {_the(card)} que tengo es {FUEL_ES[card.fuel]}."
        wanted = " or ".join(FUEL_EN[f] for f in sorted(query.fuels))
        actual = FUEL_EN[card.fuel]
        return f"We don't have {name} in {wanted}; the one we have runs on {actual}."
    assert fact == Fact.DRIVETRAIN and card.drivetrain is not None
    if es:
        wanted = " ni ".join(DRIVETRAIN_NAMES_ES[d] for d in sorted(query.drivetrains))
        with_ = "" if query.drivetrains == OFF_ROAD else "con "  # "la Tucson 4x4"
        actual = DRIVETRAIN_NAMES_ES[card.drivetrain]
        verb = "es" if card.drivetrain == Drivetrain.FOUR_BY_FOUR else "tiene"
        return f"No tengo {name} {with_}{wanted}; {_the(card)} que tengo {verb} {actual}."
    wanted = " or ".join(DRIVETRAIN_NAMES_EN[d] for d in sorted(query.drivetrains))
    actual = DRIVETRAIN_NAMES_EN[card.drivetrain]
    return f"We don't have {name} with {wanted}; the one we have has {actual}."


def _drivetrain(card: VehicleCard, name: str, query: VehicleQuery, es: bool) -> str:
    if card.drivetrain is None:
        return _unknown(name, "la tracción" if es else "the drivetrain", es)
    said = DRIVETRAIN_NAMES_ES[card.drivetrain] if es else DRIVETRAIN_NAMES_EN[card.drivetrain]
    yes = card.drivetrain in (query.drivetrains or OFF_ROAD)
    if es:
        verb = "es" if card.drivetrain == Drivetrain.FOUR_BY_FOUR else "tiene"
        return f"{'Sí' if yes else 'No'}, {name} {verb} {said}."
    return f"{'Yes' if yes else 'No'}, {name} has {said}."


def _color(card: VehicleCard, name: str, query: VehicleQuery, es: bool) -> str:
    family = color_of(card.color)
    if card.color is None or family is None:
        return _unknown(name, "el color" if es else "the colour", es)
    if not query.colors:
        return f"{_cap(name)} es {card.color.lower()}." if es else f"{_cap(name)} is {card.color}."
    yes = family in query.colors
    asked = sorted(query.colors)
    if es:
        adjective = _color_es(family, card)
        if yes:
            return f"Sí, {name} es {adjective} ({card.color})."
        # "¿La tienen en blanco?" asks whether the stock has it so: say what it has instead.
        wanted = " ni en ".join(COLOR_NAMES_ES[c][0] for c in asked)
        return f"No tengo {name} en {wanted}; {_the(card)} que tengo es {adjective} ({card.color})."
    if yes:
        return f"Yes, {name} is {card.color.lower()}."
    wanted = " or ".join(COLOR_NAMES_EN[c] for c in asked)
    return f"We don't have {name} in {wanted}; the one we have is {card.color.lower()}."


def _availability(card: VehicleCard, name: str, es: bool) -> str:
    if card.status == VehicleStatus.AVAILABLE:
        return f"Sí, {name} está disponible." if es else f"Yes, {name} is available."
    if card.status == VehicleStatus.RESERVED:
        return f"{_cap(name)} está reservado." if es else f"{_cap(name)} is on hold."
    return f"{_cap(name)} ya fue vendido." if es else f"{_cap(name)} has been sold."


def _unknown(name: str, what: str, es: bool) -> str:
    if es:
        return f"No tengo {what} de {name} en el inventario; un asesor te lo confirma."
    return f"I don't have {what} of {name} on record; an advisor will confirm it."


def _color_es(family: Color, card: VehicleCard) -> str:
    masculine, feminine = COLOR_NAMES_ES[family]
    return feminine if card.body_type in _FEMININE_BODIES else masculine


def _gear_es(gear: Transmission, card: VehicleCard) -> str:
    """Say a gearbox of this vehicle: "la Hilux es automática", "el Corolla es automático"."""
    if gear == Transmission.AUTOMATIC and card.body_type not in _FEMININE_BODIES:
        return "automático"
    return GEAR_ES[gear]  # "automática"; "manual" either way


def _the(card: VehicleCard) -> str:
    return "la" if card.body_type in _FEMININE_BODIES else "el"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
