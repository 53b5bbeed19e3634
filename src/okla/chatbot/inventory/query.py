"""Understand what a customer asks for, in Spanish (Dominican too) or English, without the LLM."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Fuel,
    Sort,
    Transmission,
    VehicleQuery,
)


def normalize(text: str) -> str:
    """Lower-case, strip accents, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


class Intent(StrEnum):
    """What the customer wants from this message."""

    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    HUMAN = "human"
    FINANCING = "financing"
    DISCOUNT = "discount"
    SEARCH = "search"
    OTHER = "other"


@dataclass(frozen=True)
class Catalog:
    """The vocabulary of one dealer's stock, to recognise makes and models."""

    makes: frozenset[str] = frozenset()
    models: Mapping[str, str] = field(default_factory=dict)


_INTENTS: dict[Intent, str] = {
    Intent.GREETING: r"^(hola|buen(os|as) (dias|tardes|noches)|saludos|klk|hello|hi|hey|good "
    r"(morning|afternoon|evening))\b",
    Intent.THANKS: r"\b(gracias|thanks|thank you|te agradezco)\b",
    Intent.GOODBYE: r"\b(adios|chao|hasta luego|bye|goodbye|nos vemos)\b",
    Intent.HUMAN: r"\b(asesor|vendedor|agente|humano|persona real|una persona|representante|"
    r"llamenme|llamame|human|agent|salesperson|sales rep|real person)\b",
    Intent.FINANCING: r"\b(financiamiento|financiar|financiado|a plazos|cuotas?|inicial|"
    r"prestamo|credito|financing|finance|loan|monthly payment|down payment)\b",
    Intent.DISCOUNT: r"\b(descuento|rebaja|me lo dejas|me la dejas|mejor precio|negociable|"
    r"negociar|discount|lower price|best price|por 1 peso|por un peso)\b",
    Intent.SEARCH: r"\b(vehiculos?|carros?|autos?|yipetas?|jeepetas?|jipetas?|guaguas?|"
    r"camionetas?|pick ?ups?|sedan|suvs?|minivan|vans?|hatchback|tienen|tienes|hay|busco|"
    r"buscando|quiero|necesito|disponibles?|inventario|precio|cuanto|cuesta|vale|modelos?|"
    r"cars?|vehicles?|trucks?|have|looking|price|cost|available|stock)\b",
}


def detect_intents(text: str) -> set[Intent]:
    """Return every intent the message shows (SEARCH when it asks about vehicles)."""
    plain = normalize(text)
    found = {intent for intent, pattern in _INTENTS.items() if re.search(pattern, plain)}
    return found or {Intent.OTHER}


_MAKE_ALIASES = {
    "chevy": "Chevrolet",
    "mercedes": "Mercedes-Benz",
    "benz": "Mercedes-Benz",
    "vw": "Volkswagen",
    "mitsu": "Mitsubishi",
    "range rover": "Land Rover",
}
_MODEL_STOPWORDS = {"sport", "one", "plus", "max", "pro", "van", "go", "gt", "ex", "lx", "hybrid"}

_BODY_WORDS: list[tuple[str, frozenset[BodyType]]] = [
    (r"yipet\w*|jeepet\w*|jipet\w*|suvs?|crossovers?|4x4", frozenset({BodyType.SUV})),
    (r"guagu\w*", frozenset({BodyType.VAN, BodyType.MINIVAN})),
    (r"mini ?vans?", frozenset({BodyType.MINIVAN})),
    (r"vans?", frozenset({BodyType.VAN})),
    (r"sedan(es)?", frozenset({BodyType.SEDAN})),
    (r"hatch(back)?s?", frozenset({BodyType.HATCHBACK})),
    (r"coupes?", frozenset({BodyType.COUPE})),
    (r"convertibles?|descapotables?", frozenset({BodyType.CONVERTIBLE})),
    (r"camionet\w*", frozenset({BodyType.PICKUP, BodyType.SUV})),
    (r"pick ?-?ups?|doble cabina|trucks?", frozenset({BodyType.PICKUP})),
    (r"familiar", frozenset({BodyType.SUV, BodyType.MINIVAN})),
]
_CAR_WORDS = r"carr(o|os|ito|itos)|cars?"

_FUELS: list[tuple[str, Fuel]] = [
    (r"gasolina|gasoline|gas(?! licuado)(?!oil|oi)", Fuel.GASOLINE),
    (r"diesel|gasoil|gasoi", Fuel.DIESEL),
    (r"hibrid[oa]s?|hybrids?", Fuel.HYBRID),
    (r"electric[oa]s?|electric|evs?", Fuel.ELECTRIC),
    (r"glp|gas licuado|lpg", Fuel.LPG),
]
_GEARS: list[tuple[str, Transmission]] = [
    (r"automatic[oa]s?|automatic|caja auto|transmision auto", Transmission.AUTOMATIC),
    (r"manual(es)?|mecanic[oa]s?|estandar|standard|de cambios|stick", Transmission.MANUAL),
]
_SORTS: list[tuple[str, Sort]] = [
    (r"mas barat\w*|barat\w*|economic\w*|cheap\w*|affordable", "price_asc"),
    (r"mas car[oa]s?|de lujo|lujos\w*|premium|most expensive|luxury", "price_desc"),
    (r"mas nuev[oa]s?|newest|latest", "newest"),
]

# Money: a number, then an optional unit (millones, mil, M, k).
_AMOUNT = (
    r"(?:rd\$|us\$|\$)?\s?(\d+(?:[.,]\d+)*)\s*"
    r"(millones|millon|million|mm|m|mil|k)?(?![a-z0-9])"
)
_MONEY_TOKENS = (
    r"(?:rd\$|us\$|\$)\s?[\d.,]+|\d+(?:[.,]\d+)*\s*(?:millones|millon|million|mm|mil|k|m)"
    r"(?![a-z])|\d{1,3}(?:[.,]\d{3})+|\d{5,}|\d[\d,.]*\s*km"
)
_UPPER = r"menos de|hasta|maximo|max|no mas de|por debajo de|under|below|less than|up to|tope"
_LOWER = r"mas de|minimo|desde|por encima de|over|above|more than|at least"
_AROUND = r"alrededor de|como|unos|around|about|cerca de|de"


def _amount(number: str, unit: str | None) -> int | None:
    """Turn '1.5' + 'millones', '2,700,000', '800' + 'mil' into pesos."""
    if unit in ("millones", "millon", "million", "mm", "m"):
        value = float(number.replace(",", "."))
        return int(round(value * 1_000_000))
    if unit in ("mil", "k"):
        return int(round(float(number.replace(",", ".")) * 1_000))
    digits = re.sub(r"[.,]", "", number)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", number) or len(digits) >= 5:
        return int(digits)
    return None


def _prices(text: str, today_year: int) -> tuple[int | None, int | None]:
    text = re.sub(r"(\d+) millon(?:es)? y medio", r"\1.5 millones", text)
    text = re.sub(r"\bun millon y medio", "1.5 millones", text)
    text = re.sub(r"medio millon", "500 mil", text)
    between = re.search(
        rf"(?:entre|between|de)\s+{_AMOUNT}\s*(?:y|and|a|-|to)\s*{_AMOUNT}", text
    ) or re.search(rf"{_AMOUNT}\s*-\s*{_AMOUNT}", text)
    if between:
        unit = between.group(4) or between.group(2)
        low = _amount(between.group(1), between.group(2) or unit)
        high = _amount(between.group(3), unit)
        if low and high and low < high and low > today_year + 1:
            return low, high
    for words, kind in ((_UPPER, "max"), (_LOWER, "min"), (_AROUND, "around")):
        for match in re.finditer(rf"(?:{words})\s+{_AMOUNT}", text):
            if re.match(
                r"\s*(km|kilometros|millas|pasajeros|asientos|puertas)", text[match.end() :]
            ):
                continue
            value = _amount(match.group(1), match.group(2))
            if value is None or (match.group(2) is None and 1980 <= value <= today_year + 1):
                continue
            if kind == "max":
                return None, value
            if kind == "min":
                return value, None
            return round(value * 0.85), round(value * 1.15)
    for match in re.finditer(_AMOUNT, text):
        unit = match.group(2)
        if unit in ("millones", "millon", "million", "mm", "mil", "k") or (
            unit == "m" and re.match(r"\d", match.group(1))
        ):
            value = _amount(match.group(1), unit)
            if value:
                return round(value * 0.85), round(value * 1.15)
        if match.group(0).strip().startswith(("rd$", "$", "us$")):
            value = _amount(match.group(1), unit)
            if value:
                return round(value * 0.85), round(value * 1.15)
    return None, None


def _years(text: str, today_year: int) -> tuple[int | None, int | None]:
    year = r"(19[89]\d|20\d\d)"

    def ok(value: str) -> int | None:
        n = int(value)
        return n if 1980 <= n <= today_year + 1 else None

    if m := re.search(rf"(?:entre|between)\s+{year}\s+(?:y|and)\s+{year}", text):
        return ok(m.group(1)), ok(m.group(2))
    if m := re.search(rf"(?:after|despues de(?:l)?)\s+{year}", text):
        value = ok(m.group(1))
        return (value + 1 if value else None), None
    if m := re.search(rf"(?:antes de(?:l)?|older than|before)\s+{year}", text):
        value = ok(m.group(1))
        return None, (value - 1 if value else None)
    if m := re.search(rf"(?:desde|from|del?)\s+(?:el\s+)?{year}\s+(?:en adelante|o mas nuevo|"
                      rf"para arriba|or newer|and up|pa' arriba|pa arriba)", text):  # fmt: skip
        return ok(m.group(1)), None
    if m := re.search(rf"(?:desde|from)\s+(?:el\s+)?{year}", text):
        return ok(m.group(1)), None
    if m := re.search(rf"{year}\s+(?:o mas nuevo|en adelante|para arriba|or newer|and up)", text):
        return ok(m.group(1)), None
    if m := re.search(rf"(?:hasta(?: el)?)\s+{year}|{year}\s+(?:o mas viejo|or older)", text):
        return None, ok(m.group(1) or m.group(2))
    if m := re.search(rf"(?<![\d$.,]){year}(?![\d.,]|\s*(?:km|mil|millones))", text):
        value = ok(m.group(1))
        return value, value
    vehicle = r"(carr\w*|yipet\w*|jeepet\w*|vehicul\w*|camionet\w*|guagu\w*|sedan\w*|autos?)"
    if re.search(rf"\b{vehicle} nuev[oa]s?\b|\bnuev[oa]s? de paquete\b|\b0 ?km\b|\bdel ano\b|"
                 r"\bbrand new\b", text):  # fmt: skip
        return today_year - 1, None
    if re.search(r"\brecientes?\b", text):
        return today_year - 3, None
    return None, None


def _loose(name: str) -> str:
    return re.sub(r"[\s\-]+", "", normalize(name))


def _makes_and_models(text: str, catalog: Catalog) -> tuple[set[str], set[str]]:
    makes: set[str] = set()
    models: set[str] = set()
    squashed = re.sub(r"[\s\-]+", "", text)
    words = set(re.findall(r"[a-z0-9]+", text))
    for make in catalog.makes:
        if re.search(rf"(?<![a-z0-9]){re.escape(normalize(make))}(?![a-z0-9])", text):
            makes.add(make)
    for alias, make in _MAKE_ALIASES.items():
        if make in catalog.makes and re.search(rf"(?<![a-z0-9]){alias}(?![a-z0-9])", text):
            makes.add(make)
    for model, make in catalog.models.items():
        loose = _loose(model)
        full = re.search(rf"(?<![a-z0-9]){re.escape(normalize(model))}(?![a-z0-9])", text)
        squashed_hit = (
            len(loose) >= 3
            and re.search(rf"(?<![a-z0-9]){re.escape(loose)}(?![a-z0-9])", squashed)
            and any(ch.isdigit() for ch in loose) | ("-" in model)
        )
        last = normalize(model).split()[-1] if " " in model else None
        distinctive = (
            last is not None
            and len(last) >= 4
            and last not in _MODEL_STOPWORDS
            and last in words
            and not any(
                last in normalize(other).split() for other in catalog.models if other != model
            )  # fmt: skip
        )
        if full or squashed_hit or distinctive:
            models.add(model)
            makes.add(make)
    return makes, models


def parse_query(text: str, catalog: Catalog, *, today_year: int) -> VehicleQuery:
    """Turn a customer's message into a query over the stock."""
    plain = normalize(text)
    makes, models = _makes_and_models(plain, catalog)
    # Model names with digits ("RAV4", "CX-5", "L200") must not read as prices or years.
    scrubbed = plain
    for model in models:
        scrubbed = re.sub(re.escape(normalize(model)), " ", scrubbed)
        scrubbed = re.sub(re.escape(_loose(model)), " ", scrubbed)
    bodies: set[BodyType] = set()
    for pattern, kinds in _BODY_WORDS:
        if re.search(rf"(?<![a-z]){pattern}(?![a-z])", scrubbed):
            bodies |= kinds
    if not bodies and re.search(rf"(?<![a-z])(?:{_CAR_WORDS})(?![a-z])", scrubbed):
        generic = re.search(r"(que|what|cuales|which) (carros|cars|vehiculos)", scrubbed)
        if not generic and not makes:
            bodies |= CAR_BODIES
    fuels = {fuel for pattern, fuel in _FUELS if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])",
                                                           scrubbed)}  # fmt: skip
    if Fuel.LPG in fuels and not re.search(r"gasolina|gasoline", scrubbed):
        fuels.discard(Fuel.GASOLINE)
    gears = {g for pattern, g in _GEARS if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])",
                                                     scrubbed)}  # fmt: skip
    sort: Sort = "relevance"
    for pattern, kind in _SORTS:
        if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", scrubbed):
            sort = kind
            break
    seats = None
    if m := re.search(r"(\d{1,2})\s*(pasajeros|asientos|plazas|seats?|-seater|seater)", scrubbed):
        seats = int(m.group(1))
    elif re.search(r"tercera fila|3 filas|third row|siete pasajeros|seven seats|para 7", scrubbed):
        seats = 7
    no_seats = re.sub(r"\d{1,2}\s*(pasajeros|asientos|plazas|seats?)", " ", scrubbed)
    price_min, price_max = _prices(no_seats, today_year)
    no_money = re.sub(_MONEY_TOKENS, " ", no_seats)
    year_min, year_max = _years(no_money, today_year)
    return VehicleQuery(
        makes=frozenset(makes),
        models=frozenset(models),
        year_min=year_min,
        year_max=year_max,
        price_min=price_min,
        price_max=price_max,
        body_types=frozenset(bodies),
        fuels=frozenset(fuels),
        transmissions=frozenset(gears),
        seats_min=seats,
        sort=sort,
    )
