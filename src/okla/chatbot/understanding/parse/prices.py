"""Prices: the customer's budget ("hasta 2 millones", "entre 1.5 y 2 palos", "under $30k").

Blanks first the numbers that are money or figures but no price of the vehicle (mileage,
phone numbers, rates, engines, down payments and instalments), then reads the amounts left
(text/money.py) as a lower bound, an upper bound, a range, or, for an amount said alone, what
the customer can spend ("tres millones y medio, minivan") or, said with "alrededor de", a
price give or take 15%, in pesos or dollars, and blanks those it read. A number that looks
like a model year is left to the year pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from okla.chatbot.inventory.domain import Currency
from okla.chatbot.text.fold import word_pattern
from okla.chatbot.text.money import AMOUNT, Amount, find_amounts, read_number
from okla.chatbot.understanding.parse.scan import RANGE_JOIN, blank, take

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

_FILLER = (
    r"(?:\s+(?:de|del|a|al|el|la|los|unos|unas|like|about|around|aprox|aproximadamente|como))*"
)
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
    r"no exceda de|que no exceda|no superior a|no suba de|que no suba de|"
    # "que no cueste más de", "no quiero que pase de", "no puedo llegar a".
    r"no (?:\w+ ){0,3}?(?:(?:mas|arriba|encima|por encima) de|(?:pasar?|pasen|pase|exceder?|"
    r"excedan?|superar?|superen?|subir|suba|suban) de|(?:llegar|llegue|lleguen) a))"
    # "por debajo del millón": the article joined to "de".
    rf"(?:l(?=\s))?{_FILLER}\s*$"
)
_LOWER_BEFORE = re.compile(
    r"(?<![a-z])(?:(?<!no )mas de|no menos de|minimo|por encima de|encima de|arriba de|"
    rf"desde|a partir de|over|above|more than|at least|from|starting at)(?:l(?=\s))?"
    rf"{_FILLER}\s*$"
)
_UPPER_AFTER = re.compile(
    r"^\s*(?:o menos|or less|para abajo|maximo|max|tops|or under|como maximo|a lo sumo|"
    r",?\s*(?:y )?(?:no mas|nada mas|na mas|y ya)(?! de)|at most|max)\b"
)
_LOWER_AFTER = re.compile(
    r"^\s*(?:\+|(?:o mas|or more|para arriba|en adelante|and up|and above|minimo|como minimo)\b)"
)

_RANGE_OPEN = re.compile(r"(?<![a-z])(?:entre|between|de|desde|from)\s+$")
# A bare number is a price in millions when the message makes it one ("hasta 2,5", "por
# 1.8", "de 1.5"), never after an engine or before a measure.
_PRICE_BEFORE = re.compile(
    r"(?<![a-z])(?:de|por|en|como|unos|unas|alrededor de|aprox|aproximadamente|cerca de|"
    r"presupuesto|tengo|around|about|for|for about|mas o menos|sobre|pago|pagar|pagaria|"
    r"gastar|invertir|ofrezco|doy|te doy|le doy|vale|valga|valgan|cuesta|cueste|cuesten|"
    r"sale|salga|salgan|ronde|rondando|precio|en unos|por unos|por ahi de)\s*$"
)
_PRICE_AFTER = re.compile(
    r"^\s*(?:$|[?!.,;)]|o |y |or |and |pero |but |que |millones?\b|"
    # "tengo 1.5 pa' un sedán": what the money is for.
    r"(?:para|pa) (?:un|una|el|la|algo|comprar|mi|gastar|invertir|pagar)\b|"
    r"for (?:a|an|the|my|some)\b)"
)
# Words that make an amount said on its own a price give or take ("alrededor de 2 millones");
# without them it is what the customer can spend ("tres millones y medio, minivan").
_ABOUT_BEFORE = re.compile(
    r"(?<![a-z])(?:alrededor de|como|unos|unas|aprox\w*|cerca de|mas o menos|por ahi de|"
    r"por ahi|rondando|ronde|por|sobre|around|about|approximately|roughly|like|some)"
    rf"(?:l(?=\s))?{_FILLER}\s*$"
)
_ABOUT_AFTER = re.compile(
    r"^\s*(?:mas o menos|aprox\w*|o algo asi|o por ahi|more or less|or so|give or take|ish|"
    r",?\s*(?:no|pero no) mucho mas)\b"
)
# What makes a number of millions without a unit too small or too big to be a vehicle's.
_BARE_MILLIONS = (0.2, 30)


def _range(text: str, low: Amount, high: Amount, currency: Currency) -> tuple[int, int] | None:
    """Read 'entre 1.5 y 2 millones': a unit said once, at the end, applies to both."""
    join = text[low.end : high.start]
    if not RANGE_JOIN.match(join):
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
    """Tell whether an amount was said with a fraction ("1.5", "2,5")."""
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


def read_prices(text: str) -> tuple[int | None, int | None, Currency, str]:
    """Return the lowest and highest price wanted, their currency, and the text blanked."""
    for pattern in _NOT_PRICES:
        _, text = take(pattern, text)
    amounts = find_amounts(text)
    currency = _currency(text, amounts)
    usd: Literal["USD"] | None = "USD" if currency == Currency.USD else None
    lowest: int | None = None
    highest: int | None = None
    bare: list[tuple[int, bool]] = []  # an amount said alone, and whether "around" it
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
            said_about = _ABOUT_BEFORE.search(before) or _ABOUT_AFTER.match(after)
            bare.append((value, bool(said_about)))
    if lowest is None and highest is None and bare:
        value, about = bare[0]
        # "alrededor de 2 millones" is a band; "2 millones, yipeta" is what they can spend.
        lowest, highest = _band(value) if about else (None, value)
    if lowest is None and highest is None:
        currency = Currency.DOP
    return lowest, highest, currency, blank(text, used)
