"""Templated answers: built from the database's data only, and acceptable to the guard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from okla.chatbot.inventory.domain import (
    CAR_BODIES,
    BodyType,
    Color,
    Drivetrain,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleQuery,
    VehicleStatus,
)
from okla.chatbot.inventory.search import Constraint, Conversion, SearchResult, Unmet
from okla.chatbot.reply import templates
from okla.chatbot.reply.guard import GuardContext, check_reply
from okla.chatbot.text.language import Lang, is_mostly_language
from okla.chatbot.text.vocabulary import OFF_ROAD
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


# Colour, drivetrain, exclusions, mileage, dollars: the words for the new constraints

TUCSON = replace(
    card("Hyundai", "Tucson", 2021, 1_650_000, "GLS", km=41_000),
    color="Negro",
    drivetrain=Drivetrain.FWD,
)
HILUX = replace(
    card("Toyota", "Hilux", 2022, 2_850_000, "SR5", body=BodyType.PICKUP, fuel=Fuel.DIESEL),
    color="Blanco perla",
    drivetrain=Drivetrain.FOUR_BY_FOUR,
)
COROLLA = replace(
    # Not the demo's "LE": the guard reads that trim as Spanish "le" in an English reply.
    card("Toyota", "Corolla", 2022, 1_350_000, "XLE", body=BodyType.SEDAN, km=30_000),
    color="Blanco",
    drivetrain=Drivetrain.FWD,
)
SPORTAGE = replace(
    card("Kia", "Sportage", 2020, 1_390_000, "LX", km=55_000),
    color="Plata",
    drivetrain=Drivetrain.FWD,
)
NAMED_TUCSON = VehicleQuery(makes=frozenset({"Hyundai"}), models=frozenset({"Tucson"}))
SUV = frozenset({BodyType.SUV})
USD_30K = Conversion(usd_min=None, usd_max=30_000, usd_to_dop=59.0)


def test_vehicle_line_with_drivetrain_and_colour() -> None:
    assert templates.vehicle_line(HILUX) == (
        "Toyota Hilux 2022 SR5 — RD$2,850,000 (camioneta pickup, diésel, automática, 4x4, "
        "12,000 km, blanco perla)"
    )
    # In English, the dealer's colour is said as its family.
    assert templates.vehicle_line(HILUX, "en") == (
        "Toyota Hilux 2022 SR5 — RD$2,850,000 (pickup, diesel, automatic, 4x4, 12,000 km, white)"
    )
    assert "tracción delantera, 41,000 km, negro)" in templates.vehicle_line(TUCSON)
    assert "front-wheel drive, 41,000 km, black)" in templates.vehicle_line(TUCSON, "en")


def test_a_colour_is_said_mid_sentence_as_the_dealer_writes_it() -> None:
    odd = replace(TUCSON, color="Azul BMW", drivetrain=None)
    assert templates.vehicle_line(odd).endswith("(SUV, gasolina, automática, 41,000 km, azul BMW)")
    assert templates.vehicle_line(replace(TUCSON, color="GRIS PLOMO")).endswith("GRIS PLOMO)")
    unknown = replace(TUCSON, color="Tornasol", drivetrain=Drivetrain.AWD)
    assert templates.vehicle_line(unknown, "en").endswith(
        "(SUV, gasoline, automatic, all-wheel drive, 41,000 km, tornasol)"
    )


NEW_QUERIES: list[tuple[VehicleQuery, str, str]] = [
    (
        VehicleQuery(body_types=SUV, colors=frozenset({Color.WHITE})),
        "yipetas blancas",
        "white SUVs",
    ),
    (
        VehicleQuery(body_types=CAR_BODIES, colors=frozenset({Color.GRAY, Color.BLUE})),
        "carros grises o azules",
        "gray or blue cars",
    ),
    (
        VehicleQuery(body_types=frozenset({BodyType.SEDAN}), colors=frozenset({Color.WHITE})),
        "sedanes blancos",
        "white sedans",
    ),
    (
        replace(NAMED_TUCSON, colors=frozenset({Color.RED})),
        "Hyundai Tucson en rojo",
        "Hyundai Tucson in red",
    ),
    (
        VehicleQuery(body_types=frozenset({BodyType.PICKUP, BodyType.SUV}), drivetrains=OFF_ROAD),
        "camionetas 4x4",
        "4x4 pickups and SUVs",
    ),
    (
        VehicleQuery(
            body_types=frozenset({BodyType.PICKUP}),
            drivetrains=OFF_ROAD,
            colors=frozenset({Color.WHITE}),
            fuels=frozenset({Fuel.DIESEL}),
        ),
        "camionetas pickup 4x4 blancas diésel",
        "white 4x4 diesel pickups",
    ),
    (
        VehicleQuery(
            body_types=frozenset({BodyType.SEDAN}), drivetrains=frozenset({Drivetrain.AWD})
        ),
        "sedanes con tracción integral (AWD)",
        "sedans with all-wheel drive",
    ),
    (
        VehicleQuery(body_types=SUV, exclude_makes=frozenset({"Toyota"})),
        "yipetas que no sean Toyota",
        "SUVs other than Toyota",
    ),
    (
        VehicleQuery(makes=frozenset({"Toyota"}), exclude_models=frozenset({"RAV4", "Corolla"})),
        "vehículos Toyota que no sean Corolla ni RAV4",
        "Toyota vehicles other than Corolla or RAV4",
    ),
    (
        VehicleQuery(mileage_max=20_000),
        "vehículos con menos de 20,000 km",
        "vehicles with under 20,000 km",
    ),
    (
        VehicleQuery(
            body_types=SUV,
            colors=frozenset({Color.BLACK}),
            year_min=2020,
            mileage_max=50_000,
            exclude_makes=frozenset({"Kia", "Toyota"}),
            price_max=3_000_000,
        ),
        "yipetas negras desde 2020 con menos de 50,000 km que no sean Kia ni Toyota "
        "dentro de tu presupuesto",
        "black SUVs from 2020 on with under 50,000 km other than Kia or Toyota within your budget",
    ),
]


@pytest.mark.parametrize(("query", "es", "en"), NEW_QUERIES)
def test_describe_the_new_constraints(query: VehicleQuery, es: str, en: str) -> None:
    assert templates.describe_query(query, "es") == es
    assert templates.describe_query(query, "en") == en


@pytest.mark.parametrize(
    ("conversion", "pesos", "es", "en"),
    [
        (
            USD_30K,
            VehicleQuery(price_max=1_770_000),
            "tu presupuesto de US$30,000 (unos RD$1,770,000 a RD$59 por dólar)",
            "your budget of US$30,000 (about RD$1,770,000 at RD$59 per dollar)",
        ),
        (
            Conversion(usd_min=20_000, usd_max=30_000, usd_to_dop=58.5),
            VehicleQuery(price_min=1_170_000, price_max=1_755_000),
            "tu presupuesto de US$20,000 a US$30,000 "
            "(unos RD$1,170,000 a RD$1,755,000, a RD$58.50 por dólar)",
            "your budget of US$20,000 to US$30,000 "
            "(about RD$1,170,000 to RD$1,755,000, at RD$58.50 per dollar)",
        ),
        (
            Conversion(usd_min=20_000, usd_max=None, usd_to_dop=59.0),
            VehicleQuery(price_min=1_180_000),
            "tu presupuesto de US$20,000 o más (unos RD$1,180,000, a RD$59 por dólar)",
            "your budget of US$20,000 or more (about RD$1,180,000, at RD$59 per dollar)",
        ),
        (None, VehicleQuery(price_max=1_770_000), "tu presupuesto", "your budget"),
    ],
)
def test_a_budget_in_dollars_is_said_with_its_conversion(
    conversion: Conversion | None, pesos: VehicleQuery, es: str, en: str
) -> None:
    assert templates.budget_phrase(pesos, conversion, "es") == es
    assert templates.budget_phrase(pesos, conversion, "en") == en


def test_a_list_in_a_dollar_budget() -> None:
    query = VehicleQuery(body_types=SUV, price_max=1_770_000)
    reply = templates.list_reply([TUCSON], query, "Ana", DEALER, "es", conversion=USD_30K)
    assert reply.startswith(
        "Tenemos esta opción en yipetas dentro de tu presupuesto de US$30,000 "
        "(unos RD$1,770,000 a RD$59 por dólar):\n1. Hyundai Tucson"
    )
    english = templates.list_reply([TUCSON], query, "Ana", DEALER, "en", conversion=USD_30K)
    assert english.startswith(
        "Here is what we have in SUVs within your budget of US$30,000 "
        "(about RD$1,770,000 at RD$59 per dollar):"
    )


def test_a_note_on_the_conversion_for_a_reply_the_model_words() -> None:
    query = VehicleQuery(body_types=SUV, price_max=1_770_000)
    found = SearchResult((TUCSON,), query, (), (), USD_30K)
    assert templates.conversion_note(found, "es") == (
        "Busqué con tu presupuesto de US$30,000 (unos RD$1,770,000 a RD$59 por dólar)."
    )
    assert templates.conversion_note(found, "en") == (
        "I searched with your budget of US$30,000 (about RD$1,770,000 at RD$59 per dollar)."
    )
    assert templates.conversion_note(replace(found, conversion=None)) == ""


# What the stock couldn't meet


def result(
    query: VehicleQuery,
    cards: tuple[VehicleCard, ...],
    *unmet: Constraint,
    gone: tuple[VehicleCard, ...] = (),
    conversion: Conversion | None = None,
    others: bool = False,
) -> SearchResult:
    missed = tuple(Unmet(c, VehicleQuery()) for c in unmet)
    return SearchResult(cards, query, missed, gone, conversion, others)


def test_a_colour_the_stock_doesnt_have() -> None:
    found = result(
        replace(NAMED_TUCSON, colors=frozenset({Color.RED})), (TUCSON,), Constraint.COLOR
    )
    assert templates.search_reply(found, DEALER, "es") == (
        "No tengo la Hyundai Tucson en rojo; la que tengo es negra:\n"
        "1. Hyundai Tucson 2021 GLS — RD$1,650,000 (SUV, gasolina, automática, "
        "tracción delantera, 41,000 km, negro)\n"
        "¿Te gustaría saber más de este vehículo?"
    )
    assert templates.search_reply(found, DEALER, "en").startswith(
        "We don't have the Hyundai Tucson in red; the one we have is black:\n1. Hyundai Tucson"
    )
    corolla = result(
        VehicleQuery(
            makes=frozenset({"Toyota"}),
            models=frozenset({"Corolla"}),
            colors=frozenset({Color.RED}),
        ),
        (COROLLA,),
        Constraint.COLOR,
    )
    assert templates.near_reply(corolla, "es").startswith(
        "No tengo el Toyota Corolla en rojo; el que tengo es blanco:"
    )
    several = result(
        VehicleQuery(body_types=SUV, colors=frozenset({Color.GRAY})),
        (TUCSON, SPORTAGE),
        Constraint.COLOR,
    )
    assert templates.near_reply(several, "es").startswith(
        "No tengo yipetas grises; las que tengo son negras y plateadas:\n"
    )
    assert templates.near_reply(several, "en").startswith(
        "We don't have gray SUVs; the ones we have are black and silver:\n"
    )


def test_a_budget_the_stock_doesnt_meet() -> None:
    query = VehicleQuery(body_types=SUV, drivetrains=OFF_ROAD, price_max=1_770_000)
    found = result(query, (HILUX,), Constraint.PRICE, conversion=USD_30K)
    assert templates.search_reply(found, DEALER, "es").startswith(
        "No tengo yipetas 4x4 dentro de tu presupuesto de US$30,000 (unos RD$1,770,000 a RD$59 "
        "por dólar); esta es la opción más cercana:\n1. Toyota Hilux"
    )
    pesos = result(query, (HILUX, TUCSON), Constraint.PRICE, Constraint.DRIVETRAIN)
    assert templates.search_reply(pesos, DEALER, "es").startswith(
        "No tengo yipetas 4x4 dentro de tu presupuesto; estas son las opciones más cercanas:\n"
    )
    assert templates.search_reply(pesos, DEALER, "en").startswith(
        "We don't have 4x4 SUVs within your budget; these are the closest options:\n"
    )


def test_nothing_of_the_kind_asked_for_offers_alternatives() -> None:
    query = VehicleQuery(body_types=frozenset({BodyType.CONVERTIBLE}), price_max=500_000)
    found = result(query, (CIVIC,), Constraint.BODY)
    assert templates.search_reply(found, DEALER, "es") == templates.no_match_reply(
        query, [CIVIC], "es"
    )
    nothing = result(query, ())
    assert templates.search_reply(nothing, DEALER, "en") == templates.no_match_reply(
        query, [], "en"
    )


def test_a_named_vehicle_sold_or_reserved() -> None:
    gone = (sold(CRV, VehicleStatus.RESERVED),)
    query = VehicleQuery(makes=frozenset({"Honda"}), models=frozenset({"CR-V"}))
    found = result(query, (TUCSON,), Constraint.MAKE_MODEL, gone=gone)
    assert templates.search_reply(found, DEALER, "es") == templates.unavailable_reply(
        gone, [TUCSON], "es"
    )
    assert templates.search_reply(result(query, (), gone=gone), DEALER, "es") == (
        "El Honda CR-V 2022 EX-L está reservado. "
        "¿Quieres que un asesor te avise si llega uno parecido?"
    )
    # The rest of the request can't be met either, and the reply says so.
    red = result(
        replace(query, colors=frozenset({Color.RED})),
        (TUCSON,),
        Constraint.COLOR,
        Constraint.MAKE_MODEL,
        gone=gone,
    )
    assert templates.search_reply(red, DEALER, "es").startswith(
        "El Honda CR-V 2022 EX-L está reservado. Ahora mismo no tengo otros vehículos rojos "
        "disponibles. Estas son las opciones más parecidas:\n1. Hyundai Tucson"
    )
    assert templates.search_reply(red, DEALER, "en").startswith(
        "The Honda CR-V 2022 EX-L is reserved. Right now we don't have other red vehicles "
        "available. These are the closest options:\n"
    )


def test_other_vehicles_than_those_shown() -> None:
    query = VehicleQuery(body_types=SUV)
    more = result(query, (TUCSON, SPORTAGE), others=True)
    assert templates.search_reply(more, DEALER, "es").startswith(
        "Tenemos estas otras opciones en yipetas:\n"
    )
    assert templates.search_reply(more, DEALER, "en").startswith(
        "Here is what else we have in SUVs:\n"
    )
    anything = result(VehicleQuery(), (TUCSON,), others=True)
    assert templates.search_reply(anything, DEALER, "es").startswith(
        f"En {DEALER} también tenemos estas opciones:\n1. Hyundai Tucson"
    )
    assert templates.search_reply(anything, DEALER, "en").startswith(
        f"These are other vehicles we have at {DEALER}:\n"
    )
    none = result(query, (), others=True)
    assert templates.search_reply(none, DEALER, "es").startswith(
        "Ahora mismo no tengo otras yipetas disponibles."
    )
    again = result(
        replace(NAMED_TUCSON, colors=frozenset({Color.BLACK})),
        (TUCSON,),
        Constraint.COLOR,
        others=True,
    )
    assert templates.near_reply(again, "es").startswith("No tengo otra Hyundai Tucson en negro;")
    assert templates.near_reply(again, "en").startswith(
        "We don't have another Hyundai Tucson in black;"
    )


def test_a_search_that_met_everything_is_the_list() -> None:
    query = VehicleQuery(body_types=SUV, price_max=3_000_000)
    assert templates.search_reply(result(query, (BRONCO, PRADO)), DEALER, "es") == (
        templates.list_reply([BRONCO, PRADO], query, "Ana", DEALER, "es")
    )


NEAR: list[tuple[SearchResult, str]] = [
    (
        result(replace(NAMED_TUCSON, colors=frozenset({Color.RED})), (TUCSON,), Constraint.COLOR),
        "¿La Tucson en rojo?",
    ),
    (
        result(
            VehicleQuery(body_types=SUV, drivetrains=OFF_ROAD, price_max=1_500_000),
            (TUCSON, SPORTAGE),
            Constraint.DRIVETRAIN,
        ),
        "yipeta 4x4 de 1.5 millones",
    ),
    (
        result(
            VehicleQuery(body_types=SUV, fuels=frozenset({Fuel.DIESEL}), year_min=2023),
            (TUCSON, SPORTAGE),
            Constraint.FUEL,
            Constraint.YEAR,
        ),
        "yipeta diésel 2023",
    ),
    (
        result(
            VehicleQuery(
                body_types=frozenset({BodyType.PICKUP}),
                transmissions=frozenset({Transmission.AUTOMATIC}),
                colors=frozenset({Color.RED}),
            ),
            (HILUX,),
            Constraint.COLOR,
            Constraint.TRANSMISSION,
        ),
        "camioneta automática roja",
    ),
]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(("found", "question"), NEAR)
def test_near_misses_pass_the_guard(found: SearchResult, question: str, lang: Lang) -> None:
    reply = templates.search_reply(found, DEALER, lang)
    result = check_reply(reply, guard_context(found.cards, question, lang))
    assert result.ok and not result.repaired, (reply, result.reasons)


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    ("query", "es", "en"),
    # A mileage cap is the customer's own figure, said by templates only.
    [q for q in NEW_QUERIES if q[0].mileage_max is None],
)
def test_lists_with_the_new_constraints_pass_the_guard(
    query: VehicleQuery, es: str, en: str, lang: Lang
) -> None:
    cards = (TUCSON, HILUX, COROLLA)
    reply = templates.list_reply(cards, query, "Ana", DEALER, lang)
    result = check_reply(reply, guard_context(cards, es if lang == "es" else en, lang))
    assert result.ok and not result.repaired, (reply, result.reasons)
