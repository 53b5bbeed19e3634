"""No echo of the instructions or the question, and no sentence said twice."""

from __future__ import annotations

from okla.chatbot.reply.guard import GuardResult, Problem, Reason, check_reply
from tests.utils.factories import (
    BRONCO,
    CARNIVAL,
    SYSTEM,
    assert_kept_only,
    context,
)

# Rule 6: echo and leaks


def test_echo_of_the_instructions_is_rejected() -> None:
    result = check_reply(SYSTEM + " La Ford Bronco Sport.", context(BRONCO))
    assert result == GuardResult(False, "", (Problem(Reason.ECHO),), False)


def test_a_chunk_of_the_rules_is_rejected() -> None:
    text = (
        "La Ford Bronco Sport cuesta RD$2,700,000. Habla solo de los vehículos de la lista, "
        "por favor."
    )
    assert check_reply(text, context(BRONCO)).problems == (Problem(Reason.ECHO),)


def test_parroting_the_question_is_rejected() -> None:
    question = "¿Tienen la Ford Bronco Sport disponible?"
    result = check_reply(
        "Tienen la Ford Bronco Sport disponible.", context(BRONCO, question=question)
    )
    assert result.problems == (Problem(Reason.ECHO),)


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
    assert result.problems == (Problem(Reason.REPEATED),)


def test_a_sentence_that_loops_is_removed() -> None:
    good = "Tenemos la Kia Carnival 2024 EX."
    looping = "Es un 2024 EX de Kia Carnival, es un 2024 EX de Kia Carnival."
    result = check_reply(f"{good} {looping}", context(CARNIVAL))
    assert_kept_only(result, good)
    assert result.problems == (Problem(Reason.REPEATED),)
