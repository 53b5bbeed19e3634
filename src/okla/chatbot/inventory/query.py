"""Understand what a customer asks for, in Spanish (Dominican too) or English, without the LLM.

`parse_query` reads the normalized message in passes. Each pass blanks out the words it
understood, so that a later pass cannot read them again: the 4 of "RAV4" is not a price,
"50,000 km" is not a budget, and the "más nuevo" of "2020 o más nuevo" is not a sort order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Fuel,
    Sort,
    Transmission,
    VehicleQuery,
)
from okla.chatbot.inventory.domain import Catalog as Catalog  # re-exported for the parser's users

T = TypeVar("T")


def normalize(text: str) -> str:
    """Lower-case, strip accents (ñ becomes n) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _words(pattern: str) -> re.Pattern[str]:
    """Compile a pattern that must start and end on word boundaries (digits count as word)."""
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


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
# Intents


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


_PEOPLE = (
    r"asesor[a]?|vendedor[a]?|agente|persona|humano|representante|gerente|encargad[oa]|"
    r"ejecutiv[oa]|alguien|human|agent|person|someone|somebody|salesperson|salesman|"
    r"sales ?rep|representative|manager|rep"
)
_INTENT_PATTERNS: dict[Intent, tuple[str, ...]] = {
    Intent.GREETING: (
        # "buenas" alone only greets at the start: "en buenas condiciones" does not.
        r"^\W*(?:buenas|ola|saludos|klk|qlq|hey|hi|hello)\b",
        r"\b(?:hola+|holi|buen dia|buen(?:os|as) (?:dias|tardes|noches)|"
        r"good (?:morning|afternoon|evening))\b",
    ),
    Intent.THANKS: (
        r"\b(?:gracias|grax|thanks|thank you|thx|te agradezco|le agradezco|agradecid[oa]|"
        r"muy amable|appreciate it)\b",
    ),
    Intent.GOODBYE: (
        r"\b(?:adios|chao|chau|bye|goodbye|good bye|hasta luego|hasta pronto|hasta manana|"
        r"nos vemos|nos hablamos|see you|see ya|cuidate)\b",
    ),
    Intent.HUMAN: (
        rf"\b(?:hablar|hable|comunicarme|contactar|conversar|chatear|pasame|pasenme|ponme|"
        rf"comunicame|comuniquenme|atienda|transferir|transfiereme)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        rf"\b(?:talk|speak|chat|connect|transfer|put me through)\b[^.?!]{{0,25}}?"
        rf"\b(?:{_PEOPLE})\b",
        r"\b(?:asesor[a]?|humano|persona real|real person|human agent|live agent|"
        r"representante|llamenme|llamame|llameme|que me llamen|que me llame|call me|"
        r"me (?:pueden|puede|puedes|podrian|podria) llamar)\b",
    ),
    Intent.FINANCING: (
        r"\b(?:financ\w*|a plazos?|en plazos|a credito|credito|cuotas?|mensualidad(?:es)?|"
        r"pago inicial|inicial|prestamos?|interes(?:es)?|tasa|loans?|monthly payments?|"
        r"down payment|installments?|credit|interest rate)\b",
    ),
    Intent.DISCOUNT: (
        r"\b(?:descuentos?|rebaj\w*|me (?:lo|la) (?:deja|dejas|dejan|dejaria|dejarias|"
        r"puede dejar|puedes dejar|pueden dejar)|dejamel[oa]|mejor precio|ultimo precio|"
        r"negociable|negociar|se negocia|ofertas?|discounts?|lower (?:the )?price|"
        r"best price|better price|better deal|negotiable|negotiate|vendemel[oa]|"
        r"por (?:1|un) peso|regalamel[oa])\b",
    ),
    Intent.SEARCH: (
        r"\b(?:vehiculos?|vehicles?|carros?|carritos?|autos?|cars?|inventario|inventory|"
        r"stock|disponibles?|available|en venta|for sale|modelos?|models?|marcas?|brands?|"
        r"opciones|options|catalogo|catalog|muestrame|ensename|show me|"
        r"que (?:tienes|tienen|tiene|hay|venden|ofrecen)|(?:tienes|tienen|hay) algo|"
        r"what (?:do you|have you|you) (?:have|got|sell))\b",
    ),
}
_INTENTS = {
    intent: tuple(re.compile(p) for p in patterns) for intent, patterns in _INTENT_PATTERNS.items()
}
# Any year works for telling whether a message names a constraint at all.
_FAR_FUTURE = 2100


def detect_intents(text: str) -> set[Intent]:
    """Return every intent the message shows, or {OTHER} when it shows none."""
    plain = normalize(text)
    found = {
        intent for intent, patterns in _INTENTS.items() if any(p.search(plain) for p in patterns)
    }
    if parse_query(text, Catalog(), today_year=_FAR_FUTURE) != VehicleQuery():
        found.add(Intent.SEARCH)
    return found or {Intent.OTHER}


# ---------------------------------------------------------------------------------------------
# Makes and models


# Keyed by the canonical make squashed to letters and digits; an alias only counts when
# the dealer stocks that make.
_MAKE_ALIASES: dict[str, tuple[str, ...]] = {
    "chevrolet": ("chevy",),
    "mercedesbenz": ("mercedes", "benz"),
    "volkswagen": ("vw", "volkswagen", "volks"),
    "landrover": ("land rover", "range rover"),
    "mitsubishi": ("mitsu",),
    # Misspellings too far from the name for the one-typo rule below.
    "hyundai": ("hundai", "hunday", "hiundai", "hiunday", "hyunday", "jiunday"),
    "nissan": ("nisan",),
}
# One typo is forgiven only in long names: short ones sit next to ordinary words
# ("honda"/"hondo", "kia"/"kit").
_TYPO_MIN_LENGTH = 6

# Words of multi-word model names too common to name the model on their own
# ("Bronco Sport": "sport" is not the Bronco).
_MODEL_STOPWORDS = frozenset(
    """sport sports one plus max pro van go gt ex lx le se si hybrid electric limited touring
    grand gran land santa new nuevo nueva super classic cab cabina doble double crew base
    premium luxury edition series serie class clase type turbo diesel cross country town city
    model modelo the del las los con por para car cargo wagon sedan coupe hatchback
    convertible pickup truck royal prime star mini air blue red line all xl xlt lt ltz rs ss
    rio up golf polo soul leaf eclipse""".split()
)


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalize(name))


def _parts(name: str) -> list[str]:
    """Split a name where spaces, hyphens or a letter/digit change are: 'RAV4' -> rav, 4."""
    return re.findall(r"[a-z]+|\d+", normalize(name))


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> str:
    """Match a name however it is spaced or hyphenated: crv, cr v, cr-v; rav4, rav 4."""
    parts = _parts(name)
    plural = "s?" if parts and parts[-1].isalpha() and len(parts[-1]) >= 3 else ""
    joined = r"[\s-]?".join(parts)
    return rf"(?<![a-z0-9]){joined}{plural}(?![a-z0-9])"


def _needs_make(model: str) -> bool:
    """Tell whether a model name is too short or common to count without its make."""
    parts = _parts(model)
    if len(parts) != 1:
        return False
    word = parts[0]
    return word.isdigit() or len(word) <= 2 or word in _MODEL_STOPWORDS


def _distinctive_words(catalog: Catalog) -> dict[str, str]:
    """Map words that name one multi-word model on their own ('prado') to that model."""
    owners: dict[str, set[str]] = {}
    for model in catalog.models:
        for part in _parts(model):
            owners.setdefault(part, set()).add(model)
    make_words = {part for make in catalog.makes for part in _parts(make)}
    make_words |= {w for aliases in _MAKE_ALIASES.values() for a in aliases for w in a.split()}
    words: dict[str, str] = {}
    for model in catalog.models:
        parts = _parts(model)
        if len(parts) < 2:
            continue
        for part in parts:
            if (
                part.isalpha()
                and len(part) >= 3
                and part not in _MODEL_STOPWORDS
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


def _vehicle_hits(text: str, catalog: Catalog) -> list[_Hit]:
    hits: list[_Hit] = []
    for make in catalog.makes:
        names = [_name_pattern(make)]
        names += [_name_pattern(alias) for alias in _MAKE_ALIASES.get(_squash(make), ())]
        for pattern in names:
            hits += [_Hit(*m.span(), make, None, True) for m in re.finditer(pattern, text)]
        spellings = [normalize(make), *_MAKE_ALIASES.get(_squash(make), ())]
        typo_names = [n for n in spellings if n.isalpha() and len(n) >= _TYPO_MIN_LENGTH]
        for m in re.finditer(rf"[a-z]{{{_TYPO_MIN_LENGTH - 1},}}", text):
            if any(_one_typo_apart(m.group(), name) for name in typo_names):
                hits.append(_Hit(*m.span(), make, None, False))
    for model, make in catalog.models.items():
        pattern = _name_pattern(f"{make} {model}" if _needs_make(model) else model)
        hits += [_Hit(*m.span(), make, model, True) for m in re.finditer(pattern, text)]
    for word, model in _distinctive_words(catalog).items():
        owner = catalog.models[model]
        found = re.finditer(_name_pattern(word), text)
        hits += [_Hit(*m.span(), owner, model, False) for m in found]
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

_NUMBER_WORDS = {
    "dos": 2, "two": 2, "tres": 3, "three": 3, "cuatro": 4, "four": 4, "cinco": 5, "five": 5,
    "seis": 6, "six": 6, "siete": 7, "seven": 7, "ocho": 8, "eight": 8, "nueve": 9, "nine": 9,
    "diez": 10, "ten": 10, "doce": 12, "twelve": 12, "quince": 15, "fifteen": 15,
}  # fmt: skip
_COUNT = rf"\d{{1,2}}|{'|'.join(_NUMBER_WORDS)}"
_SEATS = (
    _words(
        rf"(?P<n>{_COUNT})[\s-]*(?:pasajeros|asientos|plazas|puestos|personas|seats?|"
        r"seaters?|people|passengers)"
    ),
    # "para 7", unless it goes on as money or time: "para 2 millones", "para 5 años".
    _words(
        rf"para (?P<n>{_COUNT})(?![.,]?\d| ?(?:mil|millon|millones|mm?|k|%|anos?|meses|"
        r"dias|de)(?![a-z]))"
    ),
)
_THIRD_ROW = _words(
    r"tercera fila|3ra fila|3era fila|(?:3|tres) filas|third row|3rd row|(?:3|three) rows"
)


def _seats(text: str) -> tuple[int | None, str]:
    counts: list[int] = []
    for pattern in _SEATS:
        found, text = _take(pattern, text)
        for m in found:
            n = m.group("n")
            counts.append(int(n) if n.isdigit() else _NUMBER_WORDS[n])
    found, text = _take(_THIRD_ROW, text)
    counts += [7] * len(found)
    valid = [n for n in counts if 2 <= n <= 20]
    return (max(valid) if valid else None), text


# ---------------------------------------------------------------------------------------------
# Prices

# An amount of money: optional currency, a number ("2", "1.5", "2,700,000"), optional unit.
# Not after letters ("rav4", "cx-5") and not cut out of a longer number.
_MONEY = (
    r"(?<![a-z0-9.,$])(?<![a-z]-)"
    r"(?:(?:rd|usd|us)\s?\$?\s?|\$\s?)?"
    r"(?P<num>\d+(?:[.,]\d+)*)"
    r"(?:\s?(?P<unit>millones|millon|millions?|mill|mm|m|mil|k)\b)?"
    r"(?![a-z0-9]|[.,]\d)"
)
_MONEY_RE = re.compile(_MONEY)
_MILLIONS = frozenset({"millones", "millon", "million", "millions", "mill", "mm", "m"})
_MIN_PRICE, _MAX_PRICE = 10_000, 1_000_000_000

# Numbers that are not the price of the vehicle, blanked before prices are read.
_NOT_PRICES = tuple(
    re.compile(p)
    for p in (
        # Mileage: "50,000 km", "50 mil km", "kilometraje de 40 mil". A lone 0 is "0 km", new.
        r"(?<![\d.,])[1-9][\d.,]*\s?(?:mil|k)?\s?(?:de )?(?:kms?|kilometros?|kilometraje|"
        r"millas|miles|millaje)\b",
        rf"\b(?:kilometraje|millaje|mileage|recorrido|odometro)\s(?:de |of |bajo |under |"
        rf"below |menos de |less than )?{_MONEY}",
        # Dominican phone numbers.
        r"(?:\+?1[\s.-]?)?\(?\b8[024]9\)?[\s.-]?\d{3}[\s.-]?\d{4}\b",
        # Rates: "20% de inicial", "12 por ciento".
        r"\d+(?:[.,]\d+)?\s?(?:%|por ?ciento|percent)",
        # Down payments, instalments and income are money, but not the price asked for.
        rf"\b(?:inicial|pronto|cuotas?|mensualidad(?:es)?|pagos? (?:inicial|mensual(?:es)?)|"
        rf"down payment|monthly payments?|payments? of|salario|sueldo|gano|ingresos?|abono|"
        rf"entrada)\s(?:de |of |es de |is |como |de unos |around |unos )?{_MONEY}",
        rf"{_MONEY}\s(?:de inicial|inicial|de pronto|de entrada|de cuota|mensual(?:es)?|"
        rf"al mes|por mes|a month|per month|monthly|down|de salario|de sueldo)\b",
    )
)

_SMALL_NUMBERS = {
    "un": 1, "uno": 1, "una": 1, "one": 1, "a": 1, "dos": 2, "two": 2, "tres": 3, "three": 3,
    "cuatro": 4, "four": 4, "cinco": 5, "five": 5, "seis": 6, "six": 6, "siete": 7,
    "seven": 7, "ocho": 8, "eight": 8, "nueve": 9, "nine": 9, "diez": 10, "ten": 10,
}  # fmt: skip
_HUNDREDS = {
    "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400,
    "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900,
}  # fmt: skip
_SMALL = "|".join(_SMALL_NUMBERS)
_HUNDRED = "|".join(_HUNDREDS)


def _number(word: str) -> float:
    return float(_SMALL_NUMBERS[word]) if word in _SMALL_NUMBERS else float(word.replace(",", "."))


def _half(m: re.Match[str]) -> str:
    return str(round((_number(m.group("n")) + 0.5) * 1_000_000))


def _millions_and_thousands(m: re.Match[str]) -> str:
    return str(int(m.group("n")) * 1_000_000 + int(m.group("k")) * 1_000)


# Budgets said in words, rewritten as digits that the amount pattern reads. In order:
# "un millón doscientos mil" -> "un millón 200 mil" -> "1 millón 200 mil" -> "1200000".
_SPOKEN_MONEY: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_words(rf"(?P<n>\d+(?:[.,]\d)?|{_SMALL}) (?:millon|millones) y medio"), _half),
    (_words(r"(?P<n>\d+) y medio millones"), _half),
    (_words(r"millon y medio"), lambda _: "1500000"),
    (_words(r"medio millon|half a million"), lambda _: "500000"),
    (_words(rf"(?P<h>{_HUNDRED}) mil"), lambda m: f"{_HUNDREDS[m.group('h')]} mil"),
    (
        _words(rf"(?P<n>{_SMALL}) (?P<u>millon|millones|millions?)"),
        lambda m: f"{_SMALL_NUMBERS[m.group('n')]} {m.group('u')}",
    ),
    (_words(r"(?P<n>\d+) (?:millon|millones) (?:y )?(?P<k>\d{1,3}) mil"), _millions_and_thousands),
)


def _spell_out_money(text: str) -> str:
    for pattern, digits in _SPOKEN_MONEY:
        text = pattern.sub(digits, text)
    return text


def _pesos(number: str, unit: str | None) -> int | None:
    """Read '1.5' + 'millones', '800' + 'mil', '2,700,000' as pesos; None if not money."""
    grouped = re.fullmatch(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*", number)
    if unit:
        if re.fullmatch(r"\d+(?:[.,]\d{1,2})?", number):
            value = float(number.replace(",", "."))
        elif grouped:
            value = float(re.sub(r"\D", "", number))
        else:
            return None
        pesos = round(value * (1_000_000 if unit in _MILLIONS else 1_000))
    elif grouped or number.isdigit():
        pesos = int(re.sub(r"\D", "", number))
    else:
        return None  # "2.5" with no unit is an engine size or a rating, not money
    return pesos if _MIN_PRICE <= pesos <= _MAX_PRICE else None


@dataclass(frozen=True)
class _Amount:
    start: int
    end: int
    number: str
    unit: str | None

    def pesos(self, unit: str | None = None) -> int | None:
        return _pesos(self.number, self.unit or unit)


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


def _range(text: str, low: _Amount, high: _Amount) -> tuple[int, int] | None:
    """Read 'entre 1.5 y 2 millones': a unit said once, at the end, applies to both."""
    join = text[low.end : high.start]
    if not _RANGE_JOIN.match(join):
        return None
    if join.strip() in ("y", "and") and not _RANGE_OPEN.search(text[: low.start]):
        return None
    highs = [high.pesos(), high.pesos(low.unit)]
    lows = [low.pesos(), low.pesos(high.unit)]
    if high.unit in _MILLIONS and low.unit is None:
        lows.append(low.pesos("mil"))  # "entre 800 y 1 millón": the 800 is thousands
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
    text = _spell_out_money(text)
    amounts = [
        _Amount(m.start(), m.end(), m.group("num"), m.group("unit"))
        for m in _MONEY_RE.finditer(text)
    ]
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
        pesos = amount.pesos()
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
_NEW = _words(
    r"(?<!\bde )(?<!\bcomo )(?<!\bsemi )(?:nuev[oa]s?|nuevecit[oa]s?)|0 ?km|0 kilometros?|"
    r"cero (?:km|kilometros?)|del ano(?! pasado)|brand new|"
    r"new (?:cars?|suvs?|trucks?|vehicles?|vans?|minivans?|pickups?)"
)
_RECENT = _words(r"recientes?|recent")


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
# Body types, fuels, transmissions, sort

_B = BodyType
# Checked in order, each match blanked: "minivan" is not also a "van", and "camioneta doble
# cabina" is a pickup, not also an SUV.
_BODIES: tuple[tuple[re.Pattern[str], frozenset[BodyType]], ...] = tuple(
    (_words(pattern), frozenset(bodies))
    for pattern, bodies in (
        (r"camionet\w* (?:tipo )?(?:pickup|doble cabina)", {_B.PICKUP}),
        (r"camionet\w* (?:tipo )?(?:yipet\w*|jeepet\w*|suv)", {_B.SUV}),
        (r"guagu\w* (?:tipo )?minivan", {_B.MINIVAN}),
        (r"minivans?", {_B.MINIVAN}),
        (r"(?:yipet|jeepet|jipet|yepet)\w*|suvs?|crossovers?|todo ?terrenos?", {_B.SUV}),
        (r"guagu\w*", {_B.VAN, _B.MINIVAN}),
        # Spanish "van" is also "they go": a van is one named with an article ("una van").
        (r"vans|(?:una?|la|las|el|los|the|a|an|any|esa|esta|tipo|cargo|passenger) van(?! al? )"
         r"|van (?:de carga|de pasajeros|para carga)|^van(?! al? )", {_B.VAN}),
        (r"sedan(?:es|s)?", {_B.SEDAN}),
        (r"hatch(?:back)?s?", {_B.HATCHBACK}),
        (r"coupes?", {_B.COUPE}),
        (r"convertibles?|descapotables?|cabrio(?:let)?s?", {_B.CONVERTIBLE}),
        (r"camionet\w*", {_B.PICKUP, _B.SUV}),
        (r"pickups?|doble cabina|trucks?", {_B.PICKUP}),
    )
)  # fmt: skip
# Loose words, counted only when no exact body word was said ("yipeta familiar" is an SUV).
_LOOSE_BODIES: tuple[tuple[re.Pattern[str], frozenset[BodyType]], ...] = (
    (_words(r"familiar(?:es)?"), frozenset({_B.SUV, _B.MINIVAN})),
    (_words(r"4x4"), frozenset({_B.SUV})),
)
_CAR_WORDS = r"carr(?:o|os|ito|itos)|autos?|automovil(?:es)?|cars?|automobiles?"
_CAR = _words(_CAR_WORDS)
# Plural car words in a stock question are just "vehicles": "¿qué carros tienes?".
_PLURAL_CARS = r"carros|carritos|autos|automoviles|cars|automobiles"
_GENERIC_CARS = re.compile(
    rf"\b(?:que|cuales|what|which|any|algun[oa]?s?|tipos? de|kinds? of|types? of|tienes|"
    rf"tienen|tiene|hay|have|venden|sell|todos los|all)\s(?:\w+\s)?(?:{_PLURAL_CARS})\b|"
    rf"\b(?:{_PLURAL_CARS})\s(?:tienes|tienen|tiene|hay|do you|you have|disponibles?|"
    rf"available|en venta|for sale|en stock|in stock)\b"
)

_FUELS: tuple[tuple[re.Pattern[str], Fuel], ...] = tuple(
    (_words(pattern), fuel)
    for pattern, fuel in (
        # LPG and diesel first, so their "gas" is not read as gasoline.
        (r"glp|gas licuado|lpg|gas propano|propano|autogas", Fuel.LPG),
        (r"diesel|gasoil|gasoi|gas oil", Fuel.DIESEL),
        (r"gasolinas?(?: premium| regular)?|gasoline|gas|nafta|petrol", Fuel.GASOLINE),
        (r"hibrid[oa]s?|hybrids?|phev|hev", Fuel.HYBRID),
        (r"electric[oa]s?|electric|evs?|bev", Fuel.ELECTRIC),
    )
)
_TRANSMISSIONS: tuple[tuple[re.Pattern[str], Transmission], ...] = tuple(
    (_words(pattern), transmission)
    for pattern, transmission in (
        # "auto" alone is a car; it is a gearbox only after "caja" or "transmisión".
        (r"(?:caja|transmision|trans) auto(?:matica)?|automatic[oa]s?|automatic|cvt|tiptronic",
         Transmission.AUTOMATIC),
        (r"manual(?:es)?|mecanic[oa]s?|estandar|standard|(?<!caja )de cambios|"
         r"stick(?: shift)?|sincronic[oa]", Transmission.MANUAL),
    )
)  # fmt: skip
_SORT_WORDS: tuple[tuple[str, Sort], ...] = (
    (r"(?:mas )?barat\w*|economic[oa]s?|cheap\w*|affordable|menor precio|"
     r"precio mas bajo|lowest price", "price_asc"),
    (r"mas car[oa]s?|de lujo|lujos[oa]s?|premium|most expensive|luxury|alta gama|"
     r"high end", "price_desc"),
    (r"mas nuev[oa]s?|mas recientes?|newest|latest|most recent|ultimos? modelos?", "newest"),
)  # fmt: skip
_SORTS = tuple((_words(pattern), sort) for pattern, sort in _SORT_WORDS)


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
            return set(CAR_BODIES)
    return set()


def _canonical(text: str) -> str:
    """Spell a few compounds one way, so one pattern reads them all."""
    text = re.sub(r"\bmini[\s-]vans?\b", "minivan", text)
    text = re.sub(r"\bpick[\s-]?ups?\b", "pickup", text)
    text = re.sub(r"\b4 ?x ?4\b", "4x4", text)
    return re.sub(r"\bpa['’]? ?(arriba|abajo)\b", r"para \1", text)


def parse_query(text: str, catalog: Catalog, *, today_year: int) -> VehicleQuery:
    """Turn a customer's message into a query over the dealer's stock."""
    scratch = _canonical(normalize(text))
    seats, scratch = _seats(scratch)
    makes, models, scratch = _makes_and_models(scratch, catalog)
    price_min, price_max, scratch = _prices(scratch)
    year_min, year_max, scratch = _years(scratch, today_year)
    transmissions, scratch = _collect(_TRANSMISSIONS, scratch)
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
