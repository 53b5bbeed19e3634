"""The words of the trade: body types, fuels and gearboxes, makes, and how names are spelled.

Each table says who reads it. Customers' words are read generously (plurals, diminutives,
one word for several body types); a reply's claim counts only when the word names one fact;
a spreadsheet cell must name exactly one value. Patterns are for folded text (see fold.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
from okla.chatbot.text.language import detect_language

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
# What a vehicle is for, after "camioneta" or "guagua": "pa' trabajo", "de las que cargan",
# "pa' la finca"; "pa' transporte de personal". Words another pass blanked may stand between.
_WORK = (
    r"(?:para|de|pa) (?:el |la |los |las |mi |un |una )?(?:trabajo|trabajar|carga|cargar|"
    r"finca|campo|construccion|obra|conuco|monte|mercancia|negocio|colmado|ferreteria)|"
    r"(?:de|con) (?:cama|cajon|paila|volteo)|(?:de|d) (?:las|los) que (?:cargan|carga)"
)
_PASSENGERS = (
    r"(?:para|de|pa) (?:el |la |los |las )?(?:transporte|transportar|pasajeros|personal|"
    r"turismo|turistas|excursion\w*|ruta|empleados|estudiantes|escolar|colegio|iglesia)"
)
BODY_WORDS: tuple[tuple[str, frozenset[BodyType]], ...] = (
    (r"camionet\w* (?:tipo )?(?:pickup|doble cabina)", frozenset({_B.PICKUP})),
    (rf"camionet\w*\s+(?:\w+\s+)??(?:{_WORK})", frozenset({_B.PICKUP})),
    (rf"guagu\w*\s+(?:\w+\s+)??(?:{_PASSENGERS})", frozenset({_B.VAN})),
    (r"camionet\w* (?:tipo )?(?:yipet\w*|jeepet\w*|suv)", frozenset({_B.SUV})),
    (r"guagu\w* (?:tipo )?minivan", frozenset({_B.MINIVAN})),
    (r"minivans?", frozenset({_B.MINIVAN})),
    (r"(?:yipet|jeepet|jipet|yepet|llipet|jepet|yeepet|yippet|jeeppet)\w*|suvs?|crossovers?|"
     r"todo ?terrenos?", frozenset({_B.SUV})),
    (r"guagu\w*|wawas?|guawas?", GUAGUAS),
    (r"minibus(?:es)?|microbus(?:es)?|autobus(?:es)?|buses", frozenset({_B.VAN})),
    # Spanish "van" is also "they go": a van is one named with an article ("una van").
    (r"vans|(?:una?|la|las|el|los|the|a|an|any|esa|esta|tipo|cargo|passenger) van(?! al? )"
     r"|van (?:de carga|de pasajeros|para carga)|^van(?! al? )", frozenset({_B.VAN})),
    # "cedan", "zedan", "sedane": the s as Dominicans write and drop it.
    (r"[scz]edan(?:es?|s|cit[oa]s?)?", frozenset({_B.SEDAN})),
    (r"hatch(?:back)?s?", frozenset({_B.HATCHBACK})),
    (r"coupes?", frozenset({_B.COUPE})),
    (r"convertibles?|descapotables?|cabrio(?:let)?s?", frozenset({_B.CONVERTIBLE})),
    (r"camionet\w*", CAMIONETAS),
    # "pickup", "pikup", "picop", "pick-ups", "picap": however it is spelled.
    (r"p[ie](?:ck|k|c|q|kk)[\s-]?[uoa]ps?|doble cabina|trucks?", frozenset({_B.PICKUP})),
)  # fmt: skip
# Loose words, counted only when no exact body word was said ("yipeta familiar" is an SUV).
# "4x4" is a drivetrain (DRIVETRAIN_WORDS), not a body: a Hilux is a 4x4 too.
LOOSE_BODY_WORDS: tuple[tuple[str, frozenset[BodyType]], ...] = (
    (r"familiar(?:es)?", FAMILY),
    # "algo pequeño pa la ciudad": a car, unless a body is named ("una yipeta compacta").
    (r"(?:pequen|chiquit|chiquitic|pequenit|compact)[oa]s?|small car|compact car", CARS),
)
CAR_WORDS = r"carr(?:o|os|ito|itos)|autos?|automovil(?:es)?|cars?|automobiles?"
# Plural car words, which in a stock question are just "vehicles": "¿qué carros tienes?".
PLURAL_CAR_WORDS = r"carros|carritos|autos|automoviles|cars|automobiles"
FUEL_WORDS: tuple[tuple[str, Fuel], ...] = (
    # Diesel first, so its "gas oil" is not gas. In the Dominican Republic "gas" is LPG ("un
    # carro a gas"): gasoline is "gasolina". An English message's "gas" is ENGLISH_FUEL_WORDS'.
    (r"diesel|gasoil|gasoi|gas oil|gasoleo", Fuel.DIESEL),
    (r"glp|gas licuado|lpg|gas propano|propano|autogas|gas", Fuel.LPG),
    (r"gasolinas?(?: premium| regular)?|gasoline|nafta|petrol", Fuel.GASOLINE),
    (r"hibrid[oa]s?|hybrids?|phev|hev", Fuel.HYBRID),
    (r"electric[oa]s?|electric|evs?|bev", Fuel.ELECTRIC),
)
# Read before FUEL_WORDS in an English message: "a gas car" runs on gasoline.
ENGLISH_FUEL_WORDS: tuple[tuple[str, Fuel], ...] = ((r"gas", Fuel.GASOLINE),)
GEAR_WORDS: tuple[tuple[str, Transmission], ...] = (
    # "auto" alone is a car; it is a gearbox only after "caja" or "transmisión".
    (r"(?:caja|transmision|trans) auto(?:matica)?|automatic[oa]s?|automatic|cvt|tiptronic|"
     r"nada de cambios|sin cambios",
     Transmission.AUTOMATIC),
    # "mi mecánico", "un mecánico que la revise": a person, no gearbox.
    (r"manual(?:es)?|(?<!mi )(?<!tu )(?<!su )(?<!mis )(?<!sus )(?<!al )(?<!un )mecanic[oa]s?"
     r"(?! (?:de confianza|para que|pa que|que (?:l[oa]s?|me|le) ))|estandar|standard|"
     # "de cambio(s)", "con cambios": a gearbox changed by hand ("tipo de cambio" is a rate).
     r"(?<!caja )(?<!nada )(?<!tipo )(?<!tasa )(?<!casa )de cambios?"
     r"(?! (?:de|del|automatic\w*|auto)\b)|con cambios|"
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
        "Renault", "Subaru", "Suzuki", "Tesla", "Toyota", "Volkswagen", "Volvo", "Lamborghini",
        "Bentley", "Rolls-Royce", "Maserati", "McLaren", "Bugatti", "Alfa Romeo", "Haval",
        "Jetour", "SsangYong", "Citroen", "Lincoln", "Buick", "Hummer", "Genesis", "Dongfeng",
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
    # How customers call makes a dealer may not carry ("tienen lambo?").
    "lamborghini": ("lambo", "lamborgini", "lamborguini"),
    "rollsroyce": ("rolls royce", "rolls"),
}

# Where makes come from, for "no quiero coreanos" and "una yipeta japonesa": (folded words
# for the origin, the makes). Only the makes a dealer stocks are searched or excluded.
MAKE_ORIGINS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"corean[oa]s?|korean", frozenset({"Hyundai", "Kia", "Genesis", "SsangYong"})),
    (r"japones(?:a|es|as)?|japanese", frozenset({
        "Toyota", "Honda", "Nissan", "Mazda", "Mitsubishi", "Subaru", "Suzuki", "Lexus",
        "Isuzu", "Infiniti", "Acura", "Daihatsu"})),
    (r"chin[oa]s?|chinese", frozenset({
        "BYD", "Chery", "Geely", "Changan", "JAC", "Great Wall", "Haval", "Jetour", "MG",
        "DFSK", "Foton", "BAIC", "JMC", "Dongfeng", "GAC"})),
    (r"aleman(?:a|es|as)?|german", frozenset({
        "BMW", "Mercedes-Benz", "Audi", "Volkswagen", "Porsche", "Opel"})),
    (r"american[oa]s?|gringos?|gringas?|estadounidenses?|american", frozenset({
        "Ford", "Chevrolet", "Jeep", "Dodge", "Ram", "GMC", "Cadillac", "Chrysler", "Tesla",
        "Lincoln", "Buick"})),
)  # fmt: skip

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
    jaguar dodge lincoln mercury saturn sport cross prime alto
    """.split()
)
# Of those, the ones that are Spanish words as well ("un río", "es alto", "la sierra", "un
# escape"): in a Spanish message the others ("¿tienen accent?") can only be the model.
SPANISH_EVERYDAY_NAMES = frozenset(
    """
    rio colorado sierra atlas golf polo mini durango genesis jaguar alto sport cross one up ram
    seat smart express city escape eclipse defender optima creta note jeep versa prime
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


# Models the Dominican market sells, by make: naming one a dealer doesn't stock ("¿tienen
# Accent?", "honda fit hay?") deserves a "no tengo", not a list of something else.
MARKET_MODELS: dict[str, str] = {
    **dict.fromkeys(
        ("Corolla", "Camry", "Yaris", "RAV4", "Hilux", "Land Cruiser", "Prado", "4Runner",
         "Fortuner", "Tacoma", "Tundra", "Sienna", "Highlander", "C-HR", "Rush", "Avanza",
         "Hiace", "Prius"), "Toyota"),
    **dict.fromkeys(
        ("Civic", "Accord", "Fit", "CR-V", "HR-V", "Pilot", "Odyssey", "BR-V"), "Honda"),
    **dict.fromkeys(
        ("Accent", "Elantra", "Sonata", "Tucson", "Santa Fe", "Creta", "Kona", "Venue",
         "Palisade", "H-1", "Grand i10", "Staria"), "Hyundai"),
    **dict.fromkeys(
        ("Picanto", "Rio", "Forte", "K3", "K5", "Optima", "Sportage", "Sorento", "Seltos",
         "Soul", "Carnival", "Niro"), "Kia"),
    **dict.fromkeys(
        ("Sentra", "Versa", "Altima", "Kicks", "X-Trail", "Rogue", "Pathfinder", "Frontier",
         "Navara", "Patrol", "Murano"), "Nissan"),
    **dict.fromkeys(
        ("Mirage", "Lancer", "ASX", "Outlander", "Montero", "Montero Sport", "L200",
         "Eclipse Cross"), "Mitsubishi"),
    **dict.fromkeys(("CX-3", "CX-30", "CX-5", "CX-9", "CX-50", "BT-50", "Mazda3"), "Mazda"),
    **dict.fromkeys(("Swift", "Alto", "Vitara", "Jimny", "Ertiga", "Dzire", "Celerio"), "Suzuki"),
    **dict.fromkeys(
        ("Ranger", "Explorer", "Escape", "Bronco", "Bronco Sport", "F-150", "Expedition",
         "Mustang", "Territory"), "Ford"),
    **dict.fromkeys(
        ("Tahoe", "Colorado", "Silverado", "Equinox", "Traverse", "Spark", "Onix", "Tracker",
         "Suburban", "Captiva"), "Chevrolet"),
    **dict.fromkeys(("Wrangler", "Grand Cherokee", "Cherokee", "Compass", "Renegade"), "Jeep"),
    **dict.fromkeys(("D-Max", "MU-X"), "Isuzu"),
    **dict.fromkeys(("Dolphin", "Song", "Tang", "Seal", "Yuan"), "BYD"),
    **dict.fromkeys(("GLE", "GLC", "GLA", "Clase C", "Clase E"), "Mercedes-Benz"),
    **dict.fromkeys(("X1", "X3", "X5", "X6", "Serie 3"), "BMW"),
    **dict.fromkeys(("RX", "NX", "GX", "LX", "UX"), "Lexus"),
    **dict.fromkeys(("Tiguan", "Jetta", "Golf", "Amarok", "T-Cross"), "Volkswagen"),
}  # fmt: skip


def foreign_models(text: str, stocked: Mapping[str, str]) -> frozenset[tuple[str, str]]:
    """Return the market's (make, model) a message names that the dealer doesn't stock."""
    plain = fold(text)
    found: set[tuple[str, str]] = set()
    stocked_keys = {name_key(model) for model in stocked}
    # An English word in a Spanish message ("¿tienen accent?") is the model's name.
    everyday = EVERYDAY_NAMES if detect_language(text) == "en" else SPANISH_EVERYDAY_NAMES
    for model, make in MARKET_MODELS.items():
        key = name_key(model)
        if key in stocked_keys:
            continue
        # A short or everyday name ("fit", "rio", "song") counts only right after its make.
        alone = len(key) >= 4 and key not in everyday and key not in COMMON_MODEL_WORDS
        names = [f"{make} {model}"] + ([model] if alone else [])
        for name in names:
            pattern = name_pattern(name, plural=True)
            if pattern is not None and pattern.search(plain):
                found.add((make, model))
                break
    # "Grand Cherokee" is not also a "Cherokee".
    keys = {name_key(model) for _, model in found}
    return frozenset(
        (make, model)
        for make, model in found
        if not any(name_key(model) in other and name_key(model) != other for other in keys)
    )


# Market makes that are also everyday words ("una mini van", "un jeep" for any SUV, "ram"):
# naming one of these is no sign the customer wants that make.
_AMBIGUOUS_MAKES = frozenset({"Jeep", "MG", "Mini", "Ram"})


def foreign_makes(text: str, stocked: frozenset[str]) -> frozenset[str]:
    """Return the market's makes a message names that the dealer doesn't stock ("un Ferrari")."""
    plain = fold(text)
    found: set[str] = set()
    for make in MARKET_MAKES - stocked - _AMBIGUOUS_MAKES:
        for name in (make, *MAKE_ALIASES.get(name_key(make), ())):
            pattern = name_pattern(name, plural=True)
            if pattern is not None and pattern.search(plain):
                found.add(make)
    return frozenset(found)


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
    # "Colorado" is also Chevrolet's pickup: only the feminine is read as a colour.
    **dict.fromkeys(("colorada", "coloradas"), Color.RED),
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
# Colours said fondly: "un sedán negrito", "la rosadita", "el blanquito".
COLOR_WORDS |= {
    f"{stem}{ending}": color
    for stem, color in (
        ("negr", Color.BLACK), ("blanqu", Color.WHITE), ("roj", Color.RED),
        ("azul", Color.BLUE), ("gris", Color.GRAY), ("grisec", Color.GRAY),
        ("platead", Color.SILVER), ("verdec", Color.GREEN),
        ("amarill", Color.YELLOW), ("rosad", Color.PINK), ("dorad", Color.GOLD),
        ("morad", Color.PURPLE), ("anaranjad", Color.ORANGE),
    )
    for ending in ("ito", "ita", "itos", "itas")
}  # fmt: skip
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
# Colour words that mean something else as often ("vino" is also "came", "plata" money,
# "café" coffee, "rosa" a name): a customer's means a colour only after "color" or "tono",
# or beside a plainer colour word ("azul marino", "blanco perla").
COLOR_WORDS_NEEDING_CUE = frozenset(
    """vino vinotinto granate plata perla crema arena cafe chocolate marino celeste rosa
    naranja naranjas lila violeta plomo grafito champan champagne""".split()
)
# English colour words: in a Spanish message "red" is a network. They count in an English
# message, or after a cue.
COLOR_WORDS_ENGLISH = frozenset(
    "white black gray grey silver red blue green yellow orange brown gold pink purple".split()
)
# English colour words that are Spanish words too: "la red" is a network.
SPANISH_WORDS = frozenset({"red"})
# What cues a colour: "color rojo", "de color gris", "en tono azul".
COLOR_CUE = r"colou?re?s?|tono|pintura|paint"
# Phrases where a colour word describes no vehicle.
NOT_COLOR_PHRASES = (
    r"cheque en blanco|en blanco y negro|carta blanca|marca blanca|mercado negro|lista negra|"
    r"viernes negro|black friday|luz verde|green light|zona roja|red flag|numeros? rojos?|"
    r"en rojo y negro|linea blanca|white list|blacklist|black list|"
    # "klk mi negro": how friends call each other, no colour.
    r"mis? negr[oa]s?|mis? negrit[oa]s?|mis? blanquit[oa]s?|mis? morenit[oa]s?"
)


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
# What a customer who asks for "4x4" wants: a real 4x4 (with low range), not all-wheel drive,
# which is no help on the country's unpaved roads.
OFF_ROAD = frozenset({Drivetrain.FOUR_BY_FOUR})
# Customers' drivetrain words (the query parser), in folded text where "4 x 4" is already
# written "4x4". Checked in order, each match blanked.
DRIVETRAIN_WORDS: tuple[tuple[str, frozenset[Drivetrain]], ...] = (
    (r"awd|all[ -]?wheel[ -]?drive|traccion (?:integral|completa|permanente)|4matic|xdrive|"
     r"quattro", frozenset({Drivetrain.AWD})),
    (r"4x4|4wd|4 ?por ?4|cuatro por cuatro|four by four|(?:4|four)[ -]?wheel[ -]?drive|"
     r"doble traccion|traccion (?:doble|en las (?:4|cuatro)(?: ruedas)?|(?:4|cuatro)|total|4x4)",
     OFF_ROAD),
    (r"4x2|2wd|2x4|traccion sencilla|(?:2|two)[ -]?wheel[ -]?drive",
     frozenset({Drivetrain.FWD, Drivetrain.RWD})),
    (r"traccion delantera|fwd|front[ -]?wheel[ -]?drive", frozenset({Drivetrain.FWD})),
    (r"traccion trasera|rwd|rear[ -]?wheel[ -]?drive", frozenset({Drivetrain.RWD})),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Typos (text/spelling.py)

# Words of the trade that customers misspell ("yipetta", "camionetta", "diesl"), as the
# parser's patterns read them. The dealer's makes and models are added per dealer.
TYPO_WORDS = frozenset(
    """yipeta jeepeta camioneta guagua minivan hatchback convertible pickup crossover gasolina
    diesel gasoil hibrido hibrida electrico electrica automatica automatico mecanica mecanico
    kilometraje kilometros millaje traccion""".split()
)
# Frequent Spanish and English words within a typo of a make, a model of the market or a
# word of the trade ("manda" of Mazda, "frontera" of Frontier, "shift" of Swift, "sunday" of
# the Hyundai misspelling "hunday"; "onda" of Honda and "monte" of the Montero by ear, "mira"
# of the Mirage cut short): they mean themselves, so they are never corrected. Made with
# wordfreq (words of zipf 2 or more the spelling rules, text/spelling.py, would have changed),
# less the rare ones customers write for a model ("corola", "siena", "sorrento", "takoma",
# "toyo", "yari", "hyun", "kick"); add a word here when a new name or trade word brings a new
# neighbour.
COMMON_WORDS = frozenset(
    """aalto abadia abal acacia acadian accept acco accor accra acera actos acuda acudi acudia
    acuna acusa agenda agendas aguar alevin alito almada altas altho altiva alton alvin amada
    amar amaro amaron anadia aptos apura arcada arcadia armaba armado aromatica aromatico
    arribo arvada ascent asura ateos athos atlus atmos atoms atras audio audit aulas
    autocratico automatismo automatizar aval avan avanzan avanzar avanzo beast beata beato
    beaty beatz beaut beens begat bens bent benue benzo berza blaze blazed blazes branco brinco
    bronca bronce buga callender camano camara camargo camaron camionero cammy campy cannon
    canon canton capt captive careta carnaval carry cautiva cele centra cerati cerrato
    challenge challenged challenges chan chang changa changer changin charge charged charges
    charmer charter cheery cher cheri cherry chert cheryl cheta chingan cierra civica civico
    civil clas class classe classico colocado color colorada coloreado colorido commanded
    commandeer commandos commended commenter comp compa compas compases compita compito cona
    convertire convertirla convertirlo convertirme convertirse convertirte convertiste cooker
    cooler cooped coopera coopero cooter copper coriander coro countrymen cowper craze creat
    creia cresta cretan crete crosstalk cruce crude cruise cruised cruises cruje cruse curato
    daigo dardo dario darko darlo defended defendera defendere deliver delivers depender
    deposit deposita deposite deposits descuenta descuentan deteccion difraccion direccional
    direction directions discover discovered discoverer discovers diseccion dodged dodger dodgy
    domingo drago durando dusted eclectica eclectico edged efectiva electivo electrical
    electrician electrodo electronica electronico equi equino equinos esca escalada escalado
    escalate escapa escapade escaped escapee escapen escapo escupe estar estaria everett
    expedicion expediting expeditious exploran explorar explore explored exploren explores
    exposition ferrara ferraro festa ficus fision fjord focas focos foerster fonte foote force
    forested forge forme forrester forster fort forth forthe forts fortuita fortuito fortuitos
    fortunas fortune fortunes forty friday frond front fronting fusiona fusiono galloped
    garantiza geeky generis gladiador gracia gracian gracias grafias greely grooved groovy
    grove gunter halal hava havas havel highland highlands hola hondo hondt honra horacio
    horaria horarias horatio horda hunchback hunger hunker hunted impresa impureza infinita
    infinite infinito infinity ionia ionic iwan jabal jagua jetty jimmy jingle jinny kilometers
    kilometres kilometro kinks kit knicks krona lamb lance lancen lances lancet lander langer
    lanier lemus lexis ligan logano logar login logon logran lohan loman loran macana macao
    macau macaw macon madan magda mahan makan malan maman manda marca marcan marcha marche
    marchi marcho marci marco marcy marsh marth maser matan match matriculado matricular
    matriculo matsu maxim maximal maxime maximo maxims mayan merced merceditas merch minny mira
    mirame mirare mirase mirate mitsui moaning mobil modelos modems modes mojave monday monero
    mont monte montecito montego monteiro montejo montera montoro mooning mornin mortero mosely
    motels mourning mura must nairo nava navaja navarra nisar nitro nolte norte noted noten
    notre notte onda onyx oprima opti optica optimal optimo orochi paced pacer pacey pacte
    pajaro panadera panamena panero parado parce pardo parter passa patron peace pica pican
    picando picante picot pilo pilon piloto pinot pirado pivot place poder poker poner porche
    poser power prada prato preso presos press presse presto rager raine raise rang range
    ranged rangel ranges rena renegado renner reserva reservan reservas ringer rio rois roll
    rollito rollitos roque rouge roush sabado sahil saltos sander sanders sandro sant santero
    sarada saturday scarlet seale sealy sedal segal sellos senal sendero senna senora sent
    sentar sentara sentia sentira sentry seong sequia seri serra setos sharia shark shift
    shortage sien sienta sierva silvera singer sintra slinger snail snark sona sonaba sonada
    sonara sones soneto songz sonnet soong sore sorolla spank spar sparc spare sparky spars
    splinter springer sprinted stadia stare stared stares stark steal stinker storia strata
    strava stringer suba suburb suburbana suburbano suburbia suburbio sueltos sufra sunday
    supera sutra swinger taco tacos talos tamos tanga tango tangy tazos tecla telefoneo tella
    tellurium tendra terran terrapin territorio tessa testa thacker thang thursday tilda timida
    torax tordo toreo torio tormo torno torso tracer track tracked traction traerse trai traia
    traicion traill train trait trang transference transita transito transmit transparencia
    traspasa travers traversed traverso trawl trial trucker tsang tuareg tuesday twang ubicadas
    ubicado ubicamos unfit unita unite unity unlit urban valar velan velara velas velez velos
    vence vende vente venus veras verda verga veria verja verla verma verna vers versan verse
    verso vetar vilar virtud virtue virtues virus visto vita vitor vitro vitus volar volco
    voles volts volve volvi volvio votara wagoner wednesday wiggle winkle wrangle xander xtra
    yace yards yarns zeal zhong zong""".split()
)
