"""The guard as a whole: a correct reply passes; language, answering and repair; streaming."""

from __future__ import annotations

import pytest

from okla.chatbot.reply.guard import GuardResult, Problem, Reason, check_reply
from tests.utils.factories import (
    BRONCO,
    CARNIVAL,
    CIVIC,
    PRADO,
    assert_kept_only,
    context,
)

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


# Rule 7: language, answering, repair


def test_english_reply_to_a_spanish_customer_is_rejected() -> None:
    text = "We have the Ford Bronco Sport, it is a great car for you."
    result = check_reply(text, context(BRONCO))
    assert not result.ok and Reason.WRONG_LANGUAGE in result.reasons


def test_spanish_reply_to_an_english_customer_is_rejected() -> None:
    text = "Tenemos la Ford Bronco Sport, es una yipeta muy buena para ti."
    result = check_reply(text, context(BRONCO, language="en"))
    assert not result.ok and Reason.WRONG_LANGUAGE in result.reasons


def test_english_customer_gets_english() -> None:
    text = "We have the Ford Bronco Sport 2024 for RD$2,700,000. Would you like to see it?"
    assert check_reply(text, context(BRONCO, language="en")).ok


def test_an_english_sentence_in_a_spanish_reply_is_removed() -> None:
    good = "La Kia Carnival 2024 cuesta RD$3,300,000."
    result = check_reply(f"{good} It is a great car with a lot of space.", context(CARNIVAL))
    assert_kept_only(result, good)
    assert result.problems == (Problem(Reason.WRONG_LANGUAGE),)


def test_repair_keeps_the_good_sentences() -> None:
    text = (
        "Tenemos la Kia Carnival 2024 EX por RD$3,300,000. "
        "También un Honda CR-Z 2019 muy barato. "
        "Te hago un descuento del 20% hoy."
    )
    result = check_reply(text, context(CARNIVAL, CIVIC))
    assert_kept_only(result, "Tenemos la Kia Carnival 2024 EX por RD$3,300,000.")
    assert Problem(Reason.UNKNOWN_VEHICLE, "Honda CR-Z") in result.problems
    assert Problem(Reason.YEAR_NOT_IN_STOCK, "2019") in result.problems
    assert Problem(Reason.PROMISE, "descuento") in result.problems
    assert Problem(Reason.PROMISE, "20%") in result.problems


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
    assert result.problems == (Problem(Reason.PRICE_NOT_IN_STOCK, "RD$5,000,000"),)


def test_a_reply_that_names_no_vehicle_does_not_answer() -> None:
    result = check_reply("¡Claro que sí! Con mucho gusto te ayudo hoy.", context(BRONCO))
    assert result == GuardResult(False, "", (Problem(Reason.NO_ANSWER),), False)


def test_too_little_left_after_repair_does_not_answer() -> None:
    result = check_reply("¡Claro! La Ford Bronco Sport cuesta RD$9,999,999.", context(BRONCO))
    assert not result.ok and result.repaired
    assert result.problems == (
        Problem(Reason.PRICE_NOT_IN_STOCK, "RD$9,999,999"),
        Problem(Reason.NO_ANSWER),
    )


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
    assert check_reply(text, context(BRONCO)) == GuardResult(
        False, "", (Problem(Reason.EMPTY),), False
    )


def test_no_cards_means_the_template_answers() -> None:
    result = check_reply("La Ford Bronco Sport cuesta RD$2,700,000.", context())
    assert result == GuardResult(False, "", (Problem(Reason.NO_CARDS),), False)


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
