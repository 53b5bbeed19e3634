"""What the vehicle is like: body, fuel, gearbox, drivetrain, colour, and the order asked for.

The words are the vocabulary's (text/vocabulary.py). Each pass reads what is asked for or
ruled out (exclusions.py) and blanks the words it read, except the body pass, which runs last
and reads what every other pass left: "un carro Toyota" asks for the Toyota, whatever its
body. A sort order ("la más barata", "menos millaje") is read after the year pass, so that
the "más nuevo" of "2020 o más nuevo" is the year's; a colour after the price pass, so that
"30 mil verdes" are dollars.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeVar

from okla.chatbot.inventory.domain import BodyType, Color, Drivetrain, Fuel, Sort, Transmission
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import word_pattern
from okla.chatbot.understanding.parse.exclusions import ruled_out, ruled_out_all, split_ruled_out
from okla.chatbot.understanding.parse.scan import blank, collect, find_said, take

E = TypeVar("E", Fuel, Transmission)


_BODIES = tuple((word_pattern(words), bodies) for words, bodies in vocab.BODY_WORDS)
_LOOSE_BODIES = tuple((word_pattern(words), bodies) for words, bodies in vocab.LOOSE_BODY_WORDS)
_CAR = word_pattern(vocab.CAR_WORDS)
# Plural car words in a stock question are just "vehicles": "¿qué carros tienes?".
_GENERIC_CARS = re.compile(
    rf"\b(?:que|cuales|what|which|any|algun[oa]?s?|tipos? de|kinds? of|types? of|tienes|"
    rf"tienen|tiene|hay|have|venden|sell|todos los|all)\s(?:\w+\s)?(?:{vocab.PLURAL_CAR_WORDS})\b|"
    rf"\b(?:{vocab.PLURAL_CAR_WORDS})\s(?:tienes|tienen|tiene|hay|do you|you have|disponibles?|"
    rf"available|en venta|for sale|en stock|in stock)\b"
)


def read_bodies(text: str, names_a_vehicle: bool) -> set[BodyType]:
    """Return the body types wanted; a car word alone ("un carro") asks for cars.

    Bodies only ruled out ask for the others: "que no sea yipeta" is any body but an SUV.
    """
    found, scratch = find_said(_BODIES, text)
    if not found:
        found, scratch = find_said(_LOOSE_BODIES, text)
    wanted, ruled = split_ruled_out(found, text)
    bodies: set[BodyType] = set()
    for kinds in wanted:
        bodies |= kinds
    if ruled and not wanted:
        # Among cars if a car is asked for: "un carro que no sea hatchback".
        cars = any(not ruled_out(scratch, *car.span()) for car in _CAR.finditer(scratch))
        return set(vocab.CARS if cars else BodyType).difference(*ruled)
    if found or names_a_vehicle:
        # "un carro Toyota" asks for the Toyota, whatever its body.
        return bodies
    generic = [m.span() for m in _GENERIC_CARS.finditer(scratch)]
    for car in _CAR.finditer(scratch):
        if not any(start <= car.start() < end for start, end in generic):
            # "nada de carros chinos": cars as any vehicle, ruling no body out.
            return set() if ruled_out(scratch, *car.span()) else set(vocab.CARS)
    return set()


_FUELS = tuple((word_pattern(words), fuel) for words, fuel in vocab.FUEL_WORDS)
_ENGLISH_FUELS = tuple((word_pattern(words), fuel) for words, fuel in vocab.ENGLISH_FUEL_WORDS)
_GEARS = tuple((word_pattern(words), gear) for words, gear in vocab.GEAR_WORDS)


def _one_of(
    table: Sequence[tuple[re.Pattern[str], E]], text: str, kind: type[E]
) -> tuple[set[E], str]:
    """Read fuels or gearboxes; one ruled out means any of the others ("no quiero mecánica")."""
    found, blanked = find_said(table, text)
    wanted, ruled = split_ruled_out(found, text)
    if wanted or not ruled:
        return set(wanted), blanked
    return set(kind) - set(ruled), blanked


def read_gearboxes(text: str) -> tuple[set[Transmission], str]:
    """Return the gearboxes wanted, and the text with every one blanked."""
    return _one_of(_GEARS, text, Transmission)


def read_fuels(text: str, english: bool) -> tuple[set[Fuel], str]:
    """Return the fuels wanted, and the text with every one blanked."""
    # An English message's "gas" is gasoline, read before the Spanish "gas" (LPG).
    return _one_of((*(_ENGLISH_FUELS if english else ()), *_FUELS), text, Fuel)


_DRIVETRAINS = tuple((word_pattern(words), kinds) for words, kinds in vocab.DRIVETRAIN_WORDS)


def read_drivetrains(text: str) -> tuple[set[Drivetrain], str]:
    """Return the drivetrains wanted ("4x4", "AWD"), and the text with every one blanked."""
    found, blanked = find_said(_DRIVETRAINS, text)
    # "No necesito 4x4" leaves the drivetrain open: it rules nothing out.
    wanted, _ = split_ruled_out(found, text)
    return {kind for kinds in wanted for kind in kinds}, blanked


# "más barato que la gasolina" compares two things; "lo más barato que tengan" is an order.
_COMPARED = r"(?! que (?:el|la|los|las|un|una|uno|mi|comprar|pagar|lo)\b)"
SORT_WORDS: tuple[tuple[str, Sort], ...] = (
    # Low mileage first: its "menos" and "bajo" are not a price's.
    (r"(?:menos|menor|poco|pocos|poca|bajo|baja|less|lower|lowest|least|fewest|low)\s"
     r"(?:millaje|kilometraje|kilometros|kms?|millas|recorrido|uso|mileage|miles|kilometers)|"
     r"(?:millaje|kilometraje|recorrido)\s(?:mas )?(?:bajo|menor)|poco usad[oa]s?|"
     r"casi sin usar", "mileage_asc"),
    (r"de mayor a menor(?: precio)?|del mas caro al mas barato|most expensive first",
     "price_desc"),
    (r"de menor a mayor(?: precio)?|(?:ordenad\w*|organizad\w*|ordena\w*) por precio|"
     r"por precio|cheapest first", "price_asc"),
    (rf"(?:(?:mas )?barat\w*\b|(?:mas )?economic[oa]s?(?! (?:en|de) (?:combustible|gasolina|"
     rf"gas|consumo))){_COMPARED}|cheap\w*(?! than)|affordable|menor precio|precio mas bajo|"
     rf"lowest price|lowest priced|least expensive|(?:mas )?asequibles?", "price_asc"),
    (rf"mas car[oa]s?{_COMPARED}|de lujo|lujos[oa]s?|premium|most expensive|luxury|"
     rf"alta gama|high end|priciest|highest priced", "price_desc"),
    (r"mas nuev(?:ecit|esit|it)?[oa]s?|mas recientes?|newest|latest|most recent|"
     r"ultimos? modelos?|lo ultimo que (?:entro|llego|tienen|tengan|hay)|"
     r"mas modern[oa]s?|mas actual(?:es)?", "newest"),
)  # fmt: skip
_SORTS = tuple((word_pattern(pattern), sort) for pattern, sort in SORT_WORDS)


def read_sort(text: str) -> tuple[Sort, str]:
    """Return the first order the message asks for ("relevance" if none), and blank them all."""
    sorts, text = collect(_SORTS, text)
    return (sorts[0] if sorts else "relevance"), text


_NOT_COLORS = word_pattern(vocab.NOT_COLOR_PHRASES)
_COLOR = word_pattern("|".join(sorted(vocab.COLOR_WORDS, key=len, reverse=True)))
_COLOR_CUE = re.compile(
    rf"(?<![a-z])(?:{vocab.COLOR_CUE})(?:\s+(?:de|del|en|el|la|es|sea|mas|color|tipo|"
    r"oscuro|claro))*\s*$"
)
_COLOR_HOLDER = re.compile(
    r"(?<![a-z])(?:la|las|yipet\w*|jeepet\w*|carr[oi]\w*|camionet\w*|guagu\w*|pickups?|"
    r"sedan\w*|suvs?|minivans?|hatch\w*)\s*$"
)


# A name another pass read and blanked, or a body word, right after: "white [toyota]".
_NAMED_AFTER = re.compile(
    r" {3,}|\s+(?:yipet\w*|jeepet\w*|carr[oi]\w*|camionet\w*|guagu\w*|pickups?|sedan\w*|suvs?|"
    r"minivans?|hatch\w*|cars?|trucks?)\b"
)
_EN = re.compile(r"(?<![a-z])en\s+$")


def read_colors(text: str, english: bool) -> tuple[set[Color], str]:
    """Read the colours a customer wants: "en rojo", "la blanca", "color gris"."""
    _, text = take(_NOT_COLORS, text)
    said = list(_COLOR.finditer(text))
    ruled = ruled_out_all(text, [m.span() for m in said])
    colors: set[Color] = set()
    not_colors: set[Color] = set()
    used: list[tuple[int, int]] = []
    for i, (m, out) in enumerate(zip(said, ruled, strict=True)):
        word = m.group()
        beside = any(
            abs(other.start() - m.end()) <= 1 or abs(m.start() - other.end()) <= 1
            for other in said[max(0, i - 1) : i + 2]
            if other is not m and other.group() not in vocab.COLOR_WORDS_NEEDING_CUE
        )
        cued = bool(_COLOR_CUE.search(text[: m.start()])) or beside
        # "la naranja", "la yipetica naranja": a colour where a vehicle stands; never money.
        held = word != "plata" and bool(_COLOR_HOLDER.search(text[: m.start()]))
        if word in vocab.COLOR_WORDS_NEEDING_CUE and not (cued or held):
            continue
        if word in vocab.COLOR_WORDS_ENGLISH and not (english or cued):
            # "la blue", "en black", "white toyota": where a vehicle stands, unless it is a
            # Spanish word too ("la red", "en red").
            named = bool(_NAMED_AFTER.match(text, m.end())) or bool(_EN.search(text[: m.start()]))
            if word in vocab.SPANISH_WORDS or not (held or named):
                continue
        used.append(m.span())
        (not_colors if out else colors).add(vocab.COLOR_WORDS[word])
    if not_colors and not colors:
        colors = set(Color) - not_colors  # "que no sea blanca": any other colour
    return colors, blank(text, used)
