"""The vocabulary: every value has its words and names, and names match however spelled."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest

from okla.chatbot.inventory.domain import (
    BodyType,
    Color,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleStatus,
)
from okla.chatbot.text import vocabulary as vocab
from okla.chatbot.text.fold import fold_chars, squash


@pytest.mark.parametrize(
    "table",
    [vocab.BODY_ES, vocab.BODY_EN, vocab.BODIES_ES, vocab.BODIES_EN],
)
def test_every_body_type_has_display_names(table: dict[BodyType, object]) -> None:
    assert set(table) == set(BodyType)


@pytest.mark.parametrize("table", [vocab.FUEL_ES, vocab.FUEL_EN, vocab.FUEL_AFTER_ES])
def test_every_fuel_has_display_names(table: dict[Fuel, object]) -> None:
    assert set(table) == set(Fuel)


@pytest.mark.parametrize("table", [vocab.GEAR_ES, vocab.GEAR_EN])
def test_every_transmission_has_display_names(table: dict[Transmission, object]) -> None:
    assert set(table) == set(Transmission)


def test_the_groups_customers_name_are_named_back() -> None:
    groups = {bodies for _, bodies in (*vocab.BODY_WORDS, *vocab.LOOSE_BODY_WORDS)}
    several = {bodies for bodies in groups if len(bodies) > 1} | {vocab.CARS}
    assert several == set(vocab.GROUPS_ES) == set(vocab.GROUPS_EN)


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        (Transmission, "Automática", Transmission.AUTOMATIC),
        (Transmission, "mecánica", Transmission.MANUAL),
        (BodyType, "pick-up", BodyType.PICKUP),
        (BodyType, "Yipeta", BodyType.SUV),
        (BodyType, "SUV", BodyType.SUV),
        (Fuel, "GLP", Fuel.LPG),
        (Fuel, "gas licuado", Fuel.LPG),
        (VehicleStatus, "Apartado", VehicleStatus.RESERVED),
    ],
)
def test_cell_words(kind: type[StrEnum], cell: str, value: StrEnum) -> None:
    assert vocab.CELL_WORDS[kind][squash(cell)] == value


def test_every_cell_kind_has_a_hint() -> None:
    assert set(vocab.CELL_HINTS) == set(vocab.CELL_WORDS)


def test_each_claim_word_matches_its_own_label() -> None:
    for label, pattern, values in vocab.CLAIM_WORDS:
        assert values
        assert re.fullmatch(pattern, label), label


def test_make_aliases_belong_to_makes_of_the_market() -> None:
    assert set(vocab.MAKE_ALIASES) <= {vocab.name_key(make) for make in vocab.MARKET_MAKES}


@pytest.mark.parametrize(
    ("name", "said", "found"),
    [
        ("CR-V", "la crv", True),
        ("CR-V", "la cr v", True),
        ("CR-V", "la cr-v", True),
        ("RAV4", "una rav 4", True),
        ("RAV4", "una rav4", True),
        ("RAV4", "una rav45", False),
        ("Santa Fe", "la santafe", True),
        ("Land Cruiser Prado", "la land  cruiser\nprado", True),
        ("Kia", "un kiaa", False),
        ("Corolla", "tienen corollas?", False),  # only the parser reads plurals
    ],
)
def test_name_pattern(name: str, said: str, found: bool) -> None:
    pattern = vocab.name_pattern(name)
    assert pattern is not None
    assert bool(pattern.search(fold_chars(said))) is found


def test_a_plural_name_for_customers() -> None:
    pattern = vocab.name_pattern("Corolla", plural=True)
    assert pattern is not None and pattern.search("tienen corollas?")
    short = vocab.name_pattern("X5", plural=True)
    assert short is not None and not short.search("dos x5s")


def test_a_name_without_letters_or_digits_names_nothing() -> None:
    assert vocab.name_pattern("—") is None
    assert vocab.name_key("—") == ""


def test_name_parts_and_key() -> None:
    assert vocab.name_parts("RAV4") == ("rav", "4")
    assert vocab.name_key("Mercedes-Benz") == "mercedesbenz"


def test_every_drivetrain_has_customer_words() -> None:
    named = {kind for _, kinds in vocab.DRIVETRAIN_WORDS for kind in kinds}
    assert named == set(Drivetrain)
    assert set(vocab.DRIVETRAIN_NAMES_ES) == set(vocab.DRIVETRAIN_NAMES_EN) == set(Drivetrain)


def test_colour_words_that_need_a_cue_are_colour_words() -> None:
    assert vocab.COLOR_WORDS_NEEDING_CUE <= set(vocab.COLOR_WORDS)
    assert vocab.COLOR_WORDS_ENGLISH <= set(vocab.COLOR_WORDS)
    assert set(vocab.COLOR_NAMES_ES) == set(Color)


def test_make_origins_are_disjoint() -> None:
    seen: set[str] = set()
    for _, makes in vocab.MAKE_ORIGINS:
        assert not seen & makes
        seen |= makes


def test_the_words_a_typo_becomes_are_read_by_the_parser() -> None:
    patterns = [
        *(p for p, _ in vocab.BODY_WORDS),
        *(p for p, _ in vocab.FUEL_WORDS),
        *(p for p, _ in vocab.GEAR_WORDS),
        r"kilometraje|kilometros|millaje|traccion",
    ]
    for word in vocab.TYPO_WORDS:
        assert any(re.fullmatch(p, word) for p in patterns), word


@pytest.mark.parametrize(
    ("said", "fuel"),
    [("glp", Fuel.LPG), ("gas", Fuel.LPG), ("gasoil", Fuel.DIESEL), ("gas oil", Fuel.DIESEL),
     ("gasolina", Fuel.GASOLINE), ("hibrida", Fuel.HYBRID)],
)  # fmt: skip
def test_gas_is_lpg_in_dominican_spanish(said: str, fuel: Fuel) -> None:
    assert next(f for p, f in vocab.FUEL_WORDS if re.fullmatch(p, said)) == fuel
    assert [f for p, f in vocab.ENGLISH_FUEL_WORDS if re.fullmatch(p, "gas")] == [Fuel.GASOLINE]


def test_4x4_is_a_drivetrain_not_a_body() -> None:
    assert not any(re.fullmatch(p, "4x4") for p, _ in vocab.LOOSE_BODY_WORDS)
    assert next(k for p, k in vocab.DRIVETRAIN_WORDS if re.fullmatch(p, "4x4")) == vocab.OFF_ROAD


STOCKED = {"Corolla": "Toyota", "Tucson": "Hyundai"}


@pytest.mark.parametrize(
    ("text", "models"),
    [
        ("¿tienen accent?", {("Hyundai", "Accent")}),  # an English word in Spanish: the model
        ("busco una venue", {("Hyundai", "Venue")}),
        ("mi esposo es alto", set()),  # tall, no Suzuki Alto
        ("un escape de aire", set()),
        ("vivo cerca del rio", set()),
        ("it's a good fit", set()),  # in English, an everyday word stays one
        ("una ford escape", {("Ford", "Escape")}),  # right after its make it is the model
    ],
)
def test_models_the_dealer_does_not_carry(text: str, models: set[tuple[str, str]]) -> None:
    assert vocab.foreign_models(text, STOCKED) == models


@pytest.mark.parametrize(
    ("text", "makes"),
    [
        ("tienen lambo?", {"Lamborghini"}),
        ("un rolls royce", {"Rolls-Royce"}),
        ("algún benz?", {"Mercedes-Benz"}),
        ("un carro bonito", set()),
    ],
)
def test_makes_the_dealer_does_not_carry_by_their_nicknames(text: str, makes: set[str]) -> None:
    assert vocab.foreign_makes(text, frozenset({"Toyota"})) == makes
