"""Desk questions get an honest answer: an advisor confirms, the phone, the offer of a person."""

from __future__ import annotations

import pytest

from okla.chatbot.chat.gate import Assistant
from okla.chatbot.reply.desk import desk_reply
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent

ANA = Assistant("Ana", "d1", "Auto Dominicana Premium", "Santo Domingo", "809-555-0100")
NO_PHONE = Assistant("Carlos", "d2", "Motores del Cibao", None, None)


@pytest.mark.parametrize("intent", sorted(DESK_INTENTS - {Intent.BOT, Intent.MOTORCYCLE}))
def test_each_desk_question_is_confirmed_by_an_advisor_with_the_phone(intent: Intent) -> None:
    text = desk_reply({intent}, ANA, "es")
    assert "809-555-0100" in text
    assert "asesor" in text
    assert "Te puedo ayudar a encontrar" not in text


@pytest.mark.parametrize("intent", sorted(DESK_INTENTS))
def test_in_english_too(intent: Intent) -> None:
    text = desk_reply({intent}, ANA, "en")
    assert "advisor" in text
    assert "asesor" not in text


def test_without_a_phone_a_person_is_offered() -> None:
    text = desk_reply({Intent.HOURS}, NO_PHONE, "es")
    assert "asesor" in text
    assert "None" not in text


def test_several_questions_in_one_message_are_answered_together() -> None:
    text = desk_reply({Intent.LOCATION, Intent.HOURS}, ANA, "es")
    assert "dirección" in text and "horario" in text
    assert text.count("809-555-0100") == 1


def test_the_bot_says_what_it_is_and_offers_a_person() -> None:
    text = desk_reply({Intent.BOT}, ANA, "es")
    assert "asistente virtual" in text and "Ana" in text
    assert "asesor" in text


def test_motorcycles_are_not_sold() -> None:
    text = desk_reply({Intent.MOTORCYCLE}, NO_PHONE, "es")
    assert "no vendemos motores ni pasolas" in text
