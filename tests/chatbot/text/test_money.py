"""Amounts of money: one reading for the parser, the guard and the importer."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.reply.guard import check_reply
from okla.chatbot.text.fold import fold, fold_chars
from okla.chatbot.text.money import (
    Number,
    currency_code,
    find_amounts,
    format_price,
    price_cell,
    read_number,
    stated_prices,
    whole_number,
)
from okla.chatbot.understanding.query import parse_query
from tests.utils.factories import card, context


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2700000", Number(2_700_000)),
        ("2,700,000", Number(2_700_000)),
        ("2.700.000", Number(2_700_000)),
        ("1.500", Number(1_500)),  # three digits after the one mark: thousands
        ("2,700,000.00", Number(2_700_000, "00")),
        ("2.700.000,00", Number(2_700_000, "00")),
        ("2.5", Number(2, "5")),
        ("5,8", Number(5, "8")),
        ("1234.567", None),  # not thousands (four digits before), nor a decimal (three after)
        ("1.2500", None),
        ("1,500,00", None),  # one mark for both thousands and cents
        ("27,00,000", None),
        ("2.5.1", None),
        ("2,700.000,5", None),
        ("abc", None),
        ("", None),
    ],
)
def test_read_number(text: str, number: Number | None) -> None:
    assert read_number(text) == number


# The guard must read a reply's amount exactly as the parser reads a customer's.
SAME_AMOUNT = [
    ("2,7 millones", 2_700_000),
    ("2.7 millones", 2_700_000),
    ("RD$2,700,000", 2_700_000),
    ("RD$ 2.700.000", 2_700_000),
    ("2700000", 2_700_000),
    ("2.7M", 2_700_000),
    ("dos millones", 2_000_000),
    ("un millón", 1_000_000),
    ("800 mil", 800_000),
    ("800k", 800_000),
    ("medio millón", 500_000),
    ("un millón doscientos mil", 1_200_000),
    ("1 millón y medio", 1_500_000),
    ("5,800,000 pesos", 5_800_000),
]


@pytest.mark.parametrize(("words", "amount"), SAME_AMOUNT)
def test_the_parser_and_the_guard_read_the_same_amount(words: str, amount: int) -> None:
    budget = parse_query(f"hasta {words}", Catalog(), today_year=2026).price_max
    [stated] = stated_prices(fold_chars(f"Cuesta {words}."))
    assert budget == stated.value() == amount
    priced = card("Ford", "Bronco Sport", 2024, amount)
    assert check_reply(f"La Ford Bronco Sport cuesta {words}.", context(priced)).ok


def test_an_amount_says_its_currency_and_where_it_is() -> None:
    text = fold_chars("Entre US$ 30,000 y 45,000 dólares, o $50,000 o RD$2 millones")
    found = [(text[a.start : a.end], a.currency) for a in find_amounts(text)]
    assert found == [
        ("us$ 30,000", "USD"),
        ("45,000 dolares", "USD"),
        ("$50,000", None),
        ("rd$2 millones", "DOP"),
    ]


def test_a_spoken_amount_points_at_its_words() -> None:
    text = fold_chars("Sale en un millón doscientos mil, más o menos.")
    [amount] = find_amounts(text)
    assert text[amount.start : amount.end] == "un millon doscientos mil"
    assert (amount.value(), amount.unit, amount.said_as_money) == (1_200_000, None, False)


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("2.5", None),  # an engine or a rating: a decimal with no unit is not money
        ("2.5 millones", 2_500_000),
        ("5000", None),  # below any vehicle's price
        ("2000 millones", None),  # a price typed with extra zeros
        ("2,700,000.00", None),
    ],
)
def test_budget(text: str, budget: int | None) -> None:
    [amount] = find_amounts(fold(text))
    assert amount.budget() == budget


def test_a_budget_may_take_the_unit_said_after_it() -> None:
    low, high = find_amounts("entre 800 y 1 millon")
    assert (low.budget(), low.budget("mil"), high.budget()) == (None, 800_000, 1_000_000)
    assert high.in_millions and not low.in_millions


@pytest.mark.parametrize(
    "text",
    ["Tenemos 3 opciones", "de 7 pasajeros", "motor de 1,500 cc", "con 12,000 km", "en 2024"],
)
def test_counts_and_measures_state_no_price(text: str) -> None:
    assert list(stated_prices(fold_chars(text))) == []


@pytest.mark.parametrize("text", ["15000", "1,500", "RD$1", "2 mil", "US$5"])
def test_money_said_as_money_is_a_stated_price(text: str) -> None:
    assert len(list(stated_prices(fold_chars(text)))) == 1


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("2700000", 2_700_000),
        ("2,700,000.00", 2_700_000),
        ("2.700.000,00", 2_700_000),
        ("1.500", 1_500),
        ("2.00", 2),
        ("2.7", None),
        ("2,700,000.50", None),
        ("1,500,00", None),
        ("45k", None),
    ],
)
def test_whole_number(cell: str, number: int | None) -> None:
    assert whole_number(cell) == number


@pytest.mark.parametrize(
    ("cell", "price"),
    [
        ("RD$2,700,000", (2_700_000, "DOP")),
        ("US$45,000", (45_000, "USD")),
        ("USD 45000", (45_000, "USD")),
        ("$2,700,000", (2_700_000, None)),
        ("2700000", (2_700_000, None)),
        ("2 millones", None),
        ("2700000 pesos", None),
        ("RD$", None),
        ("-2700000", None),
    ],
)
def test_price_cell(cell: str, price: tuple[int, str | None] | None) -> None:
    assert price_cell(cell) == price


@pytest.mark.parametrize(
    ("said", "currency"),
    [("RD$", "DOP"), ("rd $", "DOP"), ("DOP", "DOP"), ("pesos", "DOP"), ("US$", "USD"),
     ("usd", "USD"), ("dólares", "USD"), ("$", None), ("EUR", None)],
)  # fmt: skip
def test_currency_code(said: str, currency: str | None) -> None:
    assert currency_code(said) == currency


def test_format_price() -> None:
    assert format_price(2_700_000) == "RD$2,700,000"
    assert format_price(45_000, "USD") == "US$45,000"
    assert format_price(1_000, "EUR") == "1,000 EUR"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2 palos", 2_000_000),
        ("dos palos", 2_000_000),
        ("un palo", 1_000_000),
        ("1 palo", 1_000_000),
        ("1.5 palos", 1_500_000),
        ("2,5 palos", 2_500_000),
        ("medio palo", 500_000),
        ("palo y medio", 1_500_000),
        ("un palo y medio", 1_500_000),
        ("2 palos y medio", 2_500_000),
        ("dos palitos", 2_000_000),
        ("1 palo 500", 1_500_000),
        ("un millón doscientos", 1_200_000),
        ("un millon y medio", 1_500_000),
    ],
)
def test_dominican_millions(text: str, value: int) -> None:
    [amount] = find_amounts(fold(text))
    assert amount.value() == value


@pytest.mark.parametrize("text", ["un palo de agua", "el palo de la bandera", "2 millones 2019"])
def test_a_palo_needs_its_number_and_a_year_is_no_thousands(text: str) -> None:
    assert all(a.value() != 1_000_000 and a.value() != 2_019_000 for a in find_amounts(text))


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("30 mil dólares", 30_000, "USD"),
        ("30 mil dolares", 30_000, "USD"),
        ("30 mil verdes", 30_000, "USD"),
        ("25k usd", 25_000, "USD"),
        ("US$25,000", 25_000, "USD"),
        ("30,000 dls", 30_000, "USD"),
        ("30 mil en dolares", 30_000, "USD"),
        ("20k dollars", 20_000, "USD"),
        ("2 millones de pesos", 2_000_000, "DOP"),
        ("RD$1,500,000", 1_500_000, "DOP"),
    ],
)
def test_the_currency_said_with_an_amount(text: str, value: int, currency: str) -> None:
    [amount] = find_amounts(fold(text))
    assert (amount.value(), amount.currency) == (value, currency)


def test_green_ones_are_no_dollars_without_a_unit() -> None:
    [amount] = find_amounts("tengo 2 verdes y 3 rojas")[:1]
    assert (amount.value(), amount.currency, amount.said_as_money) == (2, None, False)
    assert list(stated_prices("Tenemos 2 verdes.")) == []


@pytest.mark.parametrize(
    ("text", "budget"),
    [
        ("30 mil dolares", 30_000),
        ("5 mil dolares", 5_000),
        ("500 dolares", None),  # no vehicle costs five hundred dollars
        ("30 mil", 30_000),
        ("5 mil", None),  # nor five thousand pesos
    ],
)
def test_a_budget_is_in_its_own_currency(text: str, budget: int | None) -> None:
    [amount] = find_amounts(text)
    assert amount.budget() == budget


def test_a_budget_may_take_the_currency_of_the_message() -> None:
    [amount] = find_amounts("5 mil")
    assert (amount.budget(), amount.budget(currency="USD")) == (None, 5_000)
