"""The words of the trade: body types, fuels and gearboxes, makes, and how names are spelled.

Each table says who reads it. Customers' words are read generously (plurals, diminutives,
one word for several body types); a reply's claim counts only when the word names one fact;
a spreadsheet cell must name exactly one value. Patterns are for folded text (see fold.py).
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Color,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleStatus,
)
from okla.chatbot.text.fold import fold, squash, word_pattern

_B = BodyType

# ---------------------------------------------------------------------------------------------
# Groups of body types that one customer word names, and what they are called back.

CARS = CAR_BODIES  # "carro", "car"
GUAGUAS = frozenset({_B.VAN, _B.MINIVAN})  # "guagua" is either
CAMIONETAS = frozenset({_B.PICKUP, _B.SUV})  # "camioneta" is either
FAMILY = frozenset({_B.SUV, _B.MINIVAN})  # "familiar"

# ---------------------------------------------------------------------------------------------
# Display names (templates)

BODY_ES = {
    _B.SUV: "SUV",
    _B.SEDAN: "sedán",
    _B.HATCHBACK: "hatchback",
    _B.COUPE: "coupé",
    _B.CONVERTIBLE: "convertible",
    _B.PICKUP: "camioneta pickup",
    _B.MINIVAN: "minivan",
    _B.VAN: "guagua",
}
BODY_EN = {
    _B.SUV: "SUV",
    _B.SEDAN: "sedan",
    _B.HATCHBACK: "hatchback",
    _B.COUPE: "coupe",
    _B.CONVERTIBLE: "convertible",
    _B.PICKUP: "pickup",
    _B.MINIVAN: "minivan",
    _B.VAN: "van",
}
FUEL_ES = {
    Fuel.GASOLINE: "gasolina",
    Fuel.DIESEL: "diésel",
    Fuel.HYBRID: "híbrido",
    Fuel.ELECTRIC: "eléctrico",
    Fuel.LPG: "GLP",
}
FUEL_EN = {
    Fuel.GASOLINE: "gasoline",
    Fuel.DIESEL: "diesel",
    Fuel.HYBRID: "hybrid",
    Fuel.ELECTRIC: "electric",
    Fuel.LPG: "LPG",
}
# A fuel after a plural noun, (masculine, feminine): "carros híbridos", "yipetas híbridas".
FUEL_AFTER_ES: dict[Fuel, tuple[str, str]] = {
    Fuel.GASOLINE: ("de gasolina", "de gasolina"),
    Fuel.DIESEL: ("diésel", "diésel"),
    Fuel.HYBRID: ("híbridos", "híbridas"),
    Fuel.ELECTRIC: ("eléctricos", "eléctricas"),
    Fuel.LPG: ("a GLP", "a GLP"),
}
GEAR_ES = {Transmission.AUTOMATIC: "automática", Transmission.MANUAL: "manual"}
GEAR_EN = {Transmission.AUTOMATIC: "automatic", Transmission.MANUAL: "manual"}

# Plural nouns for what the customer asked for, with their gender for the Spanish adjectives.
BODIES_ES: dict[BodyType, tuple[str, bool]] = {
    _B.SUV: ("yipetas", True),
    _B.SEDAN: ("sedanes", False),
    _B.HATCHBACK: ("hatchbacks", False),
    _B.COUPE: ("coupés", False),
    _B.CONVERTIBLE: ("convertibles", False),
    _B.PICKUP: ("camionetas pickup", True),
    _B.MINIVAN: ("minivans", True),
    _B.VAN: ("guaguas", True),
}
BODIES_EN = {
    _B.SUV: "SUVs",
    _B.SEDAN: "sedans",
    _B.HATCHBACK: "hatchbacks",
    _B.COUPE: "coupes",
    _B.CONVERTIBLE: "convertibles",
    _B.PICKUP: "pickups",
    _B.MINIVAN: "minivans",
    _B.VAN: "vans",
}
GROUPS_ES: dict[frozenset[BodyType], tuple[str, bool]] = {
    CARS: ("carros", False),
    GUAGUAS: ("guaguas", True),
    CAMIONETAS: ("camionetas", True),
    FAMILY: ("vehículos familiares", False),
}
GROUPS_EN: dict[frozenset[BodyType], str] = {
    CARS: "cars",
    GUAGUAS: "vans",
    CAMIONETAS: "pickups and SUVs",
    FAMILY: "family vehicles",
}

# ---------------------------------------------------------------------------------------------
# Customers' words (the query parser)

# Checked in order, each match blanked: "minivan" is not also a "van", and "camioneta doble
# cabina" is a pickup, not also an SUV.
BODY_WORDS: tuple[tuple[str, frozenset[BodyType]], ...] = (
    (r"camionet\w* (?:tipo )?(?:pickup|doble cabina)", frozenset({_B.PICKUP})),
    (r"camionet\w* (?:tipo )?(?:yipet\w*|jeepet\w*|suv)", frozenset({_B.SUV})),
    (r"guagu\w* (?:tipo )?minivan", frozenset({_B.MINIVAN})),
    (r"minivans?", frozenset({_B.MINIVAN})),
    (r"(?:yipet|jeepet|jipet|yepet)\w*|suvs?|crossovers?|todo ?terrenos?", frozenset({_B.SUV})),
    (r"guagu\w*", GUAGUAS),
    # Spanish "van" is also "they go": a van is one named with an article ("una van").
    (r"vans|(?:una?|la|las|el|los|the|a|an|any|esa|esta|tipo|cargo|passenger) van(?! al? )"
     r"|van (?:de carga|de pasajeros|para carga)|^van(?! al? )", frozenset({_B.VAN})),
    (r"sedan(?:es|s)?", frozenset({_B.SEDAN})),
    (r"hatch(?:back)?s?", frozenset({_B.HATCHBACK})),
    (r"coupes?", frozenset({_B.COUPE})),
    (r"convertibles?|descapotables?|cabrio(?:let)?s?", frozenset({_B.CONVERTIBLE})),
    (r"camionet\w*", CAMIONETAS),
    (r"pickups?|doble cabina|trucks?", frozenset({_B.PICKUP})),
)  # fmt: skip
# Loose words, counted only when no exact body word was said ("yipeta familiar" is an SUV).
LOOSE_BODY_WORDS: tuple[tuple[str, frozenset[BodyType]], ...] = (
    (r"familiar(?:es)?", FAMILY),
    (r"4x4", frozenset({_B.SUV})),
)
CAR_WORDS = r"carr(?:o|os|ito|itos)|autos?|automovil(?:es)?|cars?|automobiles?"
# Plural car words, which in a stock question are just "vehicles": "¿qué carros tienes?".
PLURAL_CAR_WORDS = r"carros|carritos|autos|automoviles|cars|automobiles"
FUEL_WORDS: tuple[tuple[str, Fuel], ...] = (
    # LPG and diesel first, so their "gas" is not read as gasoline.
    (r"glp|gas licuado|lpg|gas propano|propano|autogas", Fuel.LPG),
    (r"diesel|gasoil|gasoi|gas oil", Fuel.DIESEL),
    (r"gasolinas?(?: premium| regular)?|gasoline|gas|nafta|petrol", Fuel.GASOLINE),
    (r"hibrid[oa]s?|hybrids?|phev|hev", Fuel.HYBRID),
    (r"electric[oa]s?|electric|evs?|bev", Fuel.ELECTRIC),
)
GEAR_WORDS: tuple[tuple[str, Transmission], ...] = (
    # "auto" alone is a car; it is a gearbox only after "caja" or "transmisión".
    (r"(?:caja|transmision|trans) auto(?:matica)?|automatic[oa]s?|automatic|cvt|tiptronic",
     Transmission.AUTOMATIC),
    (r"manual(?:es)?|mecanic[oa]s?|estandar|standard|(?<!caja )de cambios|"
     r"stick(?: shift)?|sincronic[oa]", Transmission.MANUAL),
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# A reply's claims (the guard): words that state one fuel, body or gearbox of a vehicle, with
# the name a problem report gives them. Looser words ("gas", "camioneta") claim nothing sure.

CLAIM_WORDS: tuple[tuple[str, str, frozenset[StrEnum]], ...] = (
    ("gasolina", "gasolina", frozenset({Fuel.GASOLINE})),
    ("gasoline", "gasoline", frozenset({Fuel.GASOLINE})),
    ("diesel", "diesel", frozenset({Fuel.DIESEL})),
    ("hibrido", "hibrid[oa]", frozenset({Fuel.HYBRID})),
    ("hybrid", "hybrid", frozenset({Fuel.HYBRID})),
    ("electrico", "electric[oa]", frozenset({Fuel.ELECTRIC})),
    ("electric", "electric", frozenset({Fuel.ELECTRIC})),
    ("glp", "glp|lpg", frozenset({Fuel.LPG})),
    ("automatica", "automatic[oa]", frozenset({Transmission.AUTOMATIC})),
    ("automatic", "automatic", frozenset({Transmission.AUTOMATIC})),
    ("manual", "manual", frozenset({Transmission.MANUAL})),
    ("yipeta", "yipeta|jeepeta", frozenset({_B.SUV})),
    ("suv", "suv", frozenset({_B.SUV})),
    ("sedan", "sedan", frozenset({_B.SEDAN})),
    ("hatchback", "hatchback", frozenset({_B.HATCHBACK})),
    ("coupe", "coupe", frozenset({_B.COUPE})),
    ("convertible", "convertible", frozenset({_B.CONVERTIBLE})),
    ("pickup", "pick-?up|truck", frozenset({_B.PICKUP})),
    ("minivan", "minivan", frozenset({_B.MINIVAN})),
    ("guagua", "guagua", GUAGUAS),
)

# ---------------------------------------------------------------------------------------------
# Spreadsheet cells (the importer): one value per cell, so "camioneta" is a pickup here.

_CELL_SPANISH: dict[type[StrEnum], dict[str, StrEnum]] = {
    BodyType: {
        "yipeta": _B.SUV,
        "jeepeta": _B.SUV,
        "crossover": _B.SUV,
        "hatch": _B.HATCHBACK,
        "cupe": _B.COUPE,
        "descapotable": _B.CONVERTIBLE,
        "cabriolet": _B.CONVERTIBLE,
        "camioneta": _B.PICKUP,
        "guagua": _B.VAN,
        "minibus": _B.VAN,
    },
    Fuel: {
        "gasolina": Fuel.GASOLINE,
        "gasoil": Fuel.DIESEL,
        "gasoleo": Fuel.DIESEL,
        "hibrido": Fuel.HYBRID,
        "hibrida": Fuel.HYBRID,
        # There is no separate plug-in value; a plug-in hybrid is still a hybrid to a buyer.
        "phev": Fuel.HYBRID,
        "electrico": Fuel.ELECTRIC,
        "electrica": Fuel.ELECTRIC,
        "ev": Fuel.ELECTRIC,
        "glp": Fuel.LPG,
        "gaslicuado": Fuel.LPG,
    },
    Transmission: {
        "automatica": Transmission.AUTOMATIC,
        "automatico": Transmission.AUTOMATIC,
        "cvt": Transmission.AUTOMATIC,
        "mecanica": Transmission.MANUAL,
        "mecanico": Transmission.MANUAL,
        "standard": Transmission.MANUAL,
        "estandar": Transmission.MANUAL,
    },
    Drivetrain: {
        "4x4": Drivetrain.FOUR_BY_FOUR,
        "4wd": Drivetrain.FOUR_BY_FOUR,
        "traccion4x4": Drivetrain.FOUR_BY_FOUR,
        "doble": Drivetrain.FOUR_BY_FOUR,
        "dobletraccion": Drivetrain.FOUR_BY_FOUR,
        "4matic": Drivetrain.AWD,
        "xdrive": Drivetrain.AWD,
        "traccionintegral": Drivetrain.AWD,
        "traccioncompleta": Drivetrain.AWD,
        "delantera": Drivetrain.FWD,
        "tracciondelantera": Drivetrain.FWD,
        "4x2": Drivetrain.RWD,
        "trasera": Drivetrain.RWD,
        "planetraseras": Drivetrain.RWD,
        "tracciontrasera": Drivetrain.RWD,
    },
    VehicleStatus: {
        "disponible": VehicleStatus.AVAILABLE,
        "reservado": VehicleStatus.RESERVED,
        "reservada": VehicleStatus.RESERVED,
        # "Apartado" is how Dominican dealers usually say a car is on hold.
        "apartado": VehicleStatus.RESERVED,
        "apartada": VehicleStatus.RESERVED,
        "vendido": VehicleStatus.SOLD,
        "vendida": VehicleStatus.SOLD,
    },
}


# Every spelling a cell may use, keyed by its squash ("Automática" -> automatica, "pick-up" ->
# pickup): the English value and name, and the Spanish words above.
CELL_WORDS: dict[type[StrEnum], dict[str, StrEnum]] = {
    kind: {
        **{squash(member.value): member for member in kind},
        **{squash(member.name): member for member in kind},
        **words,
    }
    for kind, words in _CELL_SPANISH.items()
}
CELL_HINTS: dict[type[StrEnum], str] = {
    BodyType: "yipeta, sedán, camioneta, guagua",
    Fuel: "gasolina, diésel, híbrido, eléctrico, GLP",
    Transmission: "automática, mecánica",
    Drivetrain: "4x4, doble tracción, tracción delantera, tracción trasera",
    VehicleStatus: "disponible, reservado, vendido",
}

# ---------------------------------------------------------------------------------------------
# Makes

# Makes the market knows, beyond a dealer's own stock: a reply that names one of these is
# talking about a vehicle this dealer may not have.
MARKET_MAKES = frozenset(
    {
        "Acura", "Audi", "BMW", "BYD", "Cadillac", "Changan", "Chery", "Chevrolet", "Chrysler",
        "Dodge", "Ferrari", "Fiat", "Ford", "Geely", "GMC", "Great Wall", "Honda", "Hyundai",
        "Infiniti", "Isuzu", "JAC", "Jaguar", "Jeep", "Kia", "Land Rover", "Lexus", "Mazda",
        "Mercedes-Benz", "MG", "Mini", "Mitsubishi", "Nissan", "Peugeot", "Porsche", "Ram",
        "Renault", "Subaru", "Suzuki", "Tesla", "Toyota", "Volkswagen", "Volvo",
    }
)  # fmt: skip
# Other names customers use for a make, keyed by the make's name_key; an alias only counts
# when the dealer stocks that make.
MAKE_ALIASES: dict[str, tuple[str, ...]] = {
    "chevrolet": ("chevy",),
    "mercedesbenz": ("mercedes", "benz"),
    "volkswagen": ("vw", "volkswagen", "volks"),
    "landrover": ("land rover", "range rover"),
    "mitsubishi": ("mitsu",),
    # Misspellings too far from the name for the parser's one-typo rule.
    "hyundai": ("hundai", "hunday", "hiundai", "hiunday", "hyunday", "jiunday"),
    "nissan": ("nisan",),
}

# ---------------------------------------------------------------------------------------------
# Vehicle names

# Words of model names too common to name the model on their own in a customer's message
# ("Bronco Sport": "sport" is not the Bronco); a one-word model among them needs its make.
COMMON_MODEL_WORDS = frozenset(
    """sport sports one plus max pro van go gt ex lx le se si hybrid electric limited touring
    grand gran land santa new nuevo nueva super classic cab cabina doble double crew base
    premium luxury edition series serie class clase type turbo diesel cross country town city
    model modelo the del las los con por para car cargo wagon sedan coupe hatchback
    convertible pickup truck royal prime star mini air blue red line all xl xlt lt ltz rs ss
    rio up golf polo soul leaf eclipse""".split()
)
# Models and makes that are also everyday words in a reply: they name a vehicle only when
# capitalized or right after a make, so "a good fit" or "feel free to ask about the seat"
# name no Honda Fit or SEAT. A customer typing "explorer" in lower case does mean the Ford.
EVERYDAY_NAMES = frozenset(
    """
    fit note edge escape focus insight journey accent venue crown legacy element rogue march
    spark pilot passport compass discovery defender clarity mirage eclipse ranger explorer
    frontier patriot charger challenger atlas beetle golf polo up one leaf soul rio creta
    versa sonic traverse odyssey ascent outback optima expedition colorado tahoe durango
    city express transit voyager sierra canyon terrain envoy seat smart mini ram genesis jeep
    jaguar dodge lincoln mercury saturn sport cross prime
    """.split()
)
# Capitalized words that may follow a make in a reply without being a model name.
NOT_MODEL_WORDS = frozenset(
    """
    i a an the and or y o e u de del en es el la los las con por para que su sus this that
    is was has have suv suvs pickup pickups sedan sedanes hatchback van vans minivan yipeta
    yipetas jeepeta camioneta camionetas guagua guaguas carro carros car cars truck trucks
    hybrid hibrido hibrida diesel electric electrico electrica gasolina gasoline automatic
    automatica automatico manual new nuevo nueva usado usada used motors motor
    """.split()
)


@lru_cache(maxsize=8192)
def name_parts(name: str) -> tuple[str, ...]:
    """Split a name where spaces, hyphens or a letter/digit change are: 'RAV4' -> rav, 4."""
    return tuple(re.findall(r"[a-z]+|\d+", fold(name)))


def name_key(name: str) -> str:
    """Return a name's letters and digits, so "CR-V", "CRV" and "cr v" share "crv"."""
    return "".join(name_parts(name))


@lru_cache(maxsize=8192)
def name_pattern(name: str, *, plural: bool = False) -> re.Pattern[str] | None:
    """Match a name however it is spaced or hyphenated: crv, cr v, cr-v; rav4, rav 4.

    With `plural`, a last word of three letters or more may take an s: customers ask for
    "corollas". A reply is held to the name as written. None for a name without letters or
    digits, which can name nothing.
    """
    parts = name_parts(name)
    if not parts:
        return None
    ending = "s?" if plural and parts[-1].isalpha() and len(parts[-1]) >= 3 else ""
    return word_pattern(r"[\s-]*".join(parts) + ending)


# ---------------------------------------------------------------------------------------------
# Colours

# Folded colour words, as customers say them and as dealers write them, by family: "la blanca",
# "Blanco perla", "gris oscuro", "plateada", "vino" (a wine red).
COLOR_WORDS: dict[str, Color] = {
    **dict.fromkeys(("blanco", "blanca", "blancos", "blancas", "white", "perla"), Color.WHITE),
    **dict.fromkeys(("negro", "negra", "negros", "negras", "black"), Color.BLACK),
    **dict.fromkeys(("gris", "grises", "gray", "grey", "grafito", "plomo"), Color.GRAY),
    **dict.fromkeys(
        ("plata", "plateado", "plateada", "plateados", "plateadas", "silver"), Color.SILVER
    ),
    **dict.fromkeys(
        ("rojo", "roja", "rojos", "rojas", "red", "vino", "vinotinto", "granate"), Color.RED
    ),
    **dict.fromkeys(("azul", "azules", "blue", "celeste", "marino"), Color.BLUE),
    **dict.fromkeys(("verde", "verdes", "green"), Color.GREEN),
    **dict.fromkeys(("amarillo", "amarilla", "amarillos", "amarillas", "yellow"), Color.YELLOW),
    **dict.fromkeys(("naranja", "naranjas", "anaranjado", "anaranjada", "orange"), Color.ORANGE),
    **dict.fromkeys(("marron", "marrones", "cafe", "chocolate", "brown"), Color.BROWN),
    **dict.fromkeys(("beige", "crema", "arena", "champan", "champagne"), Color.BEIGE),
    **dict.fromkeys(("dorado", "dorada", "dorados", "doradas", "gold"), Color.GOLD),
    **dict.fromkeys(("rosa", "rosado", "rosada", "pink"), Color.PINK),
    **dict.fromkeys(("morado", "morada", "violeta", "lila", "purple"), Color.PURPLE),
}
COLOR_NAMES_ES: dict[Color, tuple[str, str]] = {
    # (masculine, feminine) singular: "el blanco", "la blanca"
    Color.WHITE: ("blanco", "blanca"),
    Color.BLACK: ("negro", "negra"),
    Color.GRAY: ("gris", "gris"),
    Color.SILVER: ("plateado", "plateada"),
    Color.RED: ("rojo", "roja"),
    Color.BLUE: ("azul", "azul"),
    Color.GREEN: ("verde", "verde"),
    Color.YELLOW: ("amarillo", "amarilla"),
    Color.ORANGE: ("naranja", "naranja"),
    Color.BROWN: ("marrón", "marrón"),
    Color.BEIGE: ("beige", "beige"),
    Color.GOLD: ("dorado", "dorada"),
    Color.PINK: ("rosado", "rosada"),
    Color.PURPLE: ("morado", "morada"),
}
COLOR_NAMES_EN: dict[Color, str] = {color: color.value for color in Color}


def color_of(written: str | None) -> Color | None:
    """Return the colour family of a colour as a dealer writes it ("Negro zafiro": black)."""
    if not written:
        return None
    for word in fold(written).split():
        if (family := COLOR_WORDS.get(word)) is not None:
            return family
    return None


# ---------------------------------------------------------------------------------------------
# Drivetrains

DRIVETRAIN_NAMES_ES: dict[Drivetrain, str] = {
    Drivetrain.FOUR_BY_FOUR: "4x4",
    Drivetrain.AWD: "tracción integral (AWD)",
    Drivetrain.FWD: "tracción delantera",
    Drivetrain.RWD: "tracción trasera",
}
DRIVETRAIN_NAMES_EN: dict[Drivetrain, str] = {
    Drivetrain.FOUR_BY_FOUR: "4x4",
    Drivetrain.AWD: "all-wheel drive",
    Drivetrain.FWD: "front-wheel drive",
    Drivetrain.RWD: "rear-wheel drive",
}
# What a customer who asks for "4x4" accepts: real 4x4s and all-wheel drive.
OFF_ROAD = frozenset({Drivetrain.FOUR_BY_FOUR, Drivetrain.AWD})
