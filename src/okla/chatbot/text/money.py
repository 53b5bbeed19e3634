"""Amounts of money as customers, replies and spreadsheets write them, read one way for all.

`find_amounts` finds every amount a folded text may state ("RD$2,700,000", "5.8 millones",
"US$ 30,000", "800 mil", "dos millones", "un millón doscientos mil", "2 palos", "30 mil
verdes"): its number, unit,
the currency it says and where it is. One rule (`read_number`) turns the digits into a value,
so the guard reads exactly the amount the query parser reads. What counts as money is each
reader's call:
- the parser's budget (`Amount.budget`): within a car's range in its currency, never "2.5" on
  its own (the parser lends it a unit when the message makes it a price: "hasta 2,5");
- the guard's stated price (`stated_prices`): "3 opciones" and "7 pasajeros" are no price;
- the importer's cells (`price_cell`, `whole_number`): whole numbers only, nothing spoken.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Literal

from okla.chatbot.text.fold import fold, word_pattern

Currency = Literal["DOP", "USD"]

# A budget below this buys no vehicle; above MAX_PRICE is a price typed with extra zeros.
MIN_PRICE = 10_000
MAX_PRICE = 1_000_000_000
# The same in dollars: "menos de 30 mil dólares" is a budget, "5 dólares" is none.
MIN_PRICE_USD = 1_000
MAX_PRICE_USD = 20_000_000

# An amount in folded text: an optional currency, a number ("2", "1.5", "2,700,000"), an
# optional unit and currency word. Not after letters ("rav4", "cx-5"), not cut out of a longer
# number. One occurrence may be embedded in a larger pattern (its groups are named).
AMOUNT = (
    r"(?<![\w$.,])(?<![a-z]-)"
    r"(?:(?P<cur>rd\s?\$?|us\s?\$?|u\$s|usd|dop|\$)\s*)?"
    r"(?P<num>\d+(?:[.,]\d+)*)"
    r"(?:\s*(?P<unit>millones|millon|millions?|mill|mm|m|mil|k)(?!\w))?"
    r"(?:\s*(?:de\s+|en\s+)?(?P<word>pesos|dolares|dolar|dollars?|usd|dop|dls|dlls|bucks|"
    r"verdes)(?!\w))?"
    r"(?![a-z0-9]|[.,]\d)"
)
_AMOUNT = re.compile(AMOUNT)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALES = {"millones": 10**6, "millon": 10**6, "million": 10**6, "millions": 10**6,
           "mill": 10**6, "mm": 10**6, "m": 10**6, "mil": 1000, "k": 1000}  # fmt: skip
_CURRENCIES: dict[str, Currency] = {
    "rd$": "DOP", "rd": "DOP", "dop": "DOP", "pesos": "DOP",
    "us$": "USD", "us": "USD", "u$s": "USD", "usd": "USD", "dolares": "USD", "dolar": "USD",
    "dollars": "USD", "dollar": "USD", "dls": "USD", "dlls": "USD", "bucks": "USD",
    # Dominican slang: "30 mil verdes" are dollars (only after a unit, see find_amounts).
    "verdes": "USD",
}  # fmt: skip

# Numbers said in words. Counts ("7 pasajeros") use those from two up, amounts those up to ten.
NUMBER_WORDS = {
    "un": 1, "uno": 1, "una": 1, "one": 1, "a": 1, "dos": 2, "two": 2, "tres": 3, "three": 3,
    "cuatro": 4, "four": 4, "cinco": 5, "five": 5, "seis": 6, "six": 6, "siete": 7,
    "seven": 7, "ocho": 8, "eight": 8, "nueve": 9, "nine": 9, "diez": 10, "ten": 10,
    "doce": 12, "twelve": 12, "quince": 15, "fifteen": 15,
}  # fmt: skip
_SMALL_NUMBERS = {word: n for word, n in NUMBER_WORDS.items() if n <= 10}
_HUNDREDS = {
    "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300, "cuatrocientos": 400,
    "quinientos": 500, "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900,
}  # fmt: skip
_SMALL = "|".join(_SMALL_NUMBERS)
# Tens of thousands said in words: "veinte mil dólares", "treinta y cinco mil", "quince mil".
_TENS = {
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60,
    "setenta": 70, "ochenta": 80, "noventa": 90, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veintiun": 21, "veintiuno": 21, "veintidos": 22, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29,
}  # fmt: skip
_UNITS = {"un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
          "siete": 7, "ocho": 8, "nueve": 9}  # fmt: skip
# Spanish "a" is a preposition ("de 1 millón a millón y medio"): only English counts with it.
_SMALL_ES = "|".join(word for word in _SMALL_NUMBERS if word != "a")
_HUNDRED = "|".join(_HUNDREDS)


@dataclass(frozen=True)
class Number:
    """Digits as written, split at the decimal mark."""

    whole: int
    fraction: str = ""  # the digits after the decimal mark: "5" of "2.5", "00" of "1,500.00"


def _thousands(groups: list[str]) -> bool:
    return len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def read_number(text: str) -> Number | None:
    """Read '2700000', '2,700,000', '2.700.000,00', '1.500', '5.8' or '5,8'; None if garbled.

    A mark followed by three digits separates thousands when every mark is the same one
    ("1.500" is fifteen hundred). Otherwise the last mark is the decimal one, followed by one
    or two digits, and the marks before it must all be the other mark ("2.700.000,00").
    """
    if not _NUMBER.fullmatch(text):
        return None
    groups = re.split(r"[.,]", text)
    marks = re.findall(r"[.,]", text)
    if not marks:
        return Number(int(text))
    if len(groups[-1]) == 3 and len(set(marks)) == 1 and _thousands(groups):
        return Number(int("".join(groups)))
    decimal, before = marks[-1], marks[:-1]
    if len(groups[-1]) > 2:
        return None  # "1.2500", "1234.567": no decimal part has more than two digits here
    if before and (decimal in before or len(set(before)) > 1 or not _thousands(groups[:-1])):
        return None  # "1,500,00", "2.700,000.5": no one mark is clearly the decimal one
    return Number(int("".join(groups[:-1])), groups[-1])


def _scaled(number: Number, unit: str | None) -> int:
    """Return the number times its unit in whole units of money.

    A fraction of a peso rounds up, so "2,700,000.50" is never a stocked price of 2,700,000.
    """
    exact = Decimal(f"{number.whole}.{number.fraction or '0'}") * _SCALES.get(unit or "", 1)
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def currency_code(said: str) -> Currency | None:
    """Return the currency a symbol or word names ('RD$', 'us $', 'dólares'), or None ('$')."""
    return _CURRENCIES.get(re.sub(r"\s+", "", fold(said)))


@dataclass(frozen=True)
class Amount:
    """One amount of money a text may state, and where (offsets into the text searched)."""

    start: int
    end: int
    number: str  # as written ("2,700,000", "1.5"); a spoken amount in digits
    unit: str | None  # "millones", "mil", "k", ...
    currency: Currency | None  # None when the text doesn't say ("$", "5.8 millones")
    said_as_money: bool  # a currency, unit or currency word came with the number

    @property
    def in_millions(self) -> bool:
        """Tell whether its unit is millions ("millones", "M", "mm")."""
        return _SCALES.get(self.unit or "") == 1_000_000

    def value(self, unit: str | None = None) -> int | None:
        """Return the amount, with `unit` when it says none; None if the digits are garbled."""
        number = read_number(self.number)
        return None if number is None else _scaled(number, self.unit or unit)

    def budget(self, unit: str | None = None, currency: Currency | None = None) -> int | None:
        """Read the amount as a customer's budget, or None if it can't be one.

        The budget is in its own currency, else in `currency`, else in pesos; `unit` is lent
        to an amount that says none. A number with decimals and no unit is an engine size or
        a rating ("2.5"), not money.
        """
        unit = self.unit or unit
        number = read_number(self.number)
        if number is None or (unit is None and number.fraction):
            return None
        amount = _scaled(number, unit)
        if (self.currency or currency) == "USD":
            return amount if MIN_PRICE_USD <= amount <= MAX_PRICE_USD else None
        return amount if MIN_PRICE <= amount <= MAX_PRICE else None


def _spoken_number(word: str) -> Decimal:
    if word in _SMALL_NUMBERS:
        return Decimal(_SMALL_NUMBERS[word])
    return Decimal(word.replace(",", "."))


def _half(m: re.Match[str]) -> str:
    return str(int((_spoken_number(m.group("n")) + Decimal("0.5")) * 1_000_000))


def _millions_and_thousands(m: re.Match[str]) -> str:
    return str(int(m.group("n")) * 1_000_000 + int(m.group("k")) * 1_000)


def _palos(m: re.Match[str]) -> str:
    count = m.group("n")
    return f"{count} {'millones' if m.group('p').endswith('s') else 'millon'}"


def _and_a_bit(m: re.Match[str]) -> str:
    """Read "un millón y pico" as up to half a million more: a budget, not a sum."""
    return str(int(_spoken_number(m.group("n")) * 1_000_000) + 500_000)


# How many palos: "2 palos", "1.5 palos", "un palo", "medio palo".
_PALO_COUNT = rf"\d+(?:[.,]\d+)?|{_SMALL_ES}|medio"
# Where "millón" says no count of its own: not after a number ("2 millón") or a number word.
_NO_COUNT_BEFORE = (
    "".join(
        rf"(?<!{re.escape(word)} )" for word in (*(w for w in _SMALL_NUMBERS if w != "a"), "medio")
    )
    + r"(?<![\d.,] )"
)
# Slang for a million: "palo" (and its diminutive), "melón" ("un melón", "2 melones").
_PALO = r"palos|palo|palitos|palito|melones|melon"


# Thousands said in words: "trescientos mil", "treinta y cinco mil" -> "300 mil", "35 mil".
_THOUSANDS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (word_pattern(rf"(?P<h>{_HUNDRED})\s+mil"), lambda m: f"{_HUNDREDS[m.group('h')]} mil"),
    (
        word_pattern(
            rf"(?P<t>{'|'.join(_TENS)})(?:\s+y\s+(?P<u>{'|'.join(_UNITS)}))?\s+mil(?!\s+millones)"
        ),
        lambda m: f"{_TENS[m.group('t')] + _UNITS.get(m.group('u') or '', 0)} mil",
    ),
)


def thousands_in_digits(text: str) -> str:
    """Write thousands said in words in digits: "treinta mil km" -> "30 mil km"."""
    if "mil" not in text:
        return text
    for pattern, digits in _THOUSANDS:
        text = pattern.sub(digits, text)
    return text


# Amounts said in words, rewritten as digits that AMOUNT reads. In order:
# "un millón doscientos mil" -> "un millón 200 mil" -> "1 millón 200 mil" -> "1200000".
# A "palo" is a million in the Dominican Republic: "2 palos", "palo y medio", "medio palo";
# it counts only with its number, so a palo of wood is left alone.
_SPOKEN: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (word_pattern(rf"(?P<n>{_PALO_COUNT})\s*(?P<p>{_PALO})(?! de agua)"), _palos),
    (word_pattern(r"(?:palo|melon)\s+y\s+medio"), lambda _: "millon y medio"),
    # "el millón", "del millón", "millón doscientos": a million said without its one.
    (re.compile(rf"{_NO_COUNT_BEFORE}(?<![a-z0-9.,])millon(?![a-z0-9])"), lambda _: "1 millon"),
    (word_pattern(rf"(?P<n>\d+(?:[.,]\d)?|{_SMALL_ES})\s+(?:millon|millones)\s+y\s+medio"), _half),
    (word_pattern(r"(?P<n>\d+)\s+y\s+medio\s+millones"), _half),
    (
        word_pattern(rf"(?P<n>\d+|{_SMALL_ES})\s+(?:millon|millones)\s+y\s+(?:pico|algo|tanto)"),
        _and_a_bit,
    ),
    (word_pattern(r"medio\s+millon|half\s+a\s+million"), lambda _: "500000"),
    *_THOUSANDS,
    # "entre uno y dos millones": the low end of a range takes its unit from the high one.
    (
        word_pattern(
            rf"(?P<n>{_SMALL_ES})(?=\s+(?:y|a|al|o|hasta)\s+(?:\d+(?:[.,]\d+)?|{_SMALL_ES})\s+"
            r"(?:millon|millones|mil)(?![a-z0-9]))"
        ),
        lambda m: str(_SMALL_NUMBERS[m.group("n")]),
    ),
    (
        word_pattern(rf"(?P<n>{_SMALL_ES})\s+(?P<u>millon|millones)"),
        lambda m: f"{_SMALL_NUMBERS[m.group('n')]} {m.group('u')}",
    ),
    (
        word_pattern(rf"(?P<n>{_SMALL})\s+(?P<u>millions?)"),
        lambda m: f"{_SMALL_NUMBERS[m.group('n')]} {m.group('u')}",
    ),
    (
        word_pattern(r"(?P<n>\d+)\s+(?:millon|millones)\s+(?:y\s+)?(?P<k>\d{1,3})\s+mil"),
        _millions_and_thousands,
    ),
    # "un millón doscientos", "1 palo 500": the thousands said without "mil".
    (
        word_pattern(
            rf"(?P<n>\d+)\s+(?:millon|millones)\s+(?:y\s+)?(?P<k>\d{{3}}|{_HUNDRED})"
            r"(?!\s*(?:mil|millon|millones|km|kms|kilometros|millas)\b)"
        ),
        lambda m: str(
            int(m.group("n")) * 1_000_000
            + (_HUNDREDS[k] if (k := m.group("k")) in _HUNDREDS else int(k)) * 1_000
        ),
    ),
)


def _in_digits(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """Write spoken amounts in digits; return the text and where each character came from."""
    if "mil" not in text and "palo" not in text and "palito" not in text and "melon" not in text:
        return text, None  # every spoken amount says mil, millón, million, palo or melón
    origin = [(i, i + 1) for i in range(len(text))]
    for pattern, digits in _SPOKEN:
        pieces: list[str] = []
        mapped: list[tuple[int, int]] = []
        last = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            written = digits(match)
            pieces += [text[last:start], written]
            whole = (origin[start][0], origin[end - 1][1])
            mapped += origin[last:start] + [whole] * len(written)
            last = end
        if pieces:
            text, origin = "".join(pieces) + text[last:], mapped + origin[last:]
    return text, origin


def find_amounts(text: str) -> list[Amount]:
    """Find every amount of money the folded text may state, in order."""
    digits, origin = _in_digits(text)
    found: list[Amount] = []
    for match in _AMOUNT.finditer(digits):
        start, end = match.span()
        if origin is not None:
            start, end = origin[start][0], origin[end - 1][1]
        cur, num, unit, word = match.group("cur", "num", "unit", "word")
        if word == "verdes" and unit is None:
            # "2 verdes" are two green ones; "30 mil verdes" are dollars.
            word = None
            end = match.end("num") if origin is None else origin[match.end("num") - 1][1]
        # "$45,000 dólares": a bare "$" names no currency, the word after it does.
        currency = (currency_code(cur) if cur else None) or (currency_code(word) if word else None)
        found.append(Amount(start, end, num, unit, currency, bool(cur or unit or word)))
    return found


# A number followed by one of these measures something other than money.
_MEASURE_AFTER = re.compile(
    r"\s*(?:km|kms|kilometros?|kilometers?|kilometres?|millas|miles|cc|hp|caballos|lbs?|"
    r"libras|kg|kilos|rpm|pulgadas|puertas|pasajeros|asientos|seats|doors|cilindros|"
    r"cylinders|%|por\s?ciento|percent|x\d|meses|months|anos|years|dias|days|horas|hours)"
    r"(?![a-z])"
)
_BIG_BARE_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d{5,}")


def stated_prices(plain: str) -> Iterator[Amount]:
    """Yield the amounts a reply states as money: with a currency or unit, or big as a price.

    "3 opciones", "7 pasajeros", "1,500 cc" and "12,000 km" state no price.
    """
    for amount in find_amounts(plain):
        if _MEASURE_AFTER.match(plain, amount.end):
            continue
        if amount.said_as_money or _BIG_BARE_NUMBER.fullmatch(amount.number):
            yield amount


def whole_number(text: str) -> int | None:
    """Read a whole number as a spreadsheet cell holds it: '2700000', '2.700.000,00'; else None.

    Only zero cents are allowed, written with two digits, so "2.7" is refused rather than read.
    """
    number = read_number(text)
    if number is None or number.fraction not in ("", "00"):
        return None
    return number.whole


def price_cell(text: str) -> tuple[int, Currency | None] | None:
    """Read a price cell ('RD$2,700,000', 'US$45,000', '2700000'): the amount and its currency.

    Return None unless the whole cell is one whole number, with at most a currency symbol.
    """
    match = _AMOUNT.fullmatch(fold(text))
    if match is None or match["unit"] or match["word"]:
        return None
    amount = whole_number(match["num"])
    if amount is None:
        return None
    return amount, currency_code(match["cur"]) if match["cur"] else None


def format_price(amount: int, currency: str = "DOP") -> str:
    """Format a price the Dominican way: RD$2,700,000 (US$ for dollars)."""
    symbol = "RD$" if currency.upper() == "DOP" else "US$" if currency.upper() == "USD" else ""
    text = f"{amount:,}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
