"""The guard: no wrong fact, promise, markup, leak or foreign text reaches the customer."""

from __future__ import annotations

import pytest

from okla.chatbot.answer.guard import GuardContext, GuardResult, check_reply, split_sentences
from okla.chatbot.answer.language import Lang
from okla.chatbot.inventory.domain import (
    BodyType,
    Fuel,
    Transmission,
    VehicleCard,
    VehicleStatus,
)


def card(
    make: str,
    model: str,
    year: int,
    price: int,
    trim: str | None = None,
    *,
    body: BodyType = BodyType.SUV,
    fuel: Fuel = Fuel.GASOLINE,
    km: int | None = 12_000,
    currency: str = "DOP",
    url: str | None = None,
) -> VehicleCard:
    return VehicleCard(
        id=f"{make}-{model}-{year}",
        make=make,
        model=model,
        year=year,
        trim=trim,
        price=price,
        currency=currency,
        body_type=body,
        mileage_km=km,
        fuel=fuel,
        transmission=Transmission.AUTOMATIC,
        url=url,
        image_url=None,
        status=VehicleStatus.AVAILABLE,
    )


BRONCO_URL = "https://autodominicana.example/vehiculos/bronco-sport"
BRONCO = card("Ford", "Bronco Sport", 2024, 2_700_000, "Big Bend", url=BRONCO_URL)
PRADO = card("Toyota", "Land Cruiser Prado", 2023, 5_800_000, "VX", fuel=Fuel.DIESEL)
CARNIVAL = card("Kia", "Carnival", 2024, 3_300_000, "EX", body=BodyType.MINIVAN)
CIVIC = card("Honda", "Civic", 2021, 1_550_000, "EX", body=BodyType.SEDAN, km=45_000)
CRV = card("Honda", "CR-V", 2022, 2_100_000, "EX-L")
PICANTO = card("Kia", "Picanto", 2022, 1_000_000, body=BodyType.HATCHBACK)
TACOMA = card("Toyota", "Tacoma", 2022, 45_000, "TRD", body=BodyType.PICKUP, currency="USD")

SYSTEM = (
    "Eres Ana, asistente de ventas de Auto Dominicana Premium en Santo Domingo, República "
    "Dominicana. Responde en español, con amabilidad y en pocas frases. Habla solo de los "
    "vehículos de la lista que acompaña cada pregunta, con sus precios y años exactos; no "
    "inventes vehículos ni datos. No ofrezcas descuentos, financiamiento ni compromisos: para "
    "eso, ofrece comunicar al cliente con un asesor."
)
KNOWN_MAKES = frozenset(
    {"Ford", "Toyota", "Kia", "Honda", "Hyundai", "Nissan", "Seat", "Mini", "Mercedes-Benz"}
)
KNOWN_MODELS = frozenset(
    {
        "Bronco Sport", "Land Cruiser Prado", "Land Cruiser", "Carnival", "Civic", "CR-V",
        "Tucson", "Corolla", "Corolla Cross", "Fit", "Picanto", "Tacoma", "Kicks",
    }
)  # fmt: skip


def context(
    *cards: VehicleCard, question: str = "¿Qué tienen?", language: Lang = "es"
) -> GuardContext:
    return GuardContext(
        cards=cards,
        known_makes=KNOWN_MAKES,
        known_models=KNOWN_MODELS,
        question=question,
        language=language,
        system_prompt=SYSTEM,
    )


def assert_kept_only(result: GuardResult, kept: str) -> None:
    assert result.ok, result.reasons
    assert result.repaired
    assert result.text == kept


# A correct reply


@pytest.mark.parametrize(
    "text",
    [
        "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000. ¿Te gustaría verla?",
        "¡Claro! La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000.\n"
        "Es una yipeta cómoda y moderna. ¿Te gustaría verla?",
        "Tenemos estas opciones:\n"
        "1. Ford Bronco Sport 2024 Big Bend — RD$2,700,000\n"
        "2. Toyota Land Cruiser Prado 2023 VX — RD$5,800,000\n"
        "¿Te interesa alguna?",
        "La Kia Carnival cuesta RD$3,300,000 y la Ford Bronco Sport, RD$2,700,000.",
        "La Toyota Land Cruiser Prado es diésel, automática y tiene 12,000 km.",
        "Soy Ana, asistente de ventas de Auto Dominicana Premium en Santo Domingo. "
        "Te recomiendo la Kia Carnival 2024 EX.",
    ],
)
def test_a_correct_reply_passes_unchanged(text: str) -> None:
    result = check_reply(text, context(BRONCO, PRADO, CARNIVAL))
    assert result == GuardResult(True, text, (), False)


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
    assert result.ok and not result.repaired, result.reasons


@pytest.mark.parametrize("price", ["1 millón", "un millón", "1,000,000", "RD$1 millón"])
def test_a_million_in_words_is_a_million(price: str) -> None:
    assert check_reply(f"El Kia Picanto cuesta {price}. Es muy económico.", context(PICANTO)).ok


@pytest.mark.parametrize("price", ["US$45,000", "$45,000", "45,000 dólares", "USD 45,000"])
def test_a_dollar_price_matches_a_dollar_card(price: str) -> None:
    result = check_reply(f"La Toyota Tacoma 2022 TRD cuesta {price}.", context(TACOMA))
    assert result.ok, result.reasons


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("RD$1,000,000", "price_not_in_stock:RD$1,000,000"),
        ("RD$ 1.000.000", "price_not_in_stock:RD$1,000,000"),
        ("2.5 millones", "price_not_in_stock:RD$2,500,000"),
        ("2,5 millones", "price_not_in_stock:RD$2,500,000"),
        ("3.3M", "price_not_in_stock:RD$3,300,000"),
        ("2700001", "price_not_in_stock:RD$2,700,001"),
        ("2,000,000 pesos", "price_not_in_stock:RD$2,000,000"),
        ("500 mil", "price_not_in_stock:RD$500,000"),
        ("medio millón", "price_not_in_stock:RD$500,000"),
        ("dos millones", "price_not_in_stock:RD$2,000,000"),
        ("RD$1", "price_not_in_stock:RD$1"),
        # The right number in the wrong currency is a wrong price.
        ("US$2,700,000", "price_not_in_stock:US$2,700,000"),
    ],
)
def test_a_price_not_in_stock_is_never_shown(price: str, reason: str) -> None:
    text = f"La Ford Bronco Sport 2024 cuesta {price}."
    result = check_reply(text, context(BRONCO))
    assert not result.ok and result.text == ""
    assert reason in result.reasons


def test_a_peso_price_for_a_dollar_card_is_wrong() -> None:
    result = check_reply("La Toyota Tacoma 2022 cuesta RD$45,000.", context(TACOMA))
    assert "price_not_in_stock:RD$45,000" in result.reasons


def test_a_fabricated_price_is_repaired_out() -> None:
    text = (
        "La Ford Bronco Sport 2024 cuesta RD$1,000,000. "
        "Es una yipeta Ford muy cómoda para la ciudad."
    )
    result = check_reply(text, context(BRONCO))
    assert_kept_only(result, "Es una yipeta Ford muy cómoda para la ciudad.")
    assert result.reasons == ("price_not_in_stock:RD$1,000,000",)


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
    assert "price_not_in_stock:RD$2,700,000" in result.reasons
    assert "price_not_in_stock:RD$3,300,000" in result.reasons


def test_the_customer_s_budget_is_not_repeated_as_a_figure() -> None:
    # Said back, the customer's own figure could confirm a price they made up.
    text = "Tenemos la Ford Bronco Sport 2024. Está dentro de tus RD$3,000,000."
    result = check_reply(text, context(BRONCO, question="¿Yipetas de menos de RD$3,000,000?"))
    assert_kept_only(result, "Tenemos la Ford Bronco Sport 2024.")


# Rule 2: years


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("La Ford Bronco Sport 2019 es perfecta para ti.", "year_not_in_stock:2019"),
        (
            "Tenemos yipetas desde el 2015 en adelante, como la Ford Bronco Sport.",
            "year_not_in_stock:2015",
        ),
        # 2023 is the Prado's year, not the Bronco Sport's.
        ("La Ford Bronco Sport 2023 es perfecta para ti.", "year_not_in_stock:2023"),
    ],
)
def test_a_year_not_in_stock_is_rejected(text: str, reason: str) -> None:
    result = check_reply(text, context(BRONCO, PRADO))
    assert not result.ok
    assert reason in result.reasons


def test_a_year_the_customer_asked_about_is_allowed() -> None:
    text = "No tengo yipetas del 2019, pero la Ford Bronco Sport 2024 está disponible."
    assert check_reply(text, context(BRONCO, question="¿Tienen yipetas 2019?")).ok
    assert not check_reply(text, context(BRONCO, question="¿Tienen yipetas?")).ok


# Rule 3: vehicles


@pytest.mark.parametrize(
    ("text", "cards", "reason"),
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
    text: str, cards: tuple[VehicleCard, ...], reason: str
) -> None:
    result = check_reply(text, context(*cards))
    assert not result.ok
    assert f"unknown_vehicle:{reason}" in result.reasons


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
    assert result.ok and not result.repaired, result.reasons


def test_models_that_are_everyday_words_need_a_capital_or_their_make() -> None:
    fine = "The Kia Carnival is a good fit for your family. Feel free to ask about the seats."
    assert check_reply(fine, context(CARNIVAL, language="en")).ok
    for text in ("The Fit is a great car, like the Kia Carnival.", "The honda fit is great."):
        result = check_reply(text, context(CARNIVAL, language="en"))
        assert "unknown_vehicle:Fit" in result.reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("La Ford Bronco Sport es diésel.", "attribute_not_in_stock:diesel"),
        ("La Ford Bronco Sport es híbrida.", "attribute_not_in_stock:hibrido"),
        ("La Ford Bronco Sport es manual.", "attribute_not_in_stock:manual"),
        ("La Kia Carnival es una yipeta.", "attribute_not_in_stock:yipeta"),
        ("La Ford Bronco Sport tiene 30,000 km.", "mileage_not_in_stock:30000"),
        ("La Ford Bronco Sport tiene 45 mil km.", "mileage_not_in_stock:45000"),
    ],
)
def test_facts_must_belong_to_the_vehicle_they_are_said_of(text: str, reason: str) -> None:
    result = check_reply(text, context(BRONCO, CARNIVAL, CIVIC))
    assert not result.ok
    assert reason in result.reasons


def test_either_of_two_attributes_is_one_claim() -> None:
    text = "¿Buscas una yipeta diésel o eléctrica? La Toyota Land Cruiser Prado es diésel."
    assert check_reply(text, context(PRADO)).ok
    result = check_reply("La Ford Bronco Sport es diésel o eléctrica.", context(BRONCO))
    assert "attribute_not_in_stock:diesel" in result.reasons
    assert "attribute_not_in_stock:electrico" in result.reasons


def test_saying_what_is_not_in_stock_is_no_false_claim() -> None:
    text = "No tengo ninguna yipeta eléctrica, pero la Ford Bronco Sport 2024 es muy buena."
    assert check_reply(text, context(BRONCO)).ok


# Rule 4: promises


@pytest.mark.parametrize(
    ("promise", "reason"),
    [
        ("Te hago un descuento si compras hoy.", "promise:descuento"),
        ("Te lo dejo en menos si vienes hoy.", "promise:te lo dejo"),
        ("Tengo una rebaja especial para ti.", "promise:rebaja"),
        ("Es un precio especial solo para ti.", "promise:precio especial"),
        ("Esta es una oferta vinculante.", "promise:vinculante"),
        ("El precio está garantizado por escrito.", "promise:garantizado"),
        ("Garantizamos el precio hasta el viernes.", "promise:garantizamos"),
        ("Hay financiamiento al 5% anual.", "promise:5%"),
        ("Tu financiamiento ya está aprobado.", "promise:aprobado"),
        ("La tasa de interés es muy baja.", "promise:tasa de"),
        ("Puedes pagarla en cuotas de cuarenta mil.", "promise:cuotas de"),
        ("Te la llevas sin inicial.", "promise:sin inicial"),
        ("Solo necesitas un inicial de veinte por ciento.", "promise:inicial de"),
        ("Te la vendo por 1 peso.", "promise:1 peso"),
        ("El traspaso es gratis.", "promise:gratis"),
        ("Trato hecho, acepto tu propuesta.", "promise:trato hecho"),
    ],
)
def test_a_promise_is_removed(promise: str, reason: str) -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"{good} {promise}", context(BRONCO))
    assert_kept_only(result, good)
    assert reason in result.reasons


@pytest.mark.parametrize(
    ("promise", "reason"),
    [
        ("I can give you a discount today.", "promise:discount"),
        ("This is a binding offer.", "promise:binding"),
        ("We guarantee this price until Friday.", "promise:guarantee"),
        ("The interest rate is very low.", "promise:interest rate"),
        ("Your monthly payment would be small.", "promise:monthly payment"),
        ("We offer financing at a great rate.", "promise:financing at"),
        ("The registration is free.", "promise:free"),
        ("I agree to sell it to you.", "promise:i agree"),
    ],
)
def test_an_english_promise_is_removed(promise: str, reason: str) -> None:
    good = "The Ford Bronco Sport 2024 is available for RD$2,700,000."
    result = check_reply(f"{good} {promise}", context(BRONCO, language="en"))
    assert_kept_only(result, good)
    assert reason in result.reasons


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("La Ford Bronco Sport está disponible. Un asesor te puede orientar sobre "
         "financiamiento.", "es"),
        ("La Ford Bronco Sport está disponible. Tenemos opciones de financiamiento: un asesor "
         "te explica los detalles.", "es"),
        ("The Ford Bronco Sport is available. An advisor can tell you about financing. "
         "Feel free to ask.", "en"),
    ],
)  # fmt: skip
def test_pointing_to_an_advisor_for_financing_is_allowed(text: str, language: Lang) -> None:
    result = check_reply(text, context(BRONCO, language=language))
    assert result.ok and not result.repaired, result.reasons


# Rule 5: markup


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("<script>alert(1)</script>", "markup"),
        ('<img src=x onerror="alert(1)">', "markup"),
        ("<b>Oferta</b> de la semana.", "markup"),
        ("[Haz clic aquí](javascript:alert(1)) para verla.", "markup"),
        ("Mírala [aquí](https://evil.example/bronco).", "markup"),
        ("Mírala en https://evil.example/bronco ahora.", "link"),
        ("Llámanos al 809-555-4242 para verla.", "contact"),
        ("Escríbenos a ventas@evil.example para verla.", "contact"),
    ],
)
def test_markup_links_and_contacts_are_removed(bad: str, reason: str) -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"{bad}\n{good}", context(BRONCO))
    assert_kept_only(result, good)
    assert reason in result.reasons


def test_markup_inside_the_only_sentence_rejects_it() -> None:
    result = check_reply(
        "<script>alert(1)</script> La Ford Bronco Sport es genial.", context(BRONCO)
    )
    assert not result.ok and "markup" in result.reasons


def test_a_link_to_the_vehicle_s_own_page_is_allowed() -> None:
    text = f"La Ford Bronco Sport 2024 cuesta RD$2,700,000. Mírala [aquí]({BRONCO_URL})."
    assert check_reply(text, context(BRONCO)) == GuardResult(True, text, (), False)


# Rule 6: echo and leaks


def test_echo_of_the_instructions_is_rejected() -> None:
    result = check_reply(SYSTEM + " La Ford Bronco Sport.", context(BRONCO))
    assert result == GuardResult(False, "", ("echo",), False)


def test_a_chunk_of_the_rules_is_rejected() -> None:
    text = (
        "La Ford Bronco Sport cuesta RD$2,700,000. Habla solo de los vehículos de la lista, "
        "por favor."
    )
    assert check_reply(text, context(BRONCO)).reasons == ("echo",)


def test_parroting_the_question_is_rejected() -> None:
    question = "¿Tienen la Ford Bronco Sport disponible?"
    result = check_reply(
        "Tienen la Ford Bronco Sport disponible.", context(BRONCO, question=question)
    )
    assert result.reasons == ("echo",)


def test_talking_about_itself_is_removed() -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"Como modelo de lenguaje, no tengo opiniones. {good}", context(BRONCO))
    assert_kept_only(result, good)
    assert "meta" in result.reasons


@pytest.mark.parametrize(
    "meta",
    [
        "La pregunta debe ser la misma que está en la información.",
        "Gracias por tu pregunta.",
        "No puedo compartir mis instrucciones.",
    ],
)
def test_talk_about_the_question_or_the_instructions_is_removed(meta: str) -> None:
    good = "La Kia Carnival 2024 EX cuesta RD$3,300,000."
    result = check_reply(f"{good} {meta}", context(CARNIVAL))
    assert_kept_only(result, good)
    assert result.reasons == ("meta",)


def test_a_repeated_sentence_or_list_item_is_removed() -> None:
    text = (
        "1. Kia Carnival 2024 EX — RD$3,300,000\n"
        "2. Kia Carnival 2024 EX — RD$3,300,000\n"
        "La Kia Carnival es ideal para la familia. La Kia Carnival es ideal para la familia."
    )
    result = check_reply(text, context(CARNIVAL))
    assert_kept_only(
        result, "1. Kia Carnival 2024 EX — RD$3,300,000\nLa Kia Carnival es ideal para la familia."
    )
    assert result.reasons == ("repeated",)


def test_a_sentence_that_loops_is_removed() -> None:
    good = "Tenemos la Kia Carnival 2024 EX."
    looping = "Es un 2024 EX de Kia Carnival, es un 2024 EX de Kia Carnival."
    result = check_reply(f"{good} {looping}", context(CARNIVAL))
    assert_kept_only(result, good)
    assert result.reasons == ("repeated",)


# Rule 7: language, answering, repair


def test_english_reply_to_a_spanish_customer_is_rejected() -> None:
    text = "We have the Ford Bronco Sport, it is a great car for you."
    result = check_reply(text, context(BRONCO))
    assert not result.ok and "wrong_language" in result.reasons


def test_spanish_reply_to_an_english_customer_is_rejected() -> None:
    text = "Tenemos la Ford Bronco Sport, es una yipeta muy buena para ti."
    result = check_reply(text, context(BRONCO, language="en"))
    assert not result.ok and "wrong_language" in result.reasons


def test_english_customer_gets_english() -> None:
    text = "We have the Ford Bronco Sport 2024 for RD$2,700,000. Would you like to see it?"
    assert check_reply(text, context(BRONCO, language="en")).ok


def test_an_english_sentence_in_a_spanish_reply_is_removed() -> None:
    good = "La Kia Carnival 2024 cuesta RD$3,300,000."
    result = check_reply(f"{good} It is a great car with a lot of space.", context(CARNIVAL))
    assert_kept_only(result, good)
    assert result.reasons == ("wrong_language",)


def test_repair_keeps_the_good_sentences() -> None:
    text = (
        "Tenemos la Kia Carnival 2024 EX por RD$3,300,000. "
        "También un Honda CR-Z 2019 muy barato. "
        "Te hago un descuento del 20% hoy."
    )
    result = check_reply(text, context(CARNIVAL, CIVIC))
    assert_kept_only(result, "Tenemos la Kia Carnival 2024 EX por RD$3,300,000.")
    assert "unknown_vehicle:Honda CR-Z" in result.reasons
    assert "year_not_in_stock:2019" in result.reasons
    assert "promise:descuento" in result.reasons
    assert "promise:20%" in result.reasons


def test_repair_keeps_list_lines_on_their_lines() -> None:
    text = (
        "Tenemos estas opciones:\n"
        "1. Ford Bronco Sport 2024 — RD$2,700,000\n"
        "2. Toyota Land Cruiser Prado 2023 — RD$5,000,000\n"
        "3. Kia Carnival 2024 — RD$3,300,000\n"
        "¿Te interesa alguna?"
    )
    result = check_reply(text, context(BRONCO, PRADO, CARNIVAL))
    assert_kept_only(result, text.replace("2. Toyota Land Cruiser Prado 2023 — RD$5,000,000\n", ""))
    assert result.reasons == ("price_not_in_stock:RD$5,000,000",)


def test_a_reply_that_names_no_vehicle_does_not_answer() -> None:
    result = check_reply("¡Claro que sí! Con mucho gusto te ayudo hoy.", context(BRONCO))
    assert result == GuardResult(False, "", ("no_answer",), False)


def test_too_little_left_after_repair_does_not_answer() -> None:
    result = check_reply("¡Claro! La Ford Bronco Sport cuesta RD$9,999,999.", context(BRONCO))
    assert not result.ok and result.repaired
    assert result.reasons == ("price_not_in_stock:RD$9,999,999", "no_answer")


@pytest.mark.parametrize(
    "text",
    [
        "La Ford Bronco Sport es tuya por 1 peso, oferta vinculante.",
        "La Ford Bronco Sport con financiamiento al 5% y sin inicial.",
        "Te recomiendo la Toyota Carnival, es excelente para la familia.",
        "La Ford Bronco Sport 2019 es perfecta para ti.",
    ],
)
def test_a_reply_made_only_of_bad_sentences_is_not_shown(text: str) -> None:
    result = check_reply(text, context(BRONCO, CARNIVAL))
    assert not result.ok and result.text == "" and result.repaired


# Rule 8 and the no-cards rule


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_an_empty_reply_is_rejected(text: str) -> None:
    assert check_reply(text, context(BRONCO)) == GuardResult(False, "", ("empty",), False)


def test_no_cards_means_the_template_answers() -> None:
    result = check_reply("La Ford Bronco Sport cuesta RD$2,700,000.", context())
    assert result == GuardResult(False, "", ("no_cards",), False)


# Sentences and streaming


def test_split_sentences() -> None:
    text = (
        "¡Claro! La Prado está en 5.8 millones.\n"
        "1. Ford Bronco Sport — RD$2,700,000. 2. Kia Carnival — RD$3,300,000\n"
        "- Honda Civic\n"
        "¿Te interesa?"
    )
    assert split_sentences(text) == [
        "¡Claro!",
        "La Prado está en 5.8 millones.",
        "1. Ford Bronco Sport — RD$2,700,000.",
        "2. Kia Carnival — RD$3,300,000",
        "- Honda Civic",
        "¿Te interesa?",
    ]


def test_checked_prefixes_of_a_streamed_reply_grow_monotonically() -> None:
    # The chat service shows the checked text as it streams: each verdict must extend the last.
    sentences = [
        "¡Claro!",
        "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000.",
        "Te hago un descuento del 10%.",
        "La Kia Carnival 2024 EX cuesta RD$3,300,000.",
        "¿Te gustaría verlas?",
    ]
    shown = ""
    for end in range(2, len(sentences) + 1):
        result = check_reply(" ".join(sentences[:end]), context(BRONCO, CARNIVAL))
        assert result.ok
        assert result.text.startswith(shown)
        shown = result.text
    assert "descuento" not in shown and shown.endswith("¿Te gustaría verlas?")
