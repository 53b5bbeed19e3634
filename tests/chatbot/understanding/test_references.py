"""What a message points at among the vehicles shown, and what it asks of them."""

from __future__ import annotations

import pytest

from okla.chatbot.understanding.references import (
    AmongShown,
    Cheaper,
    Compare,
    Fact,
    Ordinal,
    Others,
    Reference,
    ThisOne,
    asked_facts,
    find_reference,
)


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("y la segunda cuanto cuesta?", Ordinal(1)),
        ("la primera", Ordinal(0)),
        ("Me interesa la tercera opción", Ordinal(2)),
        ("quiero la ultima", Ordinal(-1)),
        ("y el ultimo?", Ordinal(-1)),
        ("la penúltima", Ordinal(-2)),
        ("la 2", Ordinal(1)),
        ("la #3 es automatica?", Ordinal(2)),
        ("opcion 4", Ordinal(3)),
        ("the second one", Ordinal(1)),
        ("número 5 porfa", Ordinal(4)),
        ("me gusta esa", ThisOne()),
        ("cuanto por esa?", ThisOne()),
        ("I like that one", ThisOne()),
        ("de esas cual es la mas barata", AmongShown()),
        ("entre esas, la de menos millaje?", AmongShown()),
        ("which of those is newest", AmongShown()),
        ("tienes otras?", Others()),
        ("y otras?", Others()),
        ("no tienen mas?", Others()),
        ("any others?", Others()),
        ("que mas tienes", Others()),
        ("cual es mejor, la RAV4 o la CX-5", Compare()),
        ("compara la tucson con la sportage", Compare()),
        ("rav4 vs crv", Compare()),
        ("la primera o la segunda, cual me recomiendas?", Compare((0, 1))),
    ],
)
def test_references(text: str, reference: Reference) -> None:
    assert find_reference(text) == reference


@pytest.mark.parametrize(
    "text",
    [
        "busco una de segunda mano",
        "la primera vez que compro",
        "una yipeta con tercera fila",
        "tienen yipetas de 2 palos",
        "una rav4 2020",
        "la de 2020",
        "hola, buenas",
        "el 2 de diciembre",
    ],
)
def test_no_reference(text: str) -> None:
    reference = find_reference(text)
    assert not isinstance(reference, Ordinal | Compare | AmongShown | Others), reference


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("y la hilux es 4x4?", {Fact.DRIVETRAIN}),
        ("cuanto cuesta la tucson", {Fact.PRICE}),
        ("de que año es la segunda?", {Fact.YEAR}),
        ("cuantos km tiene?", {Fact.MILEAGE}),
        ("es automatica o mecanica?", {Fact.TRANSMISSION}),
        ("de que color es?", {Fact.COLOR}),
        ("todavia la tienen?", {Fact.AVAILABLE}),
        ("how much is the second one?", {Fact.PRICE}),
        ("is it 4x4", {Fact.DRIVETRAIN}),
        ("do you have the tucson in 4x4?", {Fact.AVAILABLE, Fact.DRIVETRAIN}),
    ],
)
def test_questions_about_a_vehicle(text: str, facts: set[Fact]) -> None:
    assert asked_facts(text) >= facts


@pytest.mark.parametrize(
    "text", ["busco una hilux diesel 4x4", "quiero una yipeta automatica roja", "precio bajo"]
)
def test_a_search_asks_no_facts(text: str) -> None:
    assert asked_facts(text) == frozenset()


def test_cheaper_is_below_what_was_shown_and_an_order_is_not() -> None:
    assert find_reference("y más baratas?") == Cheaper()
    assert find_reference("algo mas economico") == Cheaper()
    # "del más barato al más caro", "lo más barato que tengan": an order, not "cheaper".
    assert find_reference("ordenamelos del mas barato al mas caro") is None
    assert find_reference("lo más barato que tengan") is None


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        # Asked without a question mark, the question word anywhere.
        ("la guagua hiaces cuantos pasajeros es", {Fact.SEATS}),
        ("la carnival cuantos pasajeros lleva", {Fact.SEATS}),
        ("de que año es la hilux", {Fact.YEAR}),
        ("y la tucson cuanto cuesta", {Fact.PRICE}),
        ("la guagua h1 cuantas personas caben", {Fact.SEATS}),
    ],
)
def test_a_question_word_asks_without_a_question_mark(text: str, facts: set[Fact]) -> None:
    assert asked_facts(text) == facts


@pytest.mark.parametrize(
    "text", ["busco una guagua de 15 pasajeros", "yipeta de 7 asientos", "una del año"]
)
def test_a_number_of_seats_asks_nothing(text: str) -> None:
    assert asked_facts(text) == frozenset()
