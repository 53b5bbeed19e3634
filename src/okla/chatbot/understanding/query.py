"""Understand what a customer asks for, in Spanish (Dominican too) or English, without the LLM.

`parse_query` reads the folded message in passes. Each pass blanks out the words it
understood, so that a later pass cannot read them again: the 4 of "RAV4" is not a price,
"50,000 km" is not a budget, and the "más nuevo" of "2020 o más nuevo" is not a sort order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from okla.chatbot.inventory.domain import BodyType, Catalog, Sort, VehicleQuery
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import fold, word_pattern
from okla.chatbot.text.money import AMOUNT, NUMBER_WORDS, Amount, find_amounts

T = TypeVar("T")


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace spans with spaces; offsets stay valid for the spans found in the same pass."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _take(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    """Find every match of a pattern and blank them out."""
    found = list(pattern.finditer(text))
    return found, _blank(text, (m.span() for m in found))


# ---------------------------------------------------------------------------------------------
# Makes and models


# One typo is forgiven only in long names: short ones sit next to ordinary words
# ("honda"/"hondo", "kia"/"kit").
_TYPO_MIN_LENGTH = 6


def _needs_make(model: str) -> bool:
    """Tell whether a model name is too short or common to count without its make."""
    parts = vocab.name_parts(model)
    if len(parts) != 1:
        return False
    word = parts[0]
    return word.isdigit() or len(word) <= 2 or word in vocab.COMMON_MODEL_WORDS


def _distinctive_words(catalog: Catalog) -> dict[str, str]:
    """Map words that name one multi-word model on their own ('prado') to that model."""
    owners: dict[str, set[str]] = {}
    for model in catalog.models:
        for part in vocab.name_parts(model):
            owners.setdefault(part, set()).add(model)
    make_words = {part for make in catalog.makes for part in vocab.name_parts(make)}
    make_words |= {w for aliases in vocab.MAKE_ALIASES.values() for a in aliases for w in a.split()}
    words: dict[str, str] = {}
    for model in catalog.models:
        parts = vocab.name_parts(model)
        if len(parts) < 2:
            continue
        for part in parts:
            if (
                part.isalpha()
                and len(part) >= 3
                and part not in vocab.COMMON_MODEL_WORDS
                and part not in make_words
                and owners[part] == {model}
            ):
                words[part] = model
    return words


def _one_typo_apart(a: str, b: str) -> bool:
    """Tell whether two different words differ by one edit or one swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    make: str
    model: str | None
    exact: bool


def _spans(name: str, text: str) -> list[tuple[int, int]]:
    pattern = vocab.name_pattern(name, plural=True)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def _vehicle_hits(text: str, catalog: Catalog) -> list[_Hit]:
    hits: list[_Hit] = []
    for make in catalog.makes:
        aliases = vocab.MAKE_ALIASES.get(vocab.name_key(make), ())
        for name in (make, *aliases):
            hits += [_Hit(*span, make, None, True) for span in _spans(name, text)]
        spellings = [fold(make), *aliases]
        typo_names = [n for n in spellings if n.isalpha() and len(n) >= _TYPO_MIN_LENGTH]
        for m in re.finditer(rf"[a-z]{{{_TYPO_MIN_LENGTH - 1},}}", text):
            if any(_one_typo_apart(m.group(), name) for name in typo_names):
                hits.append(_Hit(*m.span(), make, None, False))
    for model, make in catalog.models.items():
        name = f"{make} {model}" if _needs_make(model) else model
        hits += [_Hit(*span, make, model, True) for span in _spans(name, text)]
    for word, model in _distinctive_words(catalog).items():
        owner = catalog.models[model]
        hits += [_Hit(*span, owner, model, False) for span in _spans(word, text)]
    return hits


def _makes_and_models(text: str, catalog: Catalog) -> tuple[set[str], set[str], str]:
    """Find makes and models; the longest, most exact reading of each span wins."""
    hits = sorted(
        _vehicle_hits(text, catalog),
        key=lambda h: (h.end - h.start, h.exact, h.model is not None),
        reverse=True,
    )
    taken: list[_Hit] = []
    for hit in hits:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    makes = {hit.make for hit in taken}
    models = {hit.model for hit in taken if hit.model is not None}
    return makes, models, _blank(text, ((h.start, h.end) for h in taken))


# ---------------------------------------------------------------------------------------------
# Seats

_COUNTS = {word: n for word, n in NUMBER_WORDS.items() if n >= 2}
_COUNT = rf"\d{{1,2}}|{'|'.join(_COUNTS)}"
_SEATS = (
    word_pattern(
        rf"(?P<n>{_COUNT})[\s-]*(?:pasajeros|asientos|plazas|puestos|personas|seats?|"
        r"seaters?|people|passengers)"
    ),
    # "para 7", unless it goes on as money or time: "para 2 millones", "para 5 años".
    word_pattern(
        rf"para (?P<n>{_COUNT})(?![.,]?\d| ?(?:mil|millon|millones|mm?|k|%|anos?|meses|"
        r"dias|de)(?![a-z]))"
    ),
)
_THIRD_ROW = word_pattern(
    r"tercera fila|3ra fila|3era fila|(?:3|tres) filas|third row|3rd row|(?:3|three) rows"
)


def _seats(text: str) -> tuple[int | None, str]:
    counts: list[int] = []
    for pattern in _SEATS:
        found, text = _take(pattern, text)
        for m in found:
            n = m.group("n")
            counts.append(int(n) if n.isdigit() else _COUNTS[n])
    found, text = _take(_THIRD_ROW, text)
    counts += [7] * len(found)
    valid = [n for n in counts if 2 <= n <= 20]
    return (max(valid) if valid else None), text


# ---------------------------------------------------------------------------------------------
# Prices

# Numbers that are not the price of the vehicle, blanked before prices are read.
_NOT_PRICES = tuple(
    re.compile(p)
    for p in (
        # Mileage: "50,000 km", "50 mil km", "kilometraje de 40 mil". A lone 0 is "0 km", new.
        r"(?<![\d.,])[1-9][\d.,]*\s?(?:mil|k)?\s?(?:de )?(?:kms?|kilometros?|kilometraje|"
        r"millas|miles|millaje)\b",
        rf"\b(?:kilometraje|millaje|mileage|recorrido|odometro)\s(?:de |of |bajo |under |"
        rf"below |menos de |less than )?{AMOUNT}",
        # Dominican phone numbers.
        r"(?:\+?1[\s.-]?)?\(?\b8[024]9\)?[\s.-]?\d{3}[\s.-]?\d{4}\b",
        # Rates: "20% de inicial", "12 por ciento".
        r"\d+(?:[.,]\d+)?\s?(?:%|por ?ciento|percent)",
        # Down payments, instalments and income are money, but not the price asked for.
        rf"\b(?:inicial|pronto|cuotas?|mensualidad(?:es)?|pagos? (?:inicial|mensual(?:es)?)|"
        rf"down payment|monthly payments?|payments? of|salario|sueldo|gano|ingresos?|abono|"
        rf"entrada)\s(?:de |of |es de |is |como |de unos |around |unos )?{AMOUNT}",
        rf"{AMOUNT}\s(?:de inicial|inicial|de pronto|de entrada|de cuota|mensual(?:es)?|"
        rf"al mes|por mes|a month|per month|monthly|down|de salario|de sueldo)\b",
    )
)

_FILLER = r"(?:\s+(?:de|a|al|el|la|los|unos|unas|like|about|around|aprox|aproximadamente|como))*"
_UPPER_BEFORE = re.compile(
    r"(?<![a-z])(?:menos de|no mas de|no mayor a|hasta|maximo|max|por debajo de|debajo de|"
    r"under|below|less than|no more than|up to|tope(?: de)?|presupuesto(?: es)?(?: de)?|"
    rf"budget(?: is)?(?: of)?|a lo sumo|no pasar de|que no pase de){_FILLER}\s*$"
)
_LOWER_BEFORE = re.compile(
    r"(?<![a-z])(?:(?<!no )mas de|no menos de|minimo|por encima de|encima de|arriba de|"
    rf"desde|a partir de|over|above|more than|at least|from|starting at){_FILLER}\s*$"
)
_UPPER_AFTER = re.compile(
    r"^\s*(?:o menos|or less|para abajo|maximo|max|tops|or under|como maximo|a lo sumo)\b"
)
_LOWER_AFTER = re.compile(
    r"^\s*(?:\+|(?:o mas|or more|para arriba|en adelante|and up|and above|minimo|como minimo)\b)"
)
_RANGE_JOIN = re.compile(r"^\s*(?:-|a|al|to|hasta|y|and)\s*(?:el\s+)?$")
_RANGE_OPEN = re.compile(r"(?<![a-z])(?:entre|between|de|desde|from)\s+$")


def _range(text: str, low: Amount, high: Amount) -> tuple[int, int] | None:
    """Read 'entre 1.5 y 2 millones': a unit said once, at the end, applies to both."""
    join = text[low.end : high.start]
    if not _RANGE_JOIN.match(join):
        return None
    if join.strip() in ("y", "and") and not _RANGE_OPEN.search(text[: low.start]):
        return None
    highs = [high.budget(), high.budget(low.unit)]
    lows = [low.budget(), low.budget(high.unit)]
    if high.in_millions and low.unit is None:
        lows.append(low.budget("mil"))  # "entre 800 y 1 millón": the 800 is thousands
    for top in highs:
        for bottom in lows:
            if top and bottom and bottom < top:
                return bottom, top
    return None


def _band(pesos: int) -> tuple[int, int]:
    """Turn 'around 2 millones' into 2 millones give or take 15%."""
    return (pesos * 85 + 50) // 100, (pesos * 115 + 50) // 100


def _prices(text: str) -> tuple[int | None, int | None, str]:
    for pattern in _NOT_PRICES:
        _, text = _take(pattern, text)
    amounts = find_amounts(text)
    lowest: int | None = None
    highest: int | None = None
    bare: list[int] = []
    used: list[tuple[int, int]] = []
    i = 0
    while i < len(amounts):
        amount = amounts[i]
        if i + 1 < len(amounts) and (both := _range(text, amount, amounts[i + 1])):
            lowest, highest = lowest or both[0], highest or both[1]
            used.append((amount.start, amounts[i + 1].end))
            i += 2
            continue
        i += 1
        pesos = amount.budget()
        if pesos is None:
            continue
        before, after = text[: amount.start], text[amount.end :]
        used.append((amount.start, amount.end))
        if _UPPER_BEFORE.search(before) or _UPPER_AFTER.match(after):
            highest = highest or pesos
        elif _LOWER_BEFORE.search(before) or _LOWER_AFTER.match(after):
            lowest = lowest or pesos
        else:
            bare.append(pesos)
    if lowest is None and highest is None and bare:
        lowest, highest = _band(bare[0])
    return lowest, highest, _blank(text, used)


# ---------------------------------------------------------------------------------------------
# Years

_YEAR_RE = re.compile(r"(?<![a-z0-9.,$])(?<![a-z]-)((?:19|20)\d\d)(?![a-z0-9]|[.,]\d)")
_YEAR_FILLER = r"(?:\s+(?:el|la|los|ano|anos|modelo|modelos|the|year|model))*\s*$"
# Each bound: how a year is introduced (before) or followed (after), and the shift that
# turns an exclusive bound inclusive ("after 2019" is 2020 or newer).
_YEAR_BOUNDS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("min", re.compile(rf"(?<![a-z])(?:despues del?|after|posterior(?:es)? al?|"
                       rf"mas nuev[oa]s? que|newer than){_YEAR_FILLER}"), 1),
    ("min", re.compile(rf"(?<![a-z])(?:desde|from|since|a partir del?){_YEAR_FILLER}"), 0),
    ("max", re.compile(rf"(?<![a-z])(?:antes del?|before|older than|mas viej[oa]s? que|"
                       rf"anterior(?:es)? al?){_YEAR_FILLER}"), -1),
    ("max", re.compile(rf"(?<![a-z])(?:hasta|up to|until|till){_YEAR_FILLER}"), 0),
)  # fmt: skip
_YEAR_AFTER_MIN = re.compile(
    r"^\s*(?:(?:o|or) )?(?:\+|(?:mas nuev[oa]s?|en adelante|para arriba|hacia adelante|newer|"
    r"later|and up|and newer|and later|onwards?|superior)\b)"
)
_YEAR_AFTER_MAX = re.compile(
    r"^\s*(?:(?:o|or) )?(?:mas viej[oa]s?|older|earlier|anterior(?:es)?|para abajo|"
    r"and older|and earlier|inferior|menos)\b"
)
_NEW = word_pattern(
    r"(?<!\bde )(?<!\bcomo )(?<!\bsemi )(?:nuev[oa]s?|nuevecit[oa]s?)|0 ?km|0 kilometros?|"
    r"cero (?:km|kilometros?)|del ano(?! pasado)|brand new|"
    r"new (?:cars?|suvs?|trucks?|vehicles?|vans?|minivans?|pickups?)"
)
_RECENT = word_pattern(r"recientes?|recent")


def _years(text: str, today_year: int) -> tuple[int | None, int | None, str]:
    found = [
        (m.start(), m.end(), int(m.group(1)))
        for m in _YEAR_RE.finditer(text)
        if 1980 <= int(m.group(1)) <= today_year + 1
    ]
    lowest: int | None = None
    highest: int | None = None
    exact: list[int] = []
    used: list[tuple[int, int]] = []
    pairs = zip(found, found[1:], strict=False)
    joined = {i for i, (one, two) in enumerate(pairs) if _RANGE_JOIN.match(text[one[1] : two[0]])}
    for i, (start, end, year) in enumerate(found):
        if i in joined or i - 1 in joined:
            # "2018-2020", "entre 2018 y 2020", "desde 2018 hasta 2020" are both ends of a span.
            exact.append(year)
            used.append((start, end))
            continue
        before, after = text[:start], text[end:]
        used.append((start, end))
        bound = None
        for kind, pattern, shift in _YEAR_BOUNDS:
            if m := pattern.search(before):
                bound = kind, year + shift
                used.append(m.span())
                break
        if bound is None and (m := _YEAR_AFTER_MIN.match(after)):
            bound = "min", year
            used.append((end, end + m.end()))
        if bound is None and (m := _YEAR_AFTER_MAX.match(after)):
            bound = "max", year
            used.append((end, end + m.end()))
        if bound is None:
            exact.append(year)
        elif bound[0] == "min":
            lowest = lowest or bound[1]
        else:
            highest = highest or bound[1]
    if exact and (joined or (lowest is None and highest is None)):
        lowest, highest = min(exact), max(exact)
    return lowest, highest, _blank(text, used)


# ---------------------------------------------------------------------------------------------
# Body types, fuels, transmissions (their words: text/vocabulary.py), sort

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
_FUELS = tuple((word_pattern(words), fuel) for words, fuel in vocab.FUEL_WORDS)
_GEARS = tuple((word_pattern(words), gear) for words, gear in vocab.GEAR_WORDS)
_SORT_WORDS: tuple[tuple[str, Sort], ...] = (
    (r"(?:mas )?barat\w*|economic[oa]s?|cheap\w*|affordable|menor precio|"
     r"precio mas bajo|lowest price", "price_asc"),
    (r"mas car[oa]s?|de lujo|lujos[oa]s?|premium|most expensive|luxury|alta gama|"
     r"high end", "price_desc"),
    (r"mas nuev[oa]s?|mas recientes?|newest|latest|most recent|ultimos? modelos?", "newest"),
)  # fmt: skip
_SORTS = tuple((word_pattern(pattern), sort) for pattern, sort in _SORT_WORDS)


def _collect(table: Sequence[tuple[re.Pattern[str], T]], text: str) -> tuple[list[T], str]:
    """Return the value of every pattern found, in order of appearance, and blank them."""
    found: list[tuple[int, T]] = []
    for pattern, value in table:
        matches, text = _take(pattern, text)
        found += [(m.start(), value) for m in matches]
    return [value for _, value in sorted(found, key=lambda pair: pair[0])], text


def _bodies(text: str, names_a_vehicle: bool) -> set[BodyType]:
    found, text = _collect(_BODIES, text)
    if not found:
        found, text = _collect(_LOOSE_BODIES, text)
    bodies: set[BodyType] = set()
    for kinds in found:
        bodies |= kinds
    if bodies or names_a_vehicle:
        # "un carro Toyota" asks for the Toyota, whatever its body.
        return bodies
    generic = [m.span() for m in _GENERIC_CARS.finditer(text)]
    for car in _CAR.finditer(text):
        if not any(start <= car.start() < end for start, end in generic):
            return set(vocab.CARS)
    return set()


def _canonical(text: str) -> str:
    """Spell a few compounds one way, so one pattern reads them all."""
    text = re.sub(r"\bmini[\s-]vans?\b", "minivan", text)
    text = re.sub(r"\bpick[\s-]?ups?\b", "pickup", text)
    text = re.sub(r"\b4 ?x ?4\b", "4x4", text)
    return re.sub(r"\bpa['’]? ?(arriba|abajo)\b", r"para \1", text)


def parse_query(text: str, catalog: Catalog, *, today_year: int) -> VehicleQuery:
    """Turn a customer's message into a query over the dealer's stock."""
    scratch = _canonical(fold(text))
    seats, scratch = _seats(scratch)
    makes, models, scratch = _makes_and_models(scratch, catalog)
    price_min, price_max, scratch = _prices(scratch)
    year_min, year_max, scratch = _years(scratch, today_year)
    transmissions, scratch = _collect(_GEARS, scratch)
    fuels, scratch = _collect(_FUELS, scratch)
    sorts, scratch = _collect(_SORTS, scratch)
    if year_min is None and year_max is None:
        if _NEW.search(scratch):
            year_min = today_year - 1
        elif _RECENT.search(scratch):
            year_min = today_year - 3
    return VehicleQuery(
        makes=frozenset(makes),
        models=frozenset(models),
        year_min=year_min,
        year_max=year_max,
        price_min=price_min,
        price_max=price_max,
        body_types=frozenset(_bodies(scratch, bool(makes or models))),
        fuels=frozenset(fuels),
        transmissions=frozenset(transmissions),
        seats_min=seats,
        sort=sorts[0] if sorts else "relevance",
    )
