"""No promise, markup, foreign link, contact or talk about itself reaches the customer."""

from __future__ import annotations

import pytest

from okla.chatbot.reply.guard import GuardResult, Problem, Reason, check_reply
from okla.chatbot.text.language import Lang
from tests.utils.factories import (
    BRONCO,
    BRONCO_URL,
    CARNIVAL,
    assert_kept_only,
    context,
)

# Rule 4: promises


@pytest.mark.parametrize(
    ("promise", "problem"),
    [
        ("Te hago un descuento si compras hoy.", Problem(Reason.PROMISE, "descuento")),
        ("Te lo dejo en menos si vienes hoy.", Problem(Reason.PROMISE, "te lo dejo")),
        ("Tengo una rebaja especial para ti.", Problem(Reason.PROMISE, "rebaja")),
        ("Es un precio especial solo para ti.", Problem(Reason.PROMISE, "precio especial")),
        ("Esta es una oferta vinculante.", Problem(Reason.PROMISE, "vinculante")),
        ("El precio está garantizado por escrito.", Problem(Reason.PROMISE, "garantizado")),
        ("Garantizamos el precio hasta el viernes.", Problem(Reason.PROMISE, "garantizamos")),
        ("Hay financiamiento al 5% anual.", Problem(Reason.PROMISE, "5%")),
        ("Tu financiamiento ya está aprobado.", Problem(Reason.PROMISE, "aprobado")),
        ("La tasa de interés es muy baja.", Problem(Reason.PROMISE, "tasa de")),
        ("Puedes pagarla en cuotas de cuarenta mil.", Problem(Reason.PROMISE, "cuotas de")),
        ("Te la llevas sin inicial.", Problem(Reason.PROMISE, "sin inicial")),
        ("Solo necesitas un inicial de veinte por ciento.", Problem(Reason.PROMISE, "inicial de")),
        ("Te la vendo por 1 peso.", Problem(Reason.PROMISE, "1 peso")),
        ("El traspaso es gratis.", Problem(Reason.PROMISE, "gratis")),
        ("Trato hecho, acepto tu propuesta.", Problem(Reason.PROMISE, "trato hecho")),
    ],
)
def test_a_promise_is_removed(promise: str, problem: Problem) -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"{good} {promise}", context(BRONCO))
    assert_kept_only(result, good)
    assert problem in result.problems


@pytest.mark.parametrize(
    ("promise", "problem"),
    [
        ("I can give you a discount today.", Problem(Reason.PROMISE, "discount")),
        ("This is a binding offer.", Problem(Reason.PROMISE, "binding")),
        ("We guarantee this price until Friday.", Problem(Reason.PROMISE, "guarantee")),
        ("The interest rate is very low.", Problem(Reason.PROMISE, "interest rate")),
        ("Your monthly payment would be small.", Problem(Reason.PROMISE, "monthly payment")),
        ("We offer financing at a great rate.", Problem(Reason.PROMISE, "financing at")),
        ("The registration is free.", Problem(Reason.PROMISE, "free")),
        ("I agree to sell it to you.", Problem(Reason.PROMISE, "i agree")),
    ],
)
def test_an_english_promise_is_removed(promise: str, problem: Problem) -> None:
    good = "The Ford Bronco Sport 2024 is available for RD$2,700,000."
    result = check_reply(f"{good} {promise}", context(BRONCO, language="en"))
    assert_kept_only(result, good)
    assert problem in result.problems


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
    assert result.ok and not result.repaired, result.problems


# Rule 5: markup


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("<script>alert(1)</script>", Problem(Reason.MARKUP)),
        ('<img src=x onerror="alert(1)">', Problem(Reason.MARKUP)),
        ("<b>Oferta</b> de la semana.", Problem(Reason.MARKUP)),
        ("[Haz clic aquí](javascript:alert(1)) para verla.", Problem(Reason.MARKUP)),
        ("Mírala [aquí](https://evil.example/bronco).", Problem(Reason.MARKUP)),
        ("Mírala en https://evil.example/bronco ahora.", Problem(Reason.LINK)),
        ("Llámanos al 809-555-4242 para verla.", Problem(Reason.CONTACT)),
        ("Escríbenos a ventas@evil.example para verla.", Problem(Reason.CONTACT)),
    ],
)
def test_markup_links_and_contacts_are_removed(bad: str, problem: Problem) -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"{bad}\n{good}", context(BRONCO))
    assert_kept_only(result, good)
    assert problem in result.problems


def test_markup_inside_the_only_sentence_rejects_it() -> None:
    result = check_reply(
        "<script>alert(1)</script> La Ford Bronco Sport es genial.", context(BRONCO)
    )
    assert not result.ok and Reason.MARKUP in result.reasons


def test_a_link_to_the_vehicle_s_own_page_is_allowed() -> None:
    text = f"La Ford Bronco Sport 2024 cuesta RD$2,700,000. Mírala [aquí]({BRONCO_URL})."
    assert check_reply(text, context(BRONCO)) == GuardResult(True, text, (), False)


def test_talking_about_itself_is_removed() -> None:
    good = "La Ford Bronco Sport 2024 cuesta RD$2,700,000."
    result = check_reply(f"Como modelo de lenguaje, no tengo opiniones. {good}", context(BRONCO))
    assert_kept_only(result, good)
    assert Reason.META in result.reasons


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
    assert result.problems == (Problem(Reason.META),)
