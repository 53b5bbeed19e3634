"""Prices, years, mileage and attributes a reply states belong to the vehicle they are said of."""

from __future__ import annotations

import pytest

from okla.chatbot.reply.guard import Problem, Reason, check_reply
from tests.utils.factories import (
    BRONCO,
    CARNIVAL,
    CIVIC,
    PICANTO,
    PRADO,
    TACOMA,
    assert_kept_only,
    context,
)

# Rule 1: prices


@pytest.mark.parametrize(
    "price",
    [
        "RD$5,800,000",
        "RD$ 5.800.000",
        "RD $5,800,000",
        "$5,800,000",
        "5.8 millones",
        "5,8 millones",
        "5.8M",
        "5.8 MM",
        "5800000",
        "5,800,000 pesos",
        "5.8 millones de pesos",
        "RD$5,800,000.00",
    ],
)
def test_spellings_of_a_stocked_price_pass(price: str) -> None:
    text = f"La Toyota Land Cruiser Prado está en {price}. Es una yipeta excelente."
    result = check_reply(text, context(PRADO))
    assert result.ok and not result.repaired, result.problems


@pytest.mark.parametrize("price", ["1 millón", "un millón", "1,000,000", "RD$1 millón"])
def test_a_million_in_words_is_a_million(price: str) -> None:
    assert check_reply(f"El Kia Picanto cuesta {price}. Es muy económico.", context(PICANTO)).ok


@pytest.mark.parametrize("price", ["US$45,000", "$45,000", "45,000 dólares", "USD 45,000"])
def test_a_dollar_price_matches_a_dollar_card(price: str) -> None:
    result = check_reply(f"La Toyota Tacoma 2022 TRD cuesta {price}.", context(TACOMA))
    assert result.ok, result.problems


@pytest.mark.parametrize(
    ("price", "problem"),
    [
        ("RD$1,000,000", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$1,000,000")),
        ("RD$ 1.000.000", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$1,000,000")),
        ("2.5 millones", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,500,000")),
        ("2,5 millones", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,500,000")),
        ("3.3M", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$3,300,000")),
        ("2700001", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,700,001")),
        ("2,000,000 pesos", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,000,000")),
        ("500 mil", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$500,000")),
        ("medio millón", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$500,000")),
        ("dos millones", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,000,000")),
        ("RD$1", Problem(Reason.PRICE_NOT_IN_STOCK, "RD$1")),
        # The right number in the wrong currency is a wrong price.
        ("US$2,700,000", Problem(Reason.PRICE_NOT_IN_STOCK, "US$2,700,000")),
    ],
)
def test_a_price_not_in_stock_is_never_shown(price: str, problem: Problem) -> None:
    text = f"La Ford Bronco Sport 2024 cuesta {price}."
    result = check_reply(text, context(BRONCO))
    assert not result.ok and result.text == ""
    assert problem in result.problems


def test_a_peso_price_for_a_dollar_card_is_wrong() -> None:
    result = check_reply("La Toyota Tacoma 2022 cuesta RD$45,000.", context(TACOMA))
    assert Problem(Reason.PRICE_NOT_IN_STOCK, "RD$45,000") in result.problems


def test_a_fabricated_price_is_repaired_out() -> None:
    text = (
        "La Ford Bronco Sport 2024 cuesta RD$1,000,000. "
        "Es una yipeta Ford muy cómoda para la ciudad."
    )
    result = check_reply(text, context(BRONCO))
    assert_kept_only(result, "Es una yipeta Ford muy cómoda para la ciudad.")
    assert result.problems == (Problem(Reason.PRICE_NOT_IN_STOCK, "RD$1,000,000"),)


def test_years_mileage_seats_and_counts_are_not_prices() -> None:
    text = (
        "Tenemos 1 Ford Bronco Sport 2024 con 12,000 km, 5 pasajeros y 4 puertas, "
        "motor de 1,500 cc."
    )
    assert check_reply(text, context(BRONCO)).ok


def test_a_price_belongs_to_the_vehicle_named_before_it() -> None:
    swapped = "La Kia Carnival cuesta RD$2,700,000 y la Ford Bronco Sport RD$3,300,000."
    result = check_reply(swapped, context(BRONCO, CARNIVAL))
    assert not result.ok
    assert Problem(Reason.PRICE_NOT_IN_STOCK, "RD$2,700,000") in result.problems
    assert Problem(Reason.PRICE_NOT_IN_STOCK, "RD$3,300,000") in result.problems


def test_the_customer_s_budget_is_not_repeated_as_a_figure() -> None:
    # Said back, the customer's own figure could confirm a price they made up.
    text = "Tenemos la Ford Bronco Sport 2024. Está dentro de tus RD$3,000,000."
    result = check_reply(text, context(BRONCO, question="¿Yipetas de menos de RD$3,000,000?"))
    assert_kept_only(result, "Tenemos la Ford Bronco Sport 2024.")


# Rule 2: years


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "La Ford Bronco Sport 2019 es perfecta para ti.",
            Problem(Reason.YEAR_NOT_IN_STOCK, "2019"),
        ),
        (
            "Tenemos yipetas desde el 2015 en adelante, como la Ford Bronco Sport.",
            Problem(Reason.YEAR_NOT_IN_STOCK, "2015"),
        ),
        # 2023 is the Prado's year, not the Bronco Sport's.
        (
            "La Ford Bronco Sport 2023 es perfecta para ti.",
            Problem(Reason.YEAR_NOT_IN_STOCK, "2023"),
        ),
    ],
)
def test_a_year_not_in_stock_is_rejected(text: str, problem: Problem) -> None:
    result = check_reply(text, context(BRONCO, PRADO))
    assert not result.ok
    assert problem in result.problems


def test_a_year_the_customer_asked_about_is_allowed() -> None:
    text = "No tengo yipetas del 2019, pero la Ford Bronco Sport 2024 está disponible."
    assert check_reply(text, context(BRONCO, question="¿Tienen yipetas 2019?")).ok
    assert not check_reply(text, context(BRONCO, question="¿Tienen yipetas?")).ok


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("La Ford Bronco Sport es diésel.", Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "diesel")),
        ("La Ford Bronco Sport es híbrida.", Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "hibrido")),
        ("La Ford Bronco Sport es manual.", Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "manual")),
        ("La Kia Carnival es una yipeta.", Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "yipeta")),
        ("La Ford Bronco Sport tiene 30,000 km.", Problem(Reason.MILEAGE_NOT_IN_STOCK, "30000")),
        ("La Ford Bronco Sport tiene 45 mil km.", Problem(Reason.MILEAGE_NOT_IN_STOCK, "45000")),
    ],
)
def test_facts_must_belong_to_the_vehicle_they_are_said_of(text: str, problem: Problem) -> None:
    result = check_reply(text, context(BRONCO, CARNIVAL, CIVIC))
    assert not result.ok
    assert problem in result.problems


def test_either_of_two_attributes_is_one_claim() -> None:
    text = "¿Buscas una yipeta diésel o eléctrica? La Toyota Land Cruiser Prado es diésel."
    assert check_reply(text, context(PRADO)).ok
    result = check_reply("La Ford Bronco Sport es diésel o eléctrica.", context(BRONCO))
    assert Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "diesel") in result.problems
    assert Problem(Reason.ATTRIBUTE_NOT_IN_STOCK, "electrico") in result.problems


def test_saying_what_is_not_in_stock_is_no_false_claim() -> None:
    text = "No tengo ninguna yipeta eléctrica, pero la Ford Bronco Sport 2024 es muy buena."
    assert check_reply(text, context(BRONCO)).ok
