"""What the model says about the dealership must be the dealer's profile's."""

from __future__ import annotations

import pytest

from okla.chatbot.reply.guard import Problem, Reason, check_reply
from tests.utils.dealers import ADP, MDC
from tests.utils.factories import BRONCO, context

LEAD = "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000."


@pytest.mark.parametrize(
    "sentence",
    [
        "Puedes verla de lunes a viernes de 8:00 a. m. a 6:00 p. m.",
        "El sábado abrimos de 9 am a 1 pm.",
        "Te esperamos hasta las 6 de la tarde.",
        "Abrimos a las 8:00 y cerramos a las 18:00.",
        "Estamos en la Av. Abraham Lincoln 1052, Ensanche Piantini.",
        "Escríbenos por WhatsApp al 829-555-0101 o llámanos al (809) 555-0100.",
        "Tiene garantía de 3 meses o 5,000 km en motor y transmisión.",
        "Financiamos con inicial desde el 20% y hasta 60 meses.",
        "El impuesto de traspaso es el 2% del valor.",
    ],
)
def test_what_the_profile_says_may_be_repeated(sentence: str) -> None:
    text = f"{LEAD} {sentence}"
    result = check_reply(text, context(BRONCO, profile=ADP))
    assert result.ok and not result.repaired, result.problems


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        (
            "Abrimos los domingos a las 10:00 a. m.",
            Problem(Reason.TIME_NOT_IN_PROFILE, "a las 10:00 a. m."),
        ),
        (
            "Te esperamos hasta las 7 de la noche.",
            Problem(Reason.TIME_NOT_IN_PROFILE, "hasta las 7 de la noche"),
        ),
        ("Cerramos a las 8 pm.", Problem(Reason.TIME_NOT_IN_PROFILE, "a las 8 pm.")),
        (
            "Estamos en la Av. Winston Churchill 95.",
            Problem(Reason.ADDRESS_NOT_IN_PROFILE, "Av. Winston Churchill 95"),
        ),
        (
            "Estamos en la Av. Abraham Lincoln 200.",
            Problem(Reason.ADDRESS_NOT_IN_PROFILE, "Av. Abraham Lincoln 200"),
        ),
        ("Llámanos al 809-555-9999.", Problem(Reason.CONTACT)),
        ("Tiene garantía de 6 meses.", Problem(Reason.TERM_NOT_IN_PROFILE, "6 meses")),
        ("La garantía es de un año.", Problem(Reason.TERM_NOT_IN_PROFILE, "un ano")),
        ("Financiamos hasta 72 meses.", Problem(Reason.TERM_NOT_IN_PROFILE, "72 meses")),
        ("El inicial es del 10%.", Problem(Reason.PROMISE, "10%")),
        ("Te la entregamos en 3 días.", Problem(Reason.TERM_NOT_IN_PROFILE, "3 dias")),
    ],
)
def test_what_the_profile_does_not_say_is_dropped(sentence: str, problem: Problem) -> None:
    text = f"{LEAD} {sentence}"
    result = check_reply(text, context(BRONCO, profile=ADP))
    assert problem in result.problems
    assert result.ok and result.repaired and result.text == LEAD


def test_another_dealers_facts_are_not_this_ones() -> None:
    # Motores del Cibao's midday break and its 30-day warranty are not Auto Dominicana's.
    text = f"{LEAD} Cerramos a las 12:00 y volvemos a las 2 de la tarde."
    assert check_reply(text, context(BRONCO, profile=MDC)).text == text
    assert not check_reply(text, context(BRONCO, profile=ADP)).text.endswith("tarde.")
    warranty = f"{LEAD} Tiene 30 días de garantía en motor y caja."
    assert check_reply(warranty, context(BRONCO, profile=MDC)).text == warranty
    assert Reason.TERM_NOT_IN_PROFILE in check_reply(warranty, context(BRONCO, profile=ADP)).reasons


def test_without_a_profile_no_hour_address_phone_or_term_is_shown() -> None:
    for sentence in (
        "Abrimos a las 8:00 a. m.",
        "Estamos en la Av. Abraham Lincoln 1052.",
        "Llámanos al 809-555-0100.",
        "Tiene garantía de 3 meses.",
    ):
        result = check_reply(f"{LEAD} {sentence}", context(BRONCO))
        assert result.text == LEAD, sentence


def test_the_vehicles_own_figures_are_not_terms_or_times() -> None:
    text = (
        "La Ford Bronco Sport 2024 Big Bend cuesta RD$2,700,000 y tiene 12,000 km, con 2 años "
        "de uso; es ideal de 5 a 7 personas y para ir de la 1 a la 2 fila."
    )
    result = check_reply(text, context(BRONCO, profile=ADP))
    assert result.ok and not result.repaired, result.problems


def test_an_email_is_never_shown_even_with_a_profile() -> None:
    result = check_reply(
        f"{LEAD} Escríbenos a ventas@autodominicana.do.", context(BRONCO, profile=ADP)
    )
    assert Problem(Reason.CONTACT) in result.problems
