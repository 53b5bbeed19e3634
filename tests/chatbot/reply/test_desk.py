"""Desk questions: answered from the dealer's profile; what it leaves empty, honestly."""

from __future__ import annotations

import pytest

from okla.chatbot.chat.gate import Assistant
from okla.chatbot.dealers.domain import DealerProfile, Policies
from okla.chatbot.reply.desk import desk_reply
from okla.chatbot.understanding.intents import DESK_INTENTS, Intent
from okla.chatbot.understanding.when import InDays, Now, OnWeekdays
from tests.utils.dealers import MDC, assistant, local

ANA = Assistant("Ana", "d1", "Auto Dominicana Premium", "Santo Domingo", "809-555-0100")
NO_PHONE = Assistant("Carlos", "d2", "Motores del Cibao", None, None)
# Monday 30 November 2026, 10:00 in Santo Domingo.
MONDAY_MORNING = local(2026, 11, 30, 10)


@pytest.mark.parametrize("intent", sorted(DESK_INTENTS - {Intent.BOT, Intent.MOTORCYCLE}))
def test_without_a_profile_each_question_is_confirmed_by_an_advisor_with_the_phone(
    intent: Intent,
) -> None:
    text = desk_reply({intent}, ANA, "es", now=MONDAY_MORNING)
    assert "809-555-0100" in text
    assert "asesor" in text
    assert "Te puedo ayudar a encontrar" not in text


@pytest.mark.parametrize("intent", sorted(DESK_INTENTS))
def test_in_english_too(intent: Intent) -> None:
    text = desk_reply({intent}, ANA, "en", now=MONDAY_MORNING)
    assert "advisor" in text
    assert "asesor" not in text


def test_without_a_phone_a_person_is_offered() -> None:
    text = desk_reply({Intent.HOURS}, NO_PHONE, "es", now=MONDAY_MORNING)
    assert "asesor" in text
    assert "None" not in text


def test_several_questions_in_one_message_are_answered_together() -> None:
    text = desk_reply({Intent.LOCATION, Intent.HOURS}, ANA, "es", now=MONDAY_MORNING)
    assert "dirección" in text and "horario" in text
    assert text.count("809-555-0100") == 1


def test_the_bot_says_what_it_is_and_offers_a_person() -> None:
    text = desk_reply({Intent.BOT}, ANA, "es", now=MONDAY_MORNING)
    assert "asistente virtual" in text and "Ana" in text
    assert "asesor" in text


def test_where_a_vehicle_comes_from_is_the_advisors_to_confirm() -> None:
    # No profile field says whether a vehicle is imported or has a Carfax: never guessed.
    text = desk_reply({Intent.HISTORY}, ANA, "es", now=MONDAY_MORNING)
    assert "procedencia y el historial" in text and "809-555-0100" in text
    english = desk_reply({Intent.HISTORY}, ANA, "en", now=MONDAY_MORNING)
    assert "where each vehicle comes from" in english


def test_motorcycles_are_not_sold() -> None:
    text = desk_reply({Intent.MOTORCYCLE}, NO_PHONE, "es", now=MONDAY_MORNING)
    assert "no vendemos motores ni pasolas" in text


# --- from the profile


def test_the_week_and_whether_it_is_open_now() -> None:
    text = desk_reply({Intent.HOURS}, assistant(), "es", now=MONDAY_MORNING)
    assert "lunes a viernes, de 8:00 a. m. a 6:00 p. m." in text
    assert "sábado, de 9:00 a. m. a 1:00 p. m." in text
    assert "domingo, cerrado" in text
    assert "Ahora estamos abiertos hasta las 6:00 p. m." in text
    assert "asesor" in text  # a person is still offered
    assert "te confirma" not in text


def test_the_week_in_english() -> None:
    text = desk_reply({Intent.HOURS}, assistant(), "en", now=MONDAY_MORNING)
    assert "Monday to Friday, from 8:00 AM to 6:00 PM" in text
    assert "Sunday, closed" in text
    assert "We're open now until 6:00 PM." in text


def test_saturday_and_sunday() -> None:
    saturday = desk_reply(
        {Intent.HOURS}, assistant(), "es", now=MONDAY_MORNING, when=OnWeekdays((5,))
    )
    assert "Los sábados abrimos de 9:00 a. m. a 1:00 p. m." in saturday
    sunday = desk_reply(
        {Intent.HOURS}, assistant(), "en", now=MONDAY_MORNING, when=OnWeekdays((6,))
    )
    assert "On Sundays we're closed." in sunday


def test_today_and_tomorrow() -> None:
    today = desk_reply({Intent.HOURS}, assistant(), "es", now=MONDAY_MORNING, when=InDays(0))
    assert today.startswith("Hoy abrimos de 8:00 a. m. a 6:00 p. m.")
    assert "Ahora estamos abiertos" in today
    saturday_noon = local(2026, 12, 5, 12)
    tomorrow = desk_reply({Intent.HOURS}, assistant(), "es", now=saturday_noon, when=InDays(1))
    assert tomorrow.startswith("Mañana estamos cerrados; abrimos el lunes a las 8:00 a. m.")


def test_closed_now_says_when_it_opens() -> None:
    saturday_evening = local(2026, 12, 5, 15)
    text = desk_reply({Intent.HOURS}, assistant(), "es", now=saturday_evening, when=Now())
    assert text.startswith("Ahora estamos cerrados; abrimos el lunes a las 8:00 a. m.")
    friday_night = local(2026, 12, 4, 21)
    text = desk_reply({Intent.HOURS}, assistant(), "en", now=friday_night, when=Now())
    assert text.startswith("We're closed now; we open tomorrow at 9:00 AM.")


def test_a_midday_break_in_santiago() -> None:
    lunch = local(2026, 11, 30, 12, 30)
    text = desk_reply({Intent.HOURS}, assistant(MDC, "Carlos"), "es", now=lunch, when=Now())
    assert text.startswith("Ahora estamos cerrados; abrimos hoy a las 2:00 p. m.")
    week = desk_reply({Intent.HOURS}, assistant(MDC, "Carlos"), "es", now=lunch)
    assert "de 8:00 a. m. a 12:00 p. m. y de 2:00 p. m. a 6:00 p. m." in week


def test_a_holiday_is_said_with_the_week_before_it() -> None:
    christmas_eve = local(2026, 12, 24, 17)
    text = desk_reply({Intent.HOURS}, assistant(), "es", now=christmas_eve)
    assert "Mañana cerramos (Navidad)." in text
    text = desk_reply({Intent.HOURS}, assistant(), "es", now=christmas_eve, when=InDays(1))
    assert text.startswith("Mañana estamos cerrados (Navidad); abrimos el sábado a las 9:00 a. m.")


def test_where_it_is() -> None:
    text = desk_reply({Intent.LOCATION}, assistant(), "es", now=MONDAY_MORNING)
    assert "Estamos en Av. Abraham Lincoln 1052, Ensanche Piantini, Santo Domingo." in text
    assert "https://maps.google.com/?q=" in text
    english = desk_reply({Intent.LOCATION}, assistant(), "en", now=MONDAY_MORNING)
    assert english.startswith("We're at Av. Abraham Lincoln 1052")


def test_phone_and_whatsapp() -> None:
    text = desk_reply({Intent.CONTACT}, assistant(), "es", now=MONDAY_MORNING)
    assert "llamarnos al 809-555-0100 o escribirnos por WhatsApp al 829-555-0101" in text
    english = desk_reply({Intent.CONTACT}, assistant(), "en", now=MONDAY_MORNING)
    assert "call us at 809-555-0100 or WhatsApp us at 829-555-0101" in english


@pytest.mark.parametrize(
    ("intent", "spanish", "english"),
    [
        (Intent.TRADE_IN, "evaluarlo en nuestro local", "after inspecting it at our lot"),
        (Intent.WARRANTY, "3 meses o 5,000 km", "3-month or 5,000 km warranty"),
        (Intent.DOCUMENTS, "traspaso en la DGII", "title transfer (traspaso)"),
        (Intent.DELIVERY, "enviamos a Santiago", "ship to Santiago"),
    ],
)
def test_policies_are_quoted_in_the_customers_language(
    intent: Intent, spanish: str, english: str
) -> None:
    text = desk_reply({intent}, assistant(), "es", now=MONDAY_MORNING)
    assert spanish in text
    assert "te confirma" not in text
    assert english in desk_reply({intent}, assistant(), "en", now=MONDAY_MORNING)


def test_a_policy_only_in_spanish_is_quoted_in_spanish_to_an_english_customer() -> None:
    profile = DealerProfile(policies=Policies(warranty="Garantía de 30 días en motor y caja."))
    text = desk_reply({Intent.WARRANTY}, assistant(profile), "en", now=MONDAY_MORNING)
    assert "About the warranty: Garantía de 30 días en motor y caja." in text


def test_what_the_profile_leaves_empty_keeps_the_honest_answer() -> None:
    # Hours and phone, but no address and no policies.
    profile = DealerProfile.model_validate(
        {"phone": "809-555-0199", "hours": {"mon": [{"opens": "08:00", "closes": "17:00"}]}}
    )
    text = desk_reply(
        {Intent.LOCATION, Intent.TRADE_IN, Intent.HOURS},
        assistant(profile),
        "es",
        now=MONDAY_MORNING,
    )
    assert "lunes, de 8:00 a. m. a 5:00 p. m." in text
    assert "Un asesor de ventas te confirma la dirección exacta y cómo llegar y si podemos" in text
    assert "llamarnos al 809-555-0199" in text


def test_the_phone_is_given_once_with_a_question_the_profile_cannot_answer() -> None:
    text = desk_reply({Intent.CONTACT, Intent.INSURANCE}, assistant(), "es", now=MONDAY_MORNING)
    assert text.count("809-555-0100") == 1
    assert "seguro" in text
