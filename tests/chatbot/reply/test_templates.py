"""Templated answers: built from the database's data only, and acceptable to the guard."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.reply import templates
from okla.chatbot.reply.guard import GuardContext, check_reply
from okla.chatbot.text.language import Lang, is_mostly_language
from tests.utils.factories import (
    BRONCO,
    CARNIVAL,
    CIVIC,
    CRV,
    PICANTO,
    PRADO,
    SYSTEM,
    TACOMA,
    card,
    context,
)

DEALER = "Auto Dominicana Premium"
PRIUS = card("Toyota", "Prius", 2022, 1_650_000, body=BodyType.SEDAN, fuel=Fuel.HYBRID)
STOCK = (BRONCO, PRADO, CARNIVAL, CIVIC, CRV, PICANTO, TACOMA, PRIUS)


def sold(vehicle: VehicleCard, status: VehicleStatus) -> VehicleCard:
    return VehicleCard(**{**vehicle.__dict__, "status": status})


# One vehicle


def test_vehicle_line() -> None:
    assert templates.vehicle_line(PRADO) == (
        "Toyota Land Cruiser Prado 2023 VX — RD$5,800,000 (SUV, diésel, automática, 12,000 km)"
    )
    assert templates.vehicle_line(PRADO, "en") == (
        "Toyota Land Cruiser Prado 2023 VX — RD$5,800,000 (SUV, diesel, automatic, 12,000 km)"
    )


def test_vehicle_line_without_trim_or_mileage_and_in_dollars() -> None:
    plain = card("Kia", "Picanto", 2022, 1_000_000, body=BodyType.HATCHBACK, km=None)
    assert templates.vehicle_line(plain) == (
        "Kia Picanto 2022 — RD$1,000,000 (hatchback, gasolina, automática)"
    )
    assert "US$45,000" in templates.vehicle_line(TACOMA)


@pytest.mark.parametrize(
    ("body", "es", "en"),
    [
        (BodyType.SUV, "SUV", "SUV"),
        (BodyType.SEDAN, "sedán", "sedan"),
        (BodyType.HATCHBACK, "hatchback", "hatchback"),
        (BodyType.COUPE, "coupé", "coupe"),
        (BodyType.CONVERTIBLE, "convertible", "convertible"),
        (BodyType.PICKUP, "camioneta pickup", "pickup"),
        (BodyType.MINIVAN, "minivan", "minivan"),
        (BodyType.VAN, "guagua", "van"),
    ],
)
def test_body_labels(body: BodyType, es: str, en: str) -> None:
    vehicle = card("Kia", "Carnival", 2024, 3_300_000, body=body)
    assert f"({es}, " in templates.vehicle_line(vehicle, "es")
    assert f"({en}, " in templates.vehicle_line(vehicle, "en")


@pytest.mark.parametrize(
    ("fuel", "es", "en"),
    [
        (Fuel.GASOLINE, "gasolina", "gasoline"),
        (Fuel.DIESEL, "diésel", "diesel"),
        (Fuel.HYBRID, "híbrido", "hybrid"),
        (Fuel.ELECTRIC, "eléctrico", "electric"),
        (Fuel.LPG, "GLP", "LPG"),
    ],
)
def test_fuel_labels(fuel: Fuel, es: str, en: str) -> None:
    vehicle = card("Kia", "Carnival", 2024, 3_300_000, fuel=fuel)
    assert f", {es}, automática" in templates.vehicle_line(vehicle, "es")
    assert f", {en}, automatic" in templates.vehicle_line(vehicle, "en")


# What the customer asked for

QUERIES: list[tuple[VehicleQuery, str, str]] = [
    (VehicleQuery(), "vehículos", "vehicles"),
    (
        VehicleQuery(body_types=frozenset({BodyType.SUV}), price_max=3_000_000),
        "yipetas dentro de tu presupuesto",
        "SUVs within your budget",
    ),
    (
        VehicleQuery(makes=frozenset({"Toyota"}), year_min=2020),
        "vehículos Toyota desde 2020",
        "Toyota vehicles from 2020 on",
    ),
    (
        VehicleQuery(makes=frozenset({"Honda"}), models=frozenset({"CR-V"})),
        "Honda CR-V",
        "Honda CR-V",
    ),
    (
        VehicleQuery(
            body_types=CAR_BODIES,
            fuels=frozenset({Fuel.HYBRID}),
            transmissions=frozenset({Transmission.AUTOMATIC}),
        ),
        "carros híbridos con transmisión automática",
        "hybrid cars with automatic transmission",
    ),
    (
        VehicleQuery(
            body_types=frozenset({BodyType.VAN, BodyType.MINIVAN}),
            seats_min=7,
            price_min=1_000_000,
            price_max=4_000_000,
        ),
        "guaguas de 7 pasajeros o más dentro de tu presupuesto",
        "vans with 7 or more seats within your budget",
    ),
    (
        VehicleQuery(
            body_types=frozenset({BodyType.SUV}),
            fuels=frozenset({Fuel.ELECTRIC, Fuel.DIESEL}),
            year_min=2018,
            year_max=2023,
        ),
        "yipetas diésel o eléctricas de 2018 a 2023",
        "diesel or electric SUVs from 2018 to 2023",
    ),
    (
        VehicleQuery(body_types=frozenset({BodyType.PICKUP, BodyType.SUV}), year_max=2024),
        "camionetas hasta 2024",
        "pickups and SUVs up to 2024",
    ),
]


@pytest.mark.parametrize(("query", "es", "en"), QUERIES)
def test_describe_query(query: VehicleQuery, es: str, en: str) -> None:
    assert templates.describe_query(query, "es") == es
    assert templates.describe_query(query, "en") == en


def test_a_budget_is_said_in_words_never_as_a_figure() -> None:
    query = VehicleQuery(
        body_types=frozenset({BodyType.SUV}), price_min=900_000, price_max=3_000_000
    )
    for lang in ("es", "en"):
        texts = [
            templates.list_reply([BRONCO], query, "Ana", DEALER, lang),
            templates.no_match_reply(query, [CIVIC], lang),
            templates.no_match_reply(query, [], lang),
        ]
        for text in texts:
            assert "3,000,000" not in text and "900,000" not in text and "millon" not in text


# Lists


def test_list_reply_in_spanish() -> None:
    query = VehicleQuery(body_types=frozenset({BodyType.SUV}), price_max=6_000_000)
    assert templates.list_reply([BRONCO, PRADO], query, "Ana", DEALER, "es") == (
        "Tenemos estas opciones en yipetas dentro de tu presupuesto:\n"
        "1. Ford Bronco Sport 2024 Big Bend — RD$2,700,000 (SUV, gasolina, automática, "
        "12,000 km)\n"
        "2. Toyota Land Cruiser Prado 2023 VX — RD$5,800,000 (SUV, diésel, automática, "
        "12,000 km)\n"
        "¿Te interesa alguno en particular?"
    )


def test_list_reply_for_one_vehicle_and_for_no_constraint() -> None:
    one = templates.list_reply(
        [PRADO], VehicleQuery(makes=frozenset({"Toyota"})), "Ana", DEALER, "es"
    )
    assert one.startswith("Tenemos esta opción en vehículos Toyota:\n1. Toyota Land Cruiser")
    assert one.endswith("¿Te gustaría saber más de este vehículo?")
    anything = templates.list_reply([BRONCO, CIVIC], VehicleQuery(), "Ana", DEALER, "es")
    assert anything.startswith(f"En {DEALER} tenemos estas opciones que te pueden interesar:\n")


def test_list_reply_in_english() -> None:
    query = VehicleQuery(makes=frozenset({"Ford"}))
    assert templates.list_reply([BRONCO], query, "Ana", DEALER, "en") == (
        "Here is what we have in Ford vehicles:\n"
        "1. Ford Bronco Sport 2024 Big Bend — RD$2,700,000 (SUV, gasoline, automatic, "
        "12,000 km)\n"
        "Would you like to know more about it?"
    )


def guard_context(cards: tuple[VehicleCard, ...], question: str, lang: Lang) -> GuardContext:
    return GuardContext(
        cards=cards,
        known_makes=frozenset({"Ford", "Toyota", "Kia", "Honda", "Hyundai", "Nissan"}),
        known_models=frozenset({v.model for v in STOCK} | {"Tucson", "Corolla", "Kicks"}),
        question=question,
        language=lang,
        system_prompt=SYSTEM,
    )


def matching(query: VehicleQuery) -> tuple[VehicleCard, ...]:
    """Return the stock a search for `query` could retrieve."""
    return tuple(
        v
        for v in STOCK
        if (not query.makes or v.make in query.makes)
        and (not query.models or v.model in query.models)
        and (not query.body_types or v.body_type in query.body_types)
        and (not query.fuels or v.fuel in query.fuels)
        and (not query.transmissions or v.transmission in query.transmissions)
        and (query.year_min is None or v.year >= query.year_min)
        and (query.year_max is None or v.year <= query.year_max)
        and (query.price_max is None or (v.currency == "DOP" and v.price <= query.price_max))
        and (query.price_min is None or (v.currency == "DOP" and v.price >= query.price_min))
    )


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("how_many", [1, 5])
@pytest.mark.parametrize(("query", "es", "en"), QUERIES)
def test_list_replies_pass_the_guard(
    query: VehicleQuery, es: str, en: str, how_many: int, lang: Lang
) -> None:
    cards = matching(query)[:how_many]
    assert cards, "every query in QUERIES has a match in STOCK"
    # The customer's question names the years the intro repeats ("desde 2020").
    question = es if lang == "es" else en
    reply = templates.list_reply(cards, query, "Ana", DEALER, lang)
    result = check_reply(reply, guard_context(cards, question, lang))
    assert result.ok and not result.repaired, (reply, result.reasons)
    assert result.text == reply


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    "suffix",
    [templates.financing_reply, templates.discount_reply, templates.fallback_suffix],
)
def test_a_list_with_the_service_s_suffixes_passes_the_guard(
    suffix: Callable[[Lang], str], lang: Lang
) -> None:
    cards = (BRONCO, CARNIVAL)
    reply = templates.list_reply(cards, VehicleQuery(), "Ana", DEALER, lang)
    reply = f"{reply}\n\n{suffix(lang)}"
    result = check_reply(reply, guard_context(cards, "?", lang))
    assert result.ok and not result.repaired, result.reasons


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    ("query", "es", "en"),
    # Naming a make or model that is not in stock is just what the guard forbids the model:
    # "no tengo Toyota Corolla" is for the template alone to say.
    [q for q in QUERIES if not (q[0].makes or q[0].models)],
)
def test_no_match_with_alternatives_passes_the_guard(
    query: VehicleQuery, es: str, en: str, lang: Lang
) -> None:
    alternatives = (BRONCO, CIVIC)
    reply = templates.no_match_reply(query, alternatives, lang)
    question = es if lang == "es" else en
    result = check_reply(reply, guard_context(alternatives, question, lang))
    assert result.ok and not result.repaired, (reply, result.reasons)


# Nothing matches, sold, reserved


def test_no_match_names_what_was_asked_and_offers_alternatives() -> None:
    query = VehicleQuery(body_types=frozenset({BodyType.CONVERTIBLE}), price_max=500_000)
    assert templates.no_match_reply(query, [CIVIC], "es") == (
        "Ahora mismo no tengo convertibles disponibles dentro de tu presupuesto. "
        "Estas son las opciones más parecidas:\n"
        "1. Honda Civic 2021 EX — RD$1,550,000 (sedán, gasolina, automática, 45,000 km)"
    )
    assert templates.no_match_reply(query, [], "es") == (
        "Ahora mismo no tengo convertibles disponibles dentro de tu presupuesto. "
        "¿Quieres que un asesor te avise cuando llegue algo así?"
    )


def test_no_match_in_english() -> None:
    query = VehicleQuery(body_types=frozenset({BodyType.CONVERTIBLE}))
    text = templates.no_match_reply(query, [], "en")
    assert text == (
        "Right now we don't have convertibles available. "
        "Would you like an advisor to let you know when something like that arrives?"
    )
    with_options = templates.no_match_reply(query, [CIVIC], "en")
    assert "These are the closest options:\n1. Honda Civic 2021 EX" in with_options


def test_unavailable_reply() -> None:
    gone = [sold(CARNIVAL, VehicleStatus.SOLD), sold(CRV, VehicleStatus.RESERVED)]
    assert templates.unavailable_reply(gone, [PRADO], "es") == (
        "El Kia Carnival 2024 EX ya fue vendido. El Honda CR-V 2022 EX-L está reservado. "
        "Estas otras opciones te pueden interesar:\n"
        "1. Toyota Land Cruiser Prado 2023 VX — RD$5,800,000 (SUV, diésel, automática, "
        "12,000 km)"
    )
    assert templates.unavailable_reply(gone[:1], [], "es") == (
        "El Kia Carnival 2024 EX ya fue vendido. "
        "¿Quieres que un asesor te avise si llega uno parecido?"
    )
    english = templates.unavailable_reply(gone, [], "en")
    assert english.startswith(
        "The Kia Carnival 2024 EX has already been sold. The Honda CR-V 2022 EX-L is reserved."
    )


# Fixed answers


def test_greeting() -> None:
    assert templates.greeting("Ana", DEALER, "es") == (
        "¡Hola! Soy Ana, asistente de ventas de Auto Dominicana Premium. "
        "¿Qué vehículo estás buscando?"
    )
    assert templates.greeting("Ana", DEALER, "en").startswith("Hi! I'm Ana, sales assistant")


def test_handoff_and_fallback() -> None:
    assert templates.human_handoff("es") == (
        "Con gusto te comunico con un asesor de ventas. En breve te contactará por este chat."
    )
    assert templates.fallback_suffix("es") == "Si prefieres, puedo comunicarte con un asesor."
    assert "advisor" in templates.human_handoff("en")
    assert "advisor" in templates.fallback_suffix("en")


FIXED: list[Callable[[Lang], str]] = [
    templates.human_handoff,
    templates.financing_reply,
    templates.discount_reply,
    templates.fallback_suffix,
    templates.thanks_reply,
    templates.goodbye_reply,
    templates.other_reply,
]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("answer", FIXED)
def test_fixed_answers_are_in_the_customer_s_language(
    answer: Callable[[Lang], str], lang: Lang
) -> None:
    text = answer(lang)
    assert is_mostly_language(text, lang), text
    assert len(text) < 250


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("answer", [templates.financing_reply, templates.discount_reply])
def test_financing_and_discount_answers_promise_nothing(
    answer: Callable[[Lang], str], lang: Lang
) -> None:
    text = answer(lang)
    assert ("asesor" if lang == "es" else "advisor") in text
    assert not any(ch.isdigit() for ch in text)
    # The guard's promise rules agree: appended to a correct reply, nothing is removed.
    good = templates.list_reply([BRONCO], VehicleQuery(), "Ana", DEALER, lang)
    result = check_reply(f"{good}\n{text}", context(BRONCO, language=lang))
    assert result.ok and not result.repaired, result.reasons


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    "answer", [templates.thanks_reply, templates.goodbye_reply, templates.other_reply]
)
def test_small_talk_steers_back_to_vehicles(answer: Callable[[Lang], str], lang: Lang) -> None:
    assert ("vehículo" if lang == "es" else "vehicle") in answer(lang)
