"""Makes and models a reply names are this turn's vehicles."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.domain import VehicleCard
from okla.chatbot.reply.guard import Problem, Reason, check_reply
from tests.utils.factories import (
    BRONCO,
    CARNIVAL,
    CIVIC,
    CRV,
    PRADO,
    context,
)

# Rule 3: vehicles


@pytest.mark.parametrize(
    ("text", "cards", "name"),
    [
        # An invented model after a stocked make.
        ("Te recomiendo el Honda CR-Z, es muy económico.", (CIVIC,), "Honda CR-Z"),
        ("El Kia K5 es una gran opción para ti.", (CARNIVAL,), "Kia K5"),
        # Both exist, but not together.
        ("Te recomiendo la Toyota Carnival, es excelente.", (PRADO, CARNIVAL), "Toyota Carnival"),
        ("te recomiendo la toyota carnival, es excelente.", (PRADO, CARNIVAL), "Toyota carnival"),
        # A make or model the dealer knows but that isn't in this turn's vehicles.
        ("La Hyundai Tucson es una gran yipeta para ti.", (BRONCO,), "Hyundai"),
        ("La Hyundai Tucson es una gran yipeta para ti.", (BRONCO,), "Tucson"),
        ("El Toyota Corolla es muy económico.", (PRADO,), "Corolla"),
        ("La Toyota Corolla Cross es muy cómoda.", (PRADO,), "Corolla Cross"),
        ("El Nissan Kicks es muy económico.", (CIVIC,), "Nissan"),
        # Spelled without the hyphen, still the CR-V.
        ("La Honda CRV es muy cómoda.", (CIVIC,), "CR-V"),
    ],
)
def test_a_vehicle_not_in_stock_is_rejected(
    text: str, cards: tuple[VehicleCard, ...], name: str
) -> None:
    result = check_reply(text, context(*cards))
    assert not result.ok
    assert Problem(Reason.UNKNOWN_VEHICLE, name) in result.problems


@pytest.mark.parametrize(
    ("text", "cards"),
    [
        ("La Toyota Prado VX cuesta RD$5,800,000.", (PRADO,)),
        ("La Land Cruiser Prado cuesta RD$5,800,000.", (PRADO,)),
        ("La Ford Bronco es una yipeta muy cómoda.", (BRONCO,)),
        ("La Honda CRV 2022 cuesta RD$2,100,000.", (CRV,)),
        ("La Honda cr v 2022 cuesta RD$2,100,000.", (CRV,)),
        ("Te recomiendo la Toyota Land Cruiser Prado, es una yipeta Toyota muy buena.", (PRADO,)),
    ],
)
def test_stocked_vehicles_may_be_named_loosely(text: str, cards: tuple[VehicleCard, ...]) -> None:
    result = check_reply(text, context(*cards))
    assert result.ok and not result.repaired, result.problems


def test_models_that_are_everyday_words_need_a_capital_or_their_make() -> None:
    fine = "The Kia Carnival is a good fit for your family. Feel free to ask about the seats."
    assert check_reply(fine, context(CARNIVAL, language="en")).ok
    for text in ("The Fit is a great car, like the Kia Carnival.", "The honda fit is great."):
        result = check_reply(text, context(CARNIVAL, language="en"))
        assert Problem(Reason.UNKNOWN_VEHICLE, "Fit") in result.problems
