"""What a message points at among the vehicles already shown, and what it asks of them.

"la segunda", "esa", "de esas cuál es la más barata", "¿tienes otras?", "cuál es mejor, la
RAV4 o la CX-5", "¿y la Hilux es 4x4?": the words are read here; which vehicles they mean is
decided against the conversation's state when the reply is planned (reply/focus.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from okla.chatbot.inventory.domain import VehicleQuery
from okla.chatbot.text.fold import fold, spell_out, word_pattern


@dataclass(frozen=True)
class Ordinal:
    """A vehicle by its place in the list shown: 0 is the first, -1 the last."""

    position: int


@dataclass(frozen=True)
class ThisOne:
    """The vehicle in focus: "esa", "ese", "that one", "it"."""


@dataclass(frozen=True)
class AmongShown:
    """The vehicles just shown, as a group: "de esas", "of those"."""


@dataclass(frozen=True)
class Others:
    """More of the same search, beyond what was shown: "¿tienes otras?"."""


@dataclass(frozen=True)
class TheOther:
    """Of two vehicles shown, the one not in focus: "¿y la otra?"."""


@dataclass(frozen=True)
class Cheaper:
    """The same search, below the prices shown: "¿y más baratas?", "anything cheaper?"."""


@dataclass(frozen=True)
class Compare:
    """Two or more vehicles side by side: "cuál es mejor, la RAV4 o la CX-5"."""

    positions: tuple[int, ...] = ()  # places in the list, when said ("la primera o la segunda")


Reference = Ordinal | ThisOne | TheOther | AmongShown | Others | Cheaper | Compare


class Fact(StrEnum):
    """What a customer may ask about one vehicle."""

    PRICE = "price"
    YEAR = "year"
    MILEAGE = "mileage"
    DRIVETRAIN = "drivetrain"
    COLOR = "color"
    FUEL = "fuel"
    TRANSMISSION = "transmission"
    SEATS = "seats"
    AVAILABLE = "available"


_ORDINAL_WORDS = {
    "primer": 0, "primera": 0, "primero": 0, "1ra": 0, "1ro": 0, "1era": 0, "1er": 0,
    "first": 0, "segunda": 1, "segundo": 1, "2da": 1, "2do": 1, "second": 1, "tercera": 2,
    "tercero": 2, "tercer": 2, "3ra": 2, "3ro": 2, "3era": 2, "third": 2, "cuarta": 3,
    "cuarto": 3, "4ta": 3, "4to": 3, "fourth": 3, "quinta": 4, "quinto": 4, "5ta": 4, "5to": 4,
    "fifth": 4, "ultima": -1, "ultimo": -1, "last": -1, "penultima": -2, "penultimo": -2,
}  # fmt: skip
_ORDINAL = word_pattern(
    rf"(?P<word>{'|'.join(sorted(_ORDINAL_WORDS, key=len, reverse=True))})"
    # "de segunda (mano)", "la primera vez", "tercera fila" are not places in a list.
    r"(?! (?:mano|vez|fila|linea|generacion|edicion|hand|time|row))"
)
# "la 2", "la #2", "opción 2", "número 2", "the 2nd one": a digit that is a place in the list.
_NUMBERED = word_pattern(
    r"(?:opcion|numero|num|option|number|#|la|el|the)\s?#?(?P<n>[1-9])"
    r"(?! ?(?:palos?|millon\w*|mil|k|m|mm|puertas|pasajeros|filas?|anos?|km|horas?|pm|am|"
    r"de (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    r"diciembre)))"
    r"(?:da|do|ra|ro|nd|st|rd|th)?"
)
_THIS_ONE = word_pattern(
    r"esa|ese|esta|este|esas dos|aquella|aquel|la misma|el mismo|that one|this one|that car|"
    r"this car|(?:me gusta|me interesa|quiero|la quiero|lo quiero|i like|i want) "
    r"(?:esa|ese|it|that)"
)
_AMONG_SHOWN = word_pattern(
    r"de (?:esas|esos|estas|estos|ellas|ellos|las que (?:me )?(?:mostraste|enviaste|mandaste|"
    r"pasaste|ensenaste)|los que (?:me )?(?:mostraste|enviaste|mandaste|pasaste))|entre "
    r"(?:esas|esos|estas|estos|ellas|ellos)|of (?:those|these|them)|among (?:those|them)|"
    r"cual de (?:las|los) (?:que|tres|dos|cinco|cuatro)"
)
_OTHERS = word_pattern(
    r"(?:tienes|tienen|hay|tiene|no tienes|no tienen|no hay) (?:otr[ao]s?|mas)(?! caro| barat)|"
    r"otr[ao]s? (?:opcion(?:es)?|modelos?|mas|que)|mas opciones|algo mas|"
    r"que mas (?:tienes|tienen|hay)|"
    r"alguna otra|alguna mas|(?:any|some) (?:others|other ones|more)|anything else|"
    r"more options|other options|^\W*(?:y )?otr[ao]s?\W*$"
)
_THE_OTHER = re.compile(
    r"^\W*(?:(?:y|ok|pues|and)\W+)*(?:la|el) otr[ao](?! (?:opcion|cosa|vez|dia|modelo|marca))"
    r"\W*(?:\?|$)|(?<![a-z])(?:the other one|and the other)(?![a-z])"
)
# "más baratas", "algo más económico", but not "la más barata" nor "del más barato al más
# caro" (those are an order).
_CHEAPER = re.compile(
    r"(?<!\bla )(?<!\bel )(?<!\blas )(?<!\blos )(?<!\bdel )(?<!\bal )(?<!\blo )(?<![a-z])"
    r"mas (?:barat|economic)[oa]s?(?![a-z])"
    r"|(?<![a-z])(?:cheaper|less expensive)(?![a-z])"
)
_COMPARE = word_pattern(
    r"(?:cual|que|which) (?:es|seria|sera|esta|is|one is|would be) (?:mejor|better|"
    r"mas recomendable|recomiendas|the best)|cual (?:me )?recomiendas|cual me conviene|"
    r"compar\w*|diferencia\w* entre|differences? between|vs\.?|versus|(?:mejor|better) "
    r"(?:la|el|the) \w+ (?:o|or) (?:la|el|the)"
)
# A question without its question mark: "y la hilux es 4x4", "cuanto cuesta la tucson".
_QUESTION = re.compile(
    r"^\W*(?:(?:ok|okey|y|pues|bueno|and|so|oye|mira|dime)\W+)*(?:es|son|tiene|tienen|trae|"
    r"viene|esta|cuanto|cuanta|cuantos|cual|cuales|que|de que|como|donde|is|does|do|has|how|"
    r"what|which)\b"
)
_ASKS = word_pattern(
    r"es|son|tiene|tienen|trae|traen|viene|vienen|esta|cuanto|cuanta|cuantos|cuantas|cual|"
    r"que|como|sigue|siguen|todavia|aun|ya|vendi\w*|is|does|do|has|how|what|which|was|are|"
    r"hay|tienes"
)
# Facts asked by their name alone ("¿y el precio?", "¿y el millaje?"): a question, where a value
# alone ("¿y automática?") narrows the search instead.
_FACT_NOUNS = word_pattern(
    r"precio|price|cost|millaje|kilometraje|recorrido|mileage|ano|year|color|colou?r|"
    r"pasajeros|asientos|seats|combustible|fuel|transmision|caja|traccion"
)
_FACTS: tuple[tuple[re.Pattern[str], Fact], ...] = tuple(
    (word_pattern(pattern), fact)
    for pattern, fact in (
        (r"cuanto (?:cuesta|vale|sale|es|esta|pide[ns]?)|(?:que|cual es el|el) precio|"
         r"en cuanto|how much|price|cost", Fact.PRICE),
        (r"(?:de )?que ano|que modelo es|de cual ano|what year|how old", Fact.YEAR),
        (r"cuantos? (?:km|kilometros|millas|millaje)|kilometraje|millaje|recorrido|mileage|"
         r"how many (?:km|miles)", Fact.MILEAGE),
        (r"4 ?x ?4|doble traccion|traccion|awd|4wd|all wheel|four wheel", Fact.DRIVETRAIN),
        (r"(?:de )?que color|color|colou?r", Fact.COLOR),
        (r"gasolina|diesel|gasoil|hibrid[oa]|electric[oa]|glp|gas|que combustible|fuel|"
         r"gasoline|hybrid", Fact.FUEL),
        (r"automatic[oa]|mecanic[oa]|manual|transmision|caja|gearbox|transmission",
         Fact.TRANSMISSION),
        (r"cuant[oa]s (?:pasajeros|asientos|puestos|personas|gente|caben)|pasajeros|asientos|"
         r"filas|seats|how many (?:people|passengers)", Fact.SEATS),
        (r"^\W*(?:y\s+)?(?:tienen|tienes|hay)\b|^\W*(?:and\s+)?do (?:you|u) (?:still )?have\b|"
         r"disponible|la tienen|lo tienen|todavia|aun (?:la|lo) tienen|vendid[oa]|"
         r"(?:la|lo|se) vendi\w*|sigue(?:n)? (?:ahi|ahí|disponible|en venta)|still available|"
         r"available|(?:is it|was it) sold|sold (?:it|already)", Fact.AVAILABLE),
    )
)  # fmt: skip


# "la blanca", "y la de 12 pasajeros", "esa negra", "me gusta la Toyota": a vehicle picked out
# by what it is like, among those shown.
_DESCRIBING = re.compile(
    r"^\W*(?:(?:ok|okey|pues|y|pero|entonces|bueno|and|so|what about|how about)\W+)*"
    r"(?:(?:me gusta|me interesa|quiero|prefiero|i like|i want)\s+)?"
    r"(?:la|el|esa|ese|esta|este|aquella|aquel|the)\b"
)
# "cuál es la más barata", "which one has the lowest mileage": asks for one vehicle.
_WHICH = re.compile(
    r"(?<![a-z])(?:cual|which|what'?s the|what is the|que (?:carro|yipeta|vehiculo|camioneta))"
    r"(?![a-z])|^\W*(?:y\s+)?(?:la|el|the) (?:que|q|one)?\s*(?:mas|de menos|with the|tenga menos)"
    r"(?![a-z])"
)
# "las más baratas", "los de menos millaje", "the cheapest ones": several, in that order.
_PLURAL = re.compile(r"(?<![a-z])(?:las|los|cuales) (?:mas|de menos|que)|(?<![a-z])ones(?![a-z])")


# "¿Cuánto es el inicial?", "¿qué necesito para financiar?": a question about the terms.
_TERMS = re.compile(
    r"(?<![a-z])(?:cuanto|cual|como|que (?:necesito|piden|requisitos)|requisitos?|minimo|"
    r"how much|what do i need)(?![a-z])"
)


def asks_terms(text: str) -> bool:
    """Tell whether the message asks about terms (the down payment, the requirements)."""
    return bool(_TERMS.search(_plain(text)))


def cheaper(text: str) -> bool:
    """Tell whether the message asks for something cheaper ("más baratas", "cheaper")."""
    return bool(_CHEAPER.search(_plain(text)))


def describes_one(text: str) -> bool:
    """Tell whether the message picks a vehicle by what it is like ("y la blanca?")."""
    return bool(_DESCRIBING.search(_plain(text)))


def asks_which(text: str) -> bool:
    """Tell whether the message asks for one vehicle ("¿cuál es la más barata?")."""
    plain = _plain(text)
    return bool(_WHICH.search(plain)) and not _PLURAL.search(plain)


# "¿cuáles hay?", "¿tienen de gasolina?", "any in white?": more vehicles, not one's facts.
_SEVERAL = re.compile(
    r"(?<![a-z])(?:cuales|hay|(?<!la )(?<!lo )(?:tienen|tienes)(?! (?:la|lo|el)\b)|otras?|"
    r"otros?|opciones|any|ones|which ones)(?![a-z])"
)


_ONLY = re.compile(r"^\W*(?:y\s+)?(?:solo|solamente|nada mas|only|just)(?![a-z])")


def narrows_to_body(text: str, said: VehicleQuery) -> bool:
    """Tell whether the message keeps the search to one kind of vehicle ("solo yipetas")."""
    return (
        bool(said.body_types)
        and not (said.makes or said.models)
        and bool(_ONLY.search(_plain(text)))
    )


def asks_several(text: str) -> bool:
    """Tell whether the message asks for vehicles ("¿y de gasolina cuáles hay?")."""
    return bool(_SEVERAL.search(_plain(text)))


def _plain(text: str) -> str:
    """Fold the text and write its shorthand out ("d esas" is "de esas", "q" is "que")."""
    return spell_out(fold(text))


def find_reference(text: str) -> Reference | None:
    """Return what the message points at among the vehicles shown, if it points at any."""
    plain = _plain(text)
    positions = _positions(plain)
    if _COMPARE.search(plain):
        return Compare(tuple(positions))
    if positions:
        return Ordinal(positions[0])
    if _AMONG_SHOWN.search(plain):
        return AmongShown()
    if _THE_OTHER.search(plain):
        return TheOther()
    if _CHEAPER.search(plain) and not _WHICH.search(plain):
        return Cheaper()
    if _CHEAPER.search(plain):
        return AmongShown()  # "which one is cheaper?": of those shown
    if _OTHERS.search(plain):
        return Others()
    if _THIS_ONE.search(plain):
        return ThisOne()
    return None


# Words that ask a fact wherever they stand, question mark or not: "la guagua hiace cuántos
# pasajeros es", "la tucson de qué año es".
_ASKING_WORDS = word_pattern(
    r"cuant[oa]s? (?:pasajeros|asientos|puestos|personas|gente|caben|km|kilometros|millas|"
    r"millaje|cuesta|vale|sale)|"
    r"(?:de )?que (?:ano|color|combustible|transmision|caja|traccion)|"
    r"how (?:much|many|old)|what (?:year|colou?r)"
)


def asked_facts(text: str) -> frozenset[Fact]:
    """Return what a question asks about a vehicle (its price, whether it's 4x4...)."""
    plain = _plain(text)
    asked = "?" in plain and (_ASKS.search(plain) or _FACT_NOUNS.search(plain))
    if not _QUESTION.search(plain) and not asked and not _ASKING_WORDS.search(plain):
        # "busco una Hilux diésel" names facts but asks none, and neither does "¿y automática?"
        # (the search, narrowed): a question about a vehicle has a verb or a question word.
        return frozenset()
    return frozenset(fact for pattern, fact in _FACTS if pattern.search(plain))


def _positions(plain: str) -> list[int]:
    found = [(m.start(), _ORDINAL_WORDS[m.group("word")]) for m in _ORDINAL.finditer(plain)]
    found += [(m.start(), int(m.group("n")) - 1) for m in _NUMBERED.finditer(plain)]
    return [position for _, position in sorted(found)]
