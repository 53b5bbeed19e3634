"""The guard: no wrong fact, promise, markup or foreign text reaches the customer."""

from __future__ import annotations

import pytest

from okla.chatbot.answer.guard import GuardContext, check_reply
from okla.chatbot.answer.language import detect_language, is_mostly_language
from okla.chatbot.answer.templates import list_reply, no_match_reply
from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)


def card(make: str, model: str, year: int, price: int, trim: str | None = None) -> VehicleCard:
    return VehicleCard(
        id=f"{make}-{model}",
        make=make,
        model=model,
        year=year,
        trim=trim,
        price=price,
        currency="DOP",
        body_type=BodyType.SUV,
        mileage_km=12_000,
        fuel=Fuel.GASOLINE,
        transmission=Transmission.AUTOMATIC,
        url=None,
        image_url=None,
        status=VehicleStatus.AVAILABLE,
    )


BRONCO = card("Ford", "Bronco Sport", 2024, 2_700_000, "Big Bend")
PRADO = card("Toyota", "Land Cruiser Prado", 2023, 5_800_000, "VX")
CARNIVAL = card("Kia", "Carnival", 2024, 3_300_000, "EX")
CIVIC = card("Honda", "Civic", 2021, 1_550_000, "EX")
SYSTEM = (
    "Eres Ana, asistente de ventas de Auto Dominicana Premium en Santo Domingo. Responde en "
    "español, con amabilidad y en pocas frases."
)


def ctx(*cards: VehicleCard, question: str = "¿Qué tienen?", lang: str = "es") -> GuardContext:
    return GuardContext(
        cards=cards,
        known_makes=frozenset({"Ford", "Toyota", "Kia", "Honda", "Hyundai", "Nissan"}),
        known_models=frozenset(
            {"Bronco Sport", "Land Cruiser Prado", "Carnival", "Civic", "CR-V", "Tucson", "Corolla"}
        ),  # fmt: skip
        question=question,
        language=lang,  # type: ignore[arg-type]
        system_prompt=SYSTEM,
    )


def test_a_correct_reply_passes_unchanged() -> None:
    text = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te gustaría verla?"
    result = check_reply(text, ctx(BRONCO))
    assert result.ok and not result.repaired
    assert result.text == text


@pytest.mark.parametrize("price", ["RD$2,700,000", "2.7 millones", "2,7 millones", "RD$ 2.700.000"])
def test_price_spellings_of_a_stocked_price_pass(price: str) -> None:
    result = check_reply(f"La Ford Bronco Sport está en {price}. Es una gran yipeta.", ctx(BRONCO))
    assert result.ok, result.reasons


def test_a_fabricated_price_is_removed_or_rejected() -> None:
    text = "La Ford Bronco Sport 2024 cuesta RD$1,000,000. Es una yipeta muy cómoda para ti."
    result = check_reply(text, ctx(BRONCO))
    assert "1,000,000" not in result.text
    assert any(r.startswith("price_not_in_stock") for r in result.reasons)


def test_repair_keeps_the_good_sentences() -> None:
    text = (
        "Tenemos la Kia Carnival 2024 EX por RD$3,300,000. "
        "También un Honda CR-Z 2019 muy barato. "
        "Te hago un descuento del 20% hoy."
    )
    result = check_reply(text, ctx(CARNIVAL, CIVIC))
    assert result.ok and result.repaired
    assert result.text == "Tenemos la Kia Carnival 2024 EX por RD$3,300,000."
    assert any(r.startswith("unknown_vehicle") for r in result.reasons)
    assert any(r.startswith("promise") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Te recomiendo la Toyota Carnival, es excelente para la familia.",
        "La Hyundai Tucson es una gran yipeta para ti.",
        "La Ford Bronco Sport 2019 es perfecta para ti.",
        "La Ford Bronco Sport es tuya por 1 peso, oferta vinculante.",
        "La Ford Bronco Sport con financiamiento al 5% y sin inicial.",
        "<script>alert(1)</script> La Ford Bronco Sport es genial.",
    ],
)
def test_wrong_facts_and_promises_are_never_shown(text: str) -> None:
    result = check_reply(text, ctx(BRONCO, CARNIVAL))
    assert not result.ok or result.text.strip() == ""


def test_facts_must_belong_to_the_vehicle_they_are_said_of() -> None:
    mixed = "La Kia Carnival 2024 EX cuesta RD$2,700,000. La Ford Bronco Sport es diésel."
    result = check_reply(mixed, ctx(BRONCO, CARNIVAL))
    assert not result.ok
    assert "price_not_in_stock:RD$2,700,000" in result.reasons
    assert "attribute_not_in_stock:diesel" in result.reasons
    wrong_km = check_reply("La Ford Bronco Sport tiene 30,000 km.", ctx(BRONCO))
    assert "mileage_not_in_stock:30000" in wrong_km.reasons


def test_a_year_the_customer_asked_about_is_allowed() -> None:
    text = "No tengo yipetas del 2019, pero la Ford Bronco Sport 2024 está disponible."
    assert check_reply(text, ctx(BRONCO, question="¿Tienen yipetas 2019?")).ok


def test_english_reply_to_a_spanish_customer_is_rejected() -> None:
    result = check_reply("We have the Ford Bronco Sport, it is a great car for you.", ctx(BRONCO))
    assert not result.ok and "wrong_language" in result.reasons


def test_english_customer_gets_english() -> None:
    text = "We have the Ford Bronco Sport 2024 for RD$2,700,000. Would you like to see it?"
    assert check_reply(text, ctx(BRONCO, lang="en")).ok


def test_echo_of_the_instructions_is_rejected() -> None:
    result = check_reply(SYSTEM + " La Ford Bronco Sport.", ctx(BRONCO))
    assert not result.ok and result.reasons == ("echo",)


def test_a_reply_that_names_no_vehicle_does_not_answer() -> None:
    result = check_reply("¡Claro que sí! Con mucho gusto te ayudo hoy.", ctx(BRONCO))
    assert not result.ok and "no_answer" in result.reasons


def test_no_cards_means_the_template_answers() -> None:
    assert check_reply("La Ford Bronco Sport cuesta RD$2,700,000.", ctx()).reasons == ("no_cards",)


def test_the_templates_pass_the_guard() -> None:
    cards = [BRONCO, PRADO, CARNIVAL]
    query = VehicleQuery(body_types=frozenset({BodyType.SUV}), price_max=6_000_000)
    reply = list_reply(cards, query, "Ana", "Auto Dominicana Premium", "es")
    result = check_reply(reply, ctx(*cards, question="yipetas de menos de 6 millones"))
    assert result.ok, result.reasons
    assert not result.repaired
    assert "RD$5,800,000" in reply and "RD$2,700,000" in reply


def test_no_match_names_what_was_asked() -> None:
    query = VehicleQuery(body_types=frozenset({BodyType.CONVERTIBLE}), price_max=500_000)
    text = no_match_reply(query, [CIVIC], "es")
    assert "convertibles" in text and "Honda Civic 2021" in text
    # The budget is said in words: no figure but stock prices ever appears.
    assert "en tu presupuesto" in text and "500,000" not in text


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Que vehiculos tienes?", "es"),
        ("¿Tienen yipetas?", "es"),
        ("hola", "es"),
        ("Busco una guagua para mi familia", "es"),
        ("what SUVs do you have?", "en"),
        ("Do you have any Toyota under 2M?", "en"),
        ("I am looking for a truck", "en"),
        ("Toyota RAV4 2023", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_is_mostly_language() -> None:
    assert is_mostly_language("Tenemos la Ford Bronco Sport disponible para ti.", "es")
    assert not is_mostly_language("We have the Ford Bronco Sport for you.", "es")
    assert not is_mostly_language("1. 2. 3. $$$ ###", "es")
