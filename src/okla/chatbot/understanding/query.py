"""Understand what a customer asks for, in Spanish (Dominican too) or English, without the LLM.

`parse_query` reads the folded message in passes. First the message is written out in full
("q no pase d 2 palos" -> "que no pase de 2 palos", text/fold.py) and its sure typos are
corrected against the dealer's catalogue and the vocabulary ("toyta", "yipetta",
text/spelling.py). Then each pass blanks out the words it understood, so that a later pass
cannot read them again: the 4 of "RAV4" is not a price, "50,000 km" is not a budget, and the
"más nuevo" of "2020 o más nuevo" is not a sort order.

What a customer rules out is read as such: "que no sea Toyota" excludes the make, "no quiero
mecánica" asks for the other gearbox, and a colour or drivetrain said with a "no" is not asked
for. The customer's own vehicle ("aceptan mi corolla 2012?") is never what they search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, Literal, TypeVar

from okla.chatbot.inventory.domain import (
    BodyType,
    Catalog,
    Color,
    Currency,
    Drivetrain,
    Fuel,
    Sort,
    Transmission,
    VehicleQuery,
)
from okla.chatbot.text import spelling
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import fold, spell_out, word_pattern
from okla.chatbot.text.language import detect_language
from okla.chatbot.text.money import AMOUNT, NUMBER_WORDS, Amount, find_amounts, read_number

T = TypeVar("T")
E = TypeVar("E", Fuel, Transmission)


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
# What the customer rules out

# Words that may stand between a "no" and what it rules out: "que no sea de la marca Toyota".
_RULED_FILLER = (
    r"(?:un|una|unos|unas|el|la|los|las|de|del|marca|marcas|nada|ningun|ninguna|ninguno|"
    r"tipo|otro|otra|carro|carros|yipeta|yipetas|vehiculo|vehiculos|modelo|the|a|an|any|"
    r"brand|ni|tampoco|color|en|que|sea|sean)"
)
_RULED_OUT_BEFORE = re.compile(
    r"(?<![a-z])(?:que no sean?|no sean?|no (?:quiero|queremos|busco|me gustan?|me interesan?|"
    r"deseo|necesito|prefiero|me (?:la|lo|las|los) (?:traigas|muestres|mandes))|nada de|nada|"
    r"menos|excepto|exceptuando|salvo|fuera de|pero no|no|ni|sin|aparte de|"
    r"except|but not|not|other than|anything but|besides|(?:is|are|that'?s|which is)n'?t|"
    r"(?:is|are) not|(?:i )?(?:don'?t|do not) "
    r"(?:want|like|need)|nothing|no more)"
    # Single spaces only: folded text has no others, so a run of them is something a pass
    # understood and blanked ("menos de [2 palos] diesel" rules no diesel out).
    rf"(?: {_RULED_FILLER})* ?$"
)
# "Toyota no, prefiero Honda": a "no" after the word, closing its clause.
_RULED_OUT_AFTER = re.compile(r"^\s*(?:no|nunca|tampoco|not|please no)\s*(?:[,.;!?]|$|gracias)")
# A list goes on ruling out: "que no sea Toyota ni Honda", "excepto Kia, Hyundai o la CX-5";
# "no quiero sedán, una yipeta" starts another clause.
_LIST_JOIN = re.compile(rf"^\s*,?\s*(?:(?:y|o|ni|and|or|nor)\s+(?:{_RULED_FILLER}\s+)*)?$")


def _ruled_out(text: str, start: int, end: int) -> bool:
    """Tell whether the words at text[start:end] are ruled out by a "no" around them."""
    return bool(_RULED_OUT_BEFORE.search(text[:start]) or _RULED_OUT_AFTER.match(text[end:]))


def _ruled_out_all(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """Tell, for spans in order, which are ruled out, a list continuing the one before it."""
    ruled: list[bool] = []
    for i, (start, end) in enumerate(spans):
        continued = i > 0 and ruled[-1] and _LIST_JOIN.match(text[spans[i - 1][1] : start])
        ruled.append(bool(continued) or _ruled_out(text, start, end))
    return ruled


# ---------------------------------------------------------------------------------------------
# Typos


def _model_words(catalog: Catalog) -> dict[str, str]:
    """Map each catalogue word a typo may stand for to the spelling the name passes read."""
    words: dict[str, str] = {}
    for make in catalog.makes:
        if len(vocab.name_parts(make)) == 1:
            words[vocab.name_key(make)] = fold(make)
        for alias in vocab.MAKE_ALIASES.get(vocab.name_key(make), ()):
            if alias.isalnum():
                words[alias] = alias
    for model in catalog.models:
        parts = vocab.name_parts(model)
        # "RAV4" is typed as one word ("rab4"); "Land Cruiser Prado" is read by its words.
        if not _needs_make(model) and len(parts) <= 2 and not all(p.isdigit() for p in parts):
            words.setdefault(vocab.name_key(model), vocab.name_key(model))
    for word in _distinctive_words(catalog):
        words.setdefault(word, word)
    return words


def _known_words() -> re.Pattern[str]:
    """Return a pattern for the words the vocabulary already reads: they are no typos."""
    patterns = [
        *(p for p, _ in vocab.BODY_WORDS),
        *(p for p, _ in vocab.LOOSE_BODY_WORDS),
        vocab.CAR_WORDS,
        *(p for p, _ in vocab.FUEL_WORDS),
        *(p for p, _ in vocab.GEAR_WORDS),
        *(p for p, _ in vocab.DRIVETRAIN_WORDS),
        *(p for p, _ in vocab.MAKE_ORIGINS),
        *(p for p, _ in _SORT_WORDS),
        "|".join(vocab.COLOR_WORDS),
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=64)
def _lexicon(makes: frozenset[str], models: tuple[tuple[str, str], ...]) -> spelling.Lexicon:
    catalog = Catalog(makes, dict(models))
    words = {**{w: w for w in vocab.TYPO_WORDS}, **_model_words(catalog)}
    near: dict[str, frozenset[str]] = {}
    for model, make in catalog.models.items():
        make_words = {vocab.name_key(make), *vocab.MAKE_ALIASES.get(vocab.name_key(make), ())}
        for word in (vocab.name_key(model), *vocab.name_parts(model)):
            near[word] = near.get(word, frozenset()) | make_words
    return spelling.Lexicon(words, _KNOWN, near)


def _corrected(text: str, catalog: Catalog) -> str:
    """Rewrite the sure typos of a folded message ("toyta", "yipetta") as the word meant."""
    key = tuple(sorted(catalog.models.items()))
    return spelling.correct(text, _lexicon(frozenset(catalog.makes), key))


# ---------------------------------------------------------------------------------------------
# Makes and models


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
    for model, make in catalog.models.items():
        name = f"{make} {model}" if _needs_make(model) else model
        hits += [_Hit(*span, make, model, True) for span in _spans(name, text)]
    for word, model in _distinctive_words(catalog).items():
        owner = catalog.models[model]
        hits += [_Hit(*span, owner, model, False) for span in _spans(word, text)]
    for short, model in _short_names(catalog).items():
        owner = catalog.models[model]
        hits += [_Hit(*span, owner, model, False) for span in _spans(short, text)]
    return hits


def _short_names(catalog: Catalog) -> dict[str, str]:
    """Map the letters-and-digits end of a longer name ('i10' of 'Grand i10') to its model."""
    owners: dict[str, set[str]] = {}
    for model in catalog.models:
        parts = vocab.name_parts(model)
        if len(parts) >= 3 and parts[-2].isalpha() and parts[-1].isdigit():
            owners.setdefault(parts[-2] + parts[-1], set()).add(model)
    taken = {vocab.name_key(model) for model in catalog.models}
    return {
        short: next(iter(models))
        for short, models in owners.items()
        if len(models) == 1 and short not in taken
    }


# The customer's own vehicle: "mi corolla 2012", "my old Civic", "el mío".
_OWN_BEFORE = re.compile(
    r"(?<![a-z])(?:mi|mis|my|nuestr[oa]|our|tengo (?:un|una)|i (?:have|own|drive) an?|"
    r"i've got an?)\s+(?:(?:carro|carrito|vehiculo|yipeta|jeepeta|"
    r"camioneta|guagua|auto|car|truck|suv|viej[oa]|actual|old|current|propi[oa])\s+)*"
    r"(?P<year>(?:19|20)\d\d\s+)?$"
)
_OWN_NOUN = re.compile(
    r"(?<![a-z])(?:mi|mis|my|nuestr[oa]|our)\s+(?:(?:viej[oa]|actual|old|current|propi[oa])\s+)?"
    r"(?:carro|carrito|vehiculo|yipeta|jeepeta|yipetica|camioneta|guagua|auto|car|truck|suv|"
    r"pasola|motor)s?\b|"
    # A vehicle this dealer doesn't stock, told by its year: "mi accord 2010", "my 2015 civic".
    r"(?<![a-z])(?:mi|my)\s+(?:(?:19|20)\d\d\s+[a-z][a-z0-9-]*|[a-z][a-z0-9-]*"
    r"(?:\s+[a-z][a-z0-9-]*)?\s+(?:del?\s+|modelo\s+)?(?:19|20)\d\d)\b"
)
_OWN_AFTER = re.compile(
    r"^\s*(?:(?:del?|year|ano|modelo)\s+)?(?:(?:19|20)\d\d|['’]?\d\d)(?![\d.,])"
    r"(?:\s*(?:con|with)?\s*\d[\d.,]*\s*(?:mil|k)?\s*(?:kms?|kilometros|millas|miles))?"
)


def _makes_and_models(
    text: str, catalog: Catalog
) -> tuple[set[str], set[str], set[str], set[str], str]:
    """Find makes and models, wanted or ruled out; the longest, most exact reading wins.

    Return the makes, models, makes ruled out, models ruled out, and the text with them blanked.
    """
    hits = sorted(
        _vehicle_hits(text, catalog),
        key=lambda h: (h.end - h.start, h.exact, h.model is not None),
        reverse=True,
    )
    taken: list[_Hit] = []
    for hit in hits:
        if all(hit.end <= t.start or hit.start >= t.end for t in taken):
            taken.append(hit)
    taken.sort(key=lambda h: h.start)
    blanks = [(h.start, h.end) for h in taken]
    # The customer's own vehicle, and what goes on naming it ("mi Toyota Corolla 2012").
    owned: list[_Hit] = []
    for hit in taken:
        joined = owned and not text[owned[-1].end : hit.start].strip()
        own = _OWN_BEFORE.search(text[: hit.start])
        if joined or own:
            owned.append(hit)
            if own and own.group("year"):
                blanks.append(own.span("year"))
            if m := _OWN_AFTER.match(text[hit.end :]):
                blanks.append((hit.end, hit.end + m.end()))
    wanted = [h for h in taken if h not in owned]
    ruled = _ruled_out_all(text, [(h.start, h.end) for h in wanted])
    makes: set[str] = set()
    models: set[str] = set()
    not_makes: set[str] = set()
    not_models: set[str] = set()
    for hit, out in zip(wanted, ruled, strict=True):
        if not out:
            makes.add(hit.make)
            if hit.model is not None:
                models.add(hit.model)
        elif hit.model is not None:
            not_models.add(hit.model)  # "menos la Tucson" rules out the model, not Hyundai
        else:
            not_makes.add(hit.make)
    text = _blank(text, blanks)
    _, text = _take(_OWN_NOUN, text)
    return makes, models, not_makes, not_models, text


_ORIGINS = tuple((word_pattern(words), makes) for words, makes in vocab.MAKE_ORIGINS)
# An origin names makes only beside a vehicle word or a "no": "el chino" is a nickname.
_VEHICLE_BEFORE_ORIGIN = re.compile(
    r"(?<![a-z])(?:carros?|carritos?|yipetas?|jeepetas?|camionetas?|guaguas?|vehiculos?|autos?|"
    r"marcas?|algo|cars?|suvs?|trucks?|brands?|something|uno|una|unos|unas|las|los|modelos?)"
    r"(?:\s+(?:de marca|marca))?\s*$"
)
_VEHICLE_AFTER_ORIGIN = re.compile(r"^\s*(?:cars?|suvs?|trucks?|brands?|makes?|vehicles?)\b")


def _origins(text: str, catalog: Catalog) -> tuple[set[str], set[str], str]:
    """Read 'una yipeta japonesa' and 'no quiero coreanos' as the makes of that origin."""
    wanted: set[str] = set()
    ruled: set[str] = set()
    for pattern, origin_makes in _ORIGINS:
        stocked = {make for make in catalog.makes if make in origin_makes}
        for m in pattern.finditer(text):
            if _ruled_out(text, m.start(), m.end()):
                ruled |= stocked
            elif _VEHICLE_BEFORE_ORIGIN.search(text[: m.start()]) or _VEHICLE_AFTER_ORIGIN.match(
                text[m.end() :]
            ):
                # None stocked: the makes themselves, so the answer says there are none.
                wanted |= stocked or set(origin_makes & vocab.MARKET_MAKES)
            else:
                continue
            text = _blank(text, [m.span()])
    return wanted, ruled, text


# ---------------------------------------------------------------------------------------------
# Seats

_COUNTS = {word: n for word, n in NUMBER_WORDS.items() if n >= 2}
_COUNT = rf"\d{{1,2}}|{'|'.join(_COUNTS)}"
_SEATS = (
    word_pattern(
        rf"(?P<n>{_COUNT})[\s-]*(?:pasajeros|asientos|plazas|puestos|personas|seats?|"
        r"seaters?|people|passengers)"
    ),
    # "que quepan 8", "caben 12", "fits 7".
    word_pattern(
        rf"(?:quepan|quepa|caben|cabe|entren|fits?|seats?|sienta) (?P<n>{_COUNT})(?![.,]?\d)"
    ),
    # "para 7", unless it goes on as money or time: "para 2 millones", "para 5 años".
    word_pattern(
        rf"para (?P<n>{_COUNT})(?![.,]?\d| ?(?:mil|millon|millones|mm?|k|%|anos?|meses|"
        r"dias|de|palos?|palitos?)(?![a-z]))"
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
# Mileage

_KM = r"kms?|kilometros?|kilometers?|kilometres?|k\.m\.?"
_MILES = r"millas|miles|mi"
_DISTANCE = (
    rf"(?P<num>\d+(?:[.,]\d+)*)\s?(?P<k>mil|k)?\s?(?:de\s)?(?:(?P<km>{_KM})|(?P<mi>{_MILES}))"
)
_MILEAGE_CAPS = tuple(
    re.compile(p)
    for p in (
        # "menos de 20 mil km", "que no pase de 50,000 kilómetros", "under 30k miles"
        rf"(?<![a-z])(?:menos de|no mas de|hasta|maximo|max|que no pasen? de|no pasen? de|"
        rf"no mayor (?:de|a)|por debajo de|debajo de|bajo|under|below|less than|no more than|"
        rf"up to|at most|fewer than|no (?:tenga|tengan|supere|superen|exceda|excedan) "
        rf"(?:de |mas de |los |arriba de )?)\s*(?:los\s|unos\s)?{_DISTANCE}\b",
        # "30 mil km o menos", "50,000 km máximo"
        rf"(?<![\w.,]){_DISTANCE}\s+(?:o menos|para abajo|maximo|max|or less|or fewer|tops|"
        rf"at most|como maximo)\b",
        # "kilometraje menor a 40 mil", "mileage under 30k"
        rf"(?<![a-z])(?:kilometraje|millaje|mileage|recorrido)\s+(?:de\s)?(?:menos de|"
        rf"menor (?:de|a)|bajo|hasta|maximo|no mayor (?:de|a)|que no pase de|under|below|"
        rf"less than|of less than)"
        rf"\s+(?P<num>\d+(?:[.,]\d+)*)\s?(?P<k>mil|k)?\s?(?:(?P<km>{_KM})|(?P<mi>{_MILES}))?",
    )
)
_KM_PER_MILE = 1.609344
# "0 km" is a vehicle nobody has driven: a cap of nothing, whatever its year.
_ZERO_KM = word_pattern(r"(?:0|cero|zero) ?(?:km|kms|kilometros?|kilometers?|miles|millas)")


def _mileage_cap(text: str) -> tuple[int | None, str]:
    """Read 'menos de 20 mil km' as a cap on the odometer, in kilometres."""
    cap: int | None = None
    if zero := list(_ZERO_KM.finditer(text)):
        cap, text = 0, _blank(text, (m.span() for m in zero))
    for pattern in _MILEAGE_CAPS:
        for m in pattern.finditer(text):
            number = read_number(m.group("num"))
            if number is None or number.fraction:
                continue
            km = number.whole * (1000 if m.group("k") else 1)
            if m.group("mi"):
                km = round(km * _KM_PER_MILE)
            if 1_000 <= km <= 1_000_000:
                cap = km if cap is None else min(cap, km)
                text = _blank(text, [m.span()])
    return cap, text


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
        # Engines: "motor 2.5", "un 1.8 turbo", "2.0 litros", "1500 cc", "4 cilindros".
        r"(?<![a-z])(?:motor|motorcito|engine|cilindrada|litros?)\s(?:de\s)?\d(?:[.,]\d)?\b",
        r"(?<![\d.,])(?:\d(?:[.,]\d)?\s?(?:l|lts?|litros?|liters?|turbo|t|cilindros?|"
        r"cylinders?)|\d{3,4}\s?(?:cc|hp|caballos))\b",
        # Down payments, instalments and income are money, but not the price asked for.
        rf"\b(?:inicial|pronto|cuotas?|mensualidad(?:es)?|pagos? (?:inicial|mensual(?:es)?)|"
        rf"down payment|monthly payments?|payments? of|salario|sueldo|gano|ingresos?|abono|"
        rf"entrada|deposito|reserva|separar|apartar)\s(?:de |of |es de |is |como |de unos |"
        rf"around |unos )?{AMOUNT}",
        rf"{AMOUNT}\s(?:de inicial|inicial|de pronto|de entrada|de cuota|mensual(?:es)?|"
        rf"al mes|por mes|a month|per month|monthly|down|de salario|de sueldo|de deposito|"
        rf"para (?:separar|apartar|reservar))\b",
    )
)

_FILLER = r"(?:\s+(?:de|a|al|el|la|los|unos|unas|like|about|around|aprox|aproximadamente|como))*"
_UPPER_BEFORE = re.compile(
    r"(?<![a-z])(?:menos de|no mas de|no mayor a|hasta|maximo|max|por debajo de|debajo de|"
    r"under|below|less than|no more than|up to|tope(?: (?:es|son|de|seria))*|"
    r"presupuesto(?: (?:es|de|en dolares|en pesos|en usd|maximo))*:?|"
    r"budget(?: (?:is|es|of|de|in dollars|in usd))*:?|a lo sumo|no pasar de|que no pasen? de|"
    r"no pasen? de|"
    r"(?:solo |nada mas |solamente )?tengo(?: como| unos)?|cuento con|dispongo de|i have|"
    # "¿qué me dan con 40 mil dólares?", "con 2 palos qué hay": what the money can buy.
    r"(?:me dan|me das|me alcanza|consigo|compro|hay|tienes|tienen)? ?con|"
    r"i've got|i got|no (?:me |te |le )?(?:pases?|pasen|pasar|pasarme|excedas?|excedan) de|"
    r"(?:no|sin) (?:quiero |quisiera |puedo |voy a |pienso )?(?:gastar|pagar|invertir|"
    r"poner|dar) (?:mas de|arriba de|encima de)|(?:don'?t|do not|can'?t|cannot|won'?t) "
    r"(?:want to )?(?:spend|pay) (?:more than|over|above)|"
    rf"no exceda de|que no exceda|no superior a|no suba de|que no suba de){_FILLER}\s*$"
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
# A bare number is a price in millions when the message makes it one ("hasta 2,5", "por
# 1.8", "de 1.5"), never after an engine or before a measure.
_PRICE_BEFORE = re.compile(
    r"(?<![a-z])(?:de|por|en|como|unos|unas|alrededor de|aprox|aproximadamente|cerca de|"
    r"presupuesto|tengo|around|about|for|for about|mas o menos|sobre|pago|pagar|pagaria|"
    r"gastar|invertir|ofrezco|doy|te doy|le doy|vale|valga|valgan|cuesta|cueste|cuesten|"
    r"sale|salga|salgan|ronde|rondando|precio|en unos|por unos|por ahi de)\s*$"
)
_PRICE_AFTER = re.compile(r"^\s*(?:$|[?!.,;)]|o |y |or |and |pero |but |que |millones?\b)")
# What makes a number of millions without a unit too small or too big to be a vehicle's.
_BARE_MILLIONS = (0.2, 30)


def _range(text: str, low: Amount, high: Amount, currency: Currency) -> tuple[int, int] | None:
    """Read 'entre 1.5 y 2 millones': a unit said once, at the end, applies to both."""
    join = text[low.end : high.start]
    if not _RANGE_JOIN.match(join):
        return None
    opened = _RANGE_OPEN.search(text[: low.start])
    if join.strip() in ("y", "and") and not opened:
        return None
    usd: Literal["USD"] | None = "USD" if currency == Currency.USD else None
    highs = [high.budget(currency=usd), high.budget(low.unit, usd)]
    lows = [low.budget(currency=usd), low.budget(high.unit, usd)]
    if high.in_millions and low.unit is None:
        lows.append(low.budget("mil", usd))  # "entre 800 y 1 millón": the 800 is thousands
    if (
        low.unit is None
        and high.unit is None
        and (opened or _fraction(low) or _fraction(high))
        and _PRICE_AFTER.match(text[high.end :])
    ):
        # "de 1.5 a 2", "entre 1 y 2": millions, said without the word.
        lows.append(_bare_millions(low))
        highs.append(_bare_millions(high))
    for top in highs:
        for bottom in lows:
            if top and bottom and bottom < top:
                return bottom, top
    return None


def _fraction(amount: Amount) -> bool:
    number = read_number(amount.number)
    return number is not None and bool(number.fraction)


def _bare_millions(amount: Amount) -> int | None:
    """Read a number said without a unit as millions of pesos, if it can be: '1.5', '2,5'."""
    if amount.unit or amount.currency:
        return None
    value = amount.value("millones")
    if value is None or not _BARE_MILLIONS[0] * 1e6 <= value <= _BARE_MILLIONS[1] * 1e6:
        return None
    return value


def _bare_thousands(amount: Amount, currency: Literal["USD"] | None) -> int | None:
    """Read '700' said as a bound ("de 700 pa abajo") as thousands: no car costs RD$700."""
    number = read_number(amount.number)
    if amount.unit or number is None or number.fraction or not 100 <= number.whole <= 999:
        return None
    return amount.budget("mil", currency)


def _band(amount: int) -> tuple[int, int]:
    """Turn 'around 2 millones' into 2 millones give or take 15%."""
    return (amount * 85 + 50) // 100, (amount * 115 + 50) // 100


# "en dólares", "USD", said apart from the number: the budget's currency ("verdes" only
# counts after its amount: "yipetas verdes de 400 mil" are green).
_DOLLARS_SAID = word_pattern(r"dolares|dolar|dollars?|usd|en us")
# Below this, an amount with no currency in a message that speaks of dollars is in dollars.
_DOLLAR_SIZED = 500_000
# A "$" amount this small is no price in pesos: a customer means dollars ("$25,000").
_DOLLAR_SIGN_SIZED = 100_000


def _currency(text: str, amounts: Sequence[Amount]) -> Currency:
    """Tell the currency the budget is stated in."""
    for amount in amounts:
        if amount.currency is not None:
            return Currency(amount.currency)
    values = [v for a in amounts if (v := a.value()) is not None]
    if values and _DOLLARS_SAID.search(text) and max(values) < _DOLLAR_SIZED:
        return Currency.USD
    for amount in amounts:
        value = amount.value()
        if text[amount.start] == "$" and value is not None and value < _DOLLAR_SIGN_SIZED:
            return Currency.USD
    return Currency.DOP


def _looks_like_a_year(amount: Amount) -> bool:
    """Tell whether a number is a model year rather than a budget (only dollars could be 2022)."""
    return (
        amount.unit is None
        and not amount.said_as_money
        and re.fullmatch(r"(?:19[89]|20[0-4])\d", amount.number) is not None
    )


def _prices(text: str) -> tuple[int | None, int | None, Currency, str]:
    for pattern in _NOT_PRICES:
        _, text = _take(pattern, text)
    amounts = find_amounts(text)
    currency = _currency(text, amounts)
    usd: Literal["USD"] | None = "USD" if currency == Currency.USD else None
    lowest: int | None = None
    highest: int | None = None
    bare: list[int] = []
    used: list[tuple[int, int]] = []
    i = 0
    while i < len(amounts):
        amount = amounts[i]
        if i + 1 < len(amounts) and (both := _range(text, amount, amounts[i + 1], currency)):
            lowest, highest = lowest or both[0], highest or both[1]
            used.append((amount.start, amounts[i + 1].end))
            i += 2
            continue
        i += 1
        if _looks_like_a_year(amount):
            continue  # "2022 or newer, under 30k USD": the year pass reads it
        before, after = text[: amount.start], text[amount.end :]
        upper = _UPPER_BEFORE.search(before) or _UPPER_AFTER.match(after)
        lower = not upper and (_LOWER_BEFORE.search(before) or _LOWER_AFTER.match(after))
        value = amount.budget(currency=usd)
        closed = _PRICE_AFTER.match(after) or _UPPER_AFTER.match(after) or _LOWER_AFTER.match(after)
        if value is None and closed:
            # "hasta 2,5", "por 1.8", "1.5 o menos", "hasta 3", "700 pa abajo": millions or
            # thousands the customer didn't say. A whole number needs a bound ("de 2" may be
            # anything).
            if upper or lower:
                value = _bare_millions(amount) or _bare_thousands(amount, usd)
            elif _fraction(amount) and _PRICE_BEFORE.search(before):
                value = _bare_millions(amount)
        if value is None:
            continue
        used.append((amount.start, amount.end))
        if upper:
            highest = highest or value
        elif lower:
            lowest = lowest or value
        else:
            bare.append(value)
    if lowest is None and highest is None and bare:
        lowest, highest = _band(bare[0])
    if lowest is None and highest is None:
        currency = Currency.DOP
    return lowest, highest, currency, _blank(text, used)


# ---------------------------------------------------------------------------------------------
# Years

_YEAR_RE = re.compile(r"(?<![a-z0-9.,$])(?<![a-z]-)((?:19|20)\d\d)(?![a-z0-9]|[.,]\d)")
_YEAR_FILLER = r"(?:\s+(?:el|la|los|ano|anos|modelo|modelos|the|year|model))*\s*$"
# Each bound: how a year is introduced (before) or followed (after), and the shift that
# turns an exclusive bound inclusive ("after 2019" is 2020 or newer).
_YEAR_BOUNDS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # "que no sea más viejo que 2021" is 2021 or newer, and the other way round.
    ("min", re.compile(rf"(?<![a-z])no (?:sea |sean |es )?(?:mas viej[oa]s?|anterior(?:es)?) "
                       rf"(?:que|a|al|del?){_YEAR_FILLER}"), 0),
    ("max", re.compile(rf"(?<![a-z])no (?:sea |sean |es )?(?:mas nuev[oa]s?|posterior(?:es)?) "
                       rf"(?:que|a|al|del?){_YEAR_FILLER}"), 0),
    ("min", re.compile(rf"(?<![a-z])(?:despues del?|after|posterior(?:es)? al?|"
                       rf"mas nuev[oa]s? que|newer than){_YEAR_FILLER}"), 1),
    ("min", re.compile(rf"(?<![a-z])(?:desde|from|since|a partir del?){_YEAR_FILLER}"), 0),
    ("max", re.compile(rf"(?<![a-z])(?:antes del?|before|older than|mas viej[oa]s? que|"
                       rf"anterior(?:es)? al?){_YEAR_FILLER}"), -1),
    ("max", re.compile(rf"(?<![a-z])(?:hasta|up to|until|till){_YEAR_FILLER}"), 0),
)  # fmt: skip
_YEAR_AFTER_MIN = re.compile(
    r"^\s*(?:(?:o|or) (?:mas|more)(?!\s*[a-z])|(?:(?:o|or) )?(?:\+|(?:mas nuev[oa]s?|en adelante|"
    r"para arriba|hacia adelante|newer|later|and up|and newer|and later|onwards?|superior|"
    r"mas reciente|en alante|para aca|hacia aca|para adelante)\b))"
)
_YEAR_AFTER_MAX = re.compile(
    r"^\s*(?:(?:o|or) )?(?:mas viej[oa]s?|older|earlier|anterior(?:es)?|para abajo|"
    r"and older|and earlier|inferior|menos)\b"
)
_NEW = word_pattern(
    r"(?<!\bde )(?<!\bcomo )(?<!\bsemi )(?:nuev[oa]s?|nuevecit[oa]s?)|del ano(?! pasado)|brand new|"
    r"new (?:cars?|suvs?|trucks?|vehicles?|vans?|minivans?|pickups?)"
)
_RECENT = word_pattern(r"recientes?|recent")
_AGE_COUNT = r"\d{1,2}|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|two|three|four|five|ten"
# An age instead of a year: "de los últimos 3 años", "que no tenga más de 5 años".
_AGE = word_pattern(
    rf"(?:(?:de )?(?:los )?(?:ultimos|last)\s+(?P<n>{_AGE_COUNT})\s+(?:anos|years)|"
    rf"(?:de menos de|menos de|que no tenga mas de|no tenga mas de|no mas de|less than|"
    rf"under|no older than)\s+(?P<m>{_AGE_COUNT})\s+(?:anos|years)(?: de (?:uso|viejo|"
    rf"antiguedad))?(?: old)?)"
)


def _age(text: str, today_year: int) -> tuple[int | None, str]:
    """Read 'de los últimos 3 años' as the oldest model year wanted."""
    oldest: int | None = None
    for m in _AGE.finditer(text):
        said = m.group("n") or m.group("m")
        years = int(said) if said.isdigit() else NUMBER_WORDS[said]
        if 0 < years <= 30:
            oldest = max(oldest or 0, today_year - years)
            text = _blank(text, [m.span()])
    return oldest, text


# Two-digit years where only a year can be meant: "modelo 19", "año 21", "del 18 en
# adelante", "del 18 al 20", "'19".
_SHORT_YEARS = (
    re.compile(
        r"(?<![a-z])(?P<lead>(?:modelos?|ano|anos|year|model|mod|del ano)\s+(?:del?\s+)?)"
        r"(?P<a>\d\d)(?:(?P<join>\s*(?:-|a|al|y|o|or|to|hasta)\s*)(?P<b>\d\d))?(?![\d.,])"
        r"(?!\s*(?:mil|k|m|millones?|km|kms|pasajeros|asientos|%|meses|dias|anos)\b)"
    ),
    re.compile(
        r"(?<![a-z])(?P<lead>del?\s+)(?P<a>\d\d)(?P<join>\s+al\s+)(?P<b>\d\d)(?![\d.,])"
        r"(?!\s*(?:mil|k|m|millones?|palos?|%|km|kms|pasajeros|asientos|meses|dias|anos)\b)"
    ),
    re.compile(
        r"(?<![a-z])(?P<lead>del\s+)(?P<a>\d\d)(?![\d.,])(?=\s+(?:para arriba|en adelante|"
        r"o mas nuev[oa]|hacia adelante|para adelante|para abajo|o mas viej[oa]|en alante)\b)"
    ),
    re.compile(r"(?<![\w'’])(?P<lead>['’])(?P<a>\d\d)(?![\d.,]|[a-z])"),
    # "la rav4 del 19", unless a date or an amount: "del 19 de marzo", "del 15 al 20 mil".
    re.compile(
        r"(?<![a-z])(?P<lead>del\s+)(?P<a>\d\d)(?![\d.,])(?!\s*(?:de|del|al?|y|mil|k|m|"
        r"millones?|palos?|%|km|kms|pasajeros|asientos|meses|dias|anos)\b)"
    ),
)


def _four_digits(two: str, today_year: int) -> str:
    year = 2000 + int(two)
    return str(year if year <= today_year + 1 else year - 100)


def _full_years(text: str, today_year: int) -> str:
    """Write the two-digit years a customer means in full: "modelo 19" -> "modelo 2019"."""

    def full(m: re.Match[str]) -> str:
        lead = "" if m.group("lead") in ("'", "’") else m.group("lead")
        written = lead + _four_digits(m.group("a"), today_year)
        if m.groupdict().get("b"):
            written += m.group("join") + _four_digits(m.group("b"), today_year)
        return written

    for pattern in _SHORT_YEARS:
        text = pattern.sub(full, text)
    return text


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
# Body types, fuels, transmissions, drivetrains (their words: text/vocabulary.py), sort

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
_ENGLISH_FUELS = tuple((word_pattern(words), fuel) for words, fuel in vocab.ENGLISH_FUEL_WORDS)
_GEARS = tuple((word_pattern(words), gear) for words, gear in vocab.GEAR_WORDS)
_DRIVETRAINS = tuple((word_pattern(words), kinds) for words, kinds in vocab.DRIVETRAIN_WORDS)
_SORT_WORDS: tuple[tuple[str, Sort], ...] = (
    # Low mileage first: its "menos" and "bajo" are not a price's.
    (r"(?:menos|menor|poco|pocos|poca|bajo|baja|less|lower|lowest|least|fewest|low)\s"
     r"(?:millaje|kilometraje|kilometros|kms?|millas|recorrido|uso|mileage|miles|kilometers)|"
     r"(?:millaje|kilometraje|recorrido)\s(?:mas )?(?:bajo|menor)|poco usad[oa]s?|"
     r"casi sin usar", "mileage_asc"),
    (r"de mayor a menor(?: precio)?|del mas caro al mas barato|most expensive first",
     "price_desc"),
    (r"de menor a mayor(?: precio)?|(?:ordenad\w*|organizad\w*|ordena\w*) por precio|"
     r"por precio|cheapest first", "price_asc"),
    (r"(?:mas )?barat\w*|(?:mas )?economic[oa]s?(?! (?:en|de) (?:combustible|gasolina|gas|"
     r"consumo))|cheap\w*|affordable|menor precio|precio mas bajo|lowest price|"
     r"(?:mas )?asequibles?", "price_asc"),
    (r"mas car[oa]s?|de lujo|lujos[oa]s?|premium|most expensive|luxury|alta gama|"
     r"high end", "price_desc"),
    (r"mas nuev[oa]s?|mas recientes?|newest|latest|most recent|ultimos? modelos?|"
     r"mas modern[oa]s?|mas actual(?:es)?", "newest"),
)  # fmt: skip
_SORTS = tuple((word_pattern(pattern), sort) for pattern, sort in _SORT_WORDS)
_KNOWN = _known_words()


@dataclass(frozen=True)
class _Said(Generic[T]):
    start: int
    end: int
    value: T


def _found(table: Sequence[tuple[re.Pattern[str], T]], text: str) -> tuple[list[_Said[T]], str]:
    """Find every value the table's patterns name, in order of appearance, and blank them."""
    found: list[_Said[T]] = []
    for pattern, value in table:
        matches, text = _take(pattern, text)
        found += [_Said(m.start(), m.end(), value) for m in matches]
    return sorted(found, key=lambda said: said.start), text


def _wanted(found: Sequence[_Said[T]], text: str) -> tuple[list[T], list[T]]:
    """Split what was said into what is wanted and what is ruled out."""
    ruled = _ruled_out_all(text, [(s.start, s.end) for s in found])
    return (
        [s.value for s, out in zip(found, ruled, strict=True) if not out],
        [s.value for s, out in zip(found, ruled, strict=True) if out],
    )


def _collect(table: Sequence[tuple[re.Pattern[str], T]], text: str) -> tuple[list[T], str]:
    """Return the value of every pattern found, in order of appearance, and blank them."""
    found, text = _found(table, text)
    return [said.value for said in found], text


def _one_of(
    table: Sequence[tuple[re.Pattern[str], E]], text: str, kind: type[E]
) -> tuple[set[E], str]:
    """Read fuels or gearboxes; one ruled out means any of the others ("no quiero mecánica")."""
    found, blanked = _found(table, text)
    wanted, ruled = _wanted(found, text)
    if wanted or not ruled:
        return set(wanted), blanked
    return set(kind) - set(ruled), blanked


def _drivetrains(text: str) -> tuple[set[Drivetrain], str]:
    found, blanked = _found(_DRIVETRAINS, text)
    wanted, _ = _wanted(found, text)
    return {kind for kinds in wanted for kind in kinds}, blanked


def _bodies(text: str, names_a_vehicle: bool) -> set[BodyType]:
    found, scratch = _found(_BODIES, text)
    if not found:
        found, scratch = _found(_LOOSE_BODIES, text)
    wanted, _ = _wanted(found, text)
    bodies: set[BodyType] = set()
    for kinds in wanted:
        bodies |= kinds
    if found or names_a_vehicle:
        # "un carro Toyota" asks for the Toyota, whatever its body.
        return bodies
    generic = [m.span() for m in _GENERIC_CARS.finditer(scratch)]
    for car in _CAR.finditer(scratch):
        if not any(start <= car.start() < end for start, end in generic):
            return set() if _ruled_out(scratch, *car.span()) else set(vocab.CARS)
    return set()


# ---------------------------------------------------------------------------------------------
# Colours

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


def _colors(text: str, english: bool) -> tuple[set[Color], str]:
    """Read the colours a customer wants: "en rojo", "la blanca", "color gris"."""
    _, text = _take(_NOT_COLORS, text)
    said = list(_COLOR.finditer(text))
    ruled = _ruled_out_all(text, [m.span() for m in said])
    colors: set[Color] = set()
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
            continue
        used.append(m.span())
        if not out:
            colors.add(vocab.COLOR_WORDS[word])
    return colors, _blank(text, used)


# ---------------------------------------------------------------------------------------------
# The whole message


def _canonical(text: str) -> str:
    """Spell a few compounds one way, so one pattern reads them all."""
    text = re.sub(r"\bmini[\s-]vans?\b", "minivan", text)
    text = re.sub(r"\bpick[\s-]?ups?\b", "pickup", text)
    text = re.sub(r"(?<![\d.,])\b4 ?(?:x|por) ?4\b", "4x4", text)
    text = re.sub(r"(?<![\d.,])\b4 ?(?:x|por) ?2\b", "4x2", text)
    text = re.sub(r"\ball[\s-]wheel[\s-]drive\b", "awd", text)
    text = re.sub(r"\b(?:pa['’]? ?lante|palante|para a?lante|pa alante)\b", "para adelante", text)
    return re.sub(r"\bpa['’]? ?(arriba|abajo|atras|adelante)\b", r"para \1", text)


def _scratch(text: str, catalog: Catalog, today_year: int) -> str:
    """Return the message as the passes read it: folded, spelled out, typos corrected."""
    plain = _canonical(spell_out(fold(text)))
    return _full_years(_corrected(plain, catalog), today_year)


def parse_query(text: str, catalog: Catalog, *, today_year: int) -> VehicleQuery:
    """Turn a customer's message into a query over the dealer's stock."""
    english = detect_language(text) == "en"
    scratch = _scratch(text, catalog, today_year)
    seats, scratch = _seats(scratch)
    makes, models, not_makes, not_models, scratch = _makes_and_models(scratch, catalog)
    origin_makes, origin_ruled, scratch = _origins(scratch, catalog)
    mileage_max, scratch = _mileage_cap(scratch)
    price_min, price_max, currency, scratch = _prices(scratch)
    year_min, year_max, scratch = _years(scratch, today_year)
    oldest, scratch = _age(scratch, today_year)
    year_min = year_min if oldest is None else max(year_min or oldest, oldest)
    drivetrains, scratch = _drivetrains(scratch)
    transmissions, scratch = _one_of(_GEARS, scratch, Transmission)
    fuels, scratch = _one_of((*(_ENGLISH_FUELS if english else ()), *_FUELS), scratch, Fuel)
    sorts, scratch = _collect(_SORTS, scratch)
    colors, scratch = _colors(scratch, english)
    if year_min is None and year_max is None:
        if _NEW.search(scratch):
            year_min = today_year - 1
        elif _RECENT.search(scratch):
            year_min = today_year - 3
    makes |= origin_makes
    not_makes = (not_makes | origin_ruled) - makes
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
        exclude_makes=frozenset(not_makes),
        exclude_models=frozenset(not_models - models),
        colors=frozenset(colors),
        drivetrains=frozenset(drivetrains),
        mileage_max=mileage_max,
        price_currency=currency,
    )


# Any year works for reading a sort order.
_FAR_FUTURE = 2100


def sort_of(text: str) -> Sort | None:
    """Return the order a message asks for ("la más barata", "menos millaje"), or None."""
    sort = parse_query(text, Catalog(), today_year=_FAR_FUTURE).sort
    return None if sort == "relevance" else sort
