"""Hours answers for a date, a holiday by name, and the holidays ahead."""

from __future__ import annotations

from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.reply.hours import hours_answer
from okla.chatbot.understanding.when import Holidays, OnDate, OnHoliday, OnWeekdays
from tests.utils.dealers import ADP, local

MONDAY = local(2026, 11, 30, 10)


def test_a_date_is_the_next_one_to_come() -> None:
    assert hours_answer(ADP, OnDate(12, 25), MONDAY, "es") == (
        "El viernes 25 de diciembre estamos cerrados (Navidad); "
        "abrimos el sábado 26 de diciembre a las 9:00 a. m."
    )
    # 1 December is tomorrow; 30 November of next year is far ahead.
    assert hours_answer(ADP, OnDate(12, 1), MONDAY, "es").startswith("Mañana abrimos")
    assert hours_answer(ADP, OnDate(11, 29), MONDAY, "en").startswith(
        "On Monday, November 29 we're open from 8:00 AM"
    )


def test_a_date_that_does_not_exist_gets_the_week() -> None:
    assert hours_answer(ADP, OnDate(2, 30), MONDAY, "es").startswith("Nuestro horario:")


def test_a_holiday_by_name_is_its_observed_date() -> None:
    text = hours_answer(ADP, OnHoliday("Día de los Santos Reyes"), MONDAY, "es")
    assert text.startswith("El lunes 4 de enero estamos cerrados (Día de los Santos Reyes)")


def test_a_holiday_the_dealer_keeps_open_gets_its_hours() -> None:
    open_all_year = DealerProfile.model_validate(
        {"hours": {"mon": [{"opens": "08:00", "closes": "18:00"}]}}
    )
    text = hours_answer(open_all_year, OnHoliday("Día de los Santos Reyes"), MONDAY, "es")
    assert text == "El lunes 4 de enero abrimos de 8:00 a. m. a 6:00 p. m."


def test_the_holidays_ahead() -> None:
    assert hours_answer(ADP, Holidays(), MONDAY, "es") == (
        "Cerramos los días feriados; los próximos: viernes 25 de diciembre (Navidad), "
        "viernes 1 de enero (Año Nuevo) y lunes 4 de enero (Día de los Santos Reyes)."
    )
    english = hours_answer(ADP, Holidays(), MONDAY, "en")
    assert english.startswith("We close on public holidays; the next ones: Friday, December 25")
    no_closures = DealerProfile.model_validate(
        {"hours": {"mon": [{"opens": "08:00", "closes": "18:00"}]}}
    )
    assert "asesor" in hours_answer(no_closures, Holidays(), MONDAY, "es")


def test_a_weekday_whose_next_date_is_a_holiday() -> None:
    # Next Friday, seen from Monday 21 December, is Christmas.
    text = hours_answer(ADP, OnWeekdays((4,)), local(2026, 12, 21, 10), "es")
    assert text == (
        "Los viernes abrimos de 8:00 a. m. a 6:00 p. m. "
        "El viernes 25 de diciembre cerramos (Navidad)."
    )
