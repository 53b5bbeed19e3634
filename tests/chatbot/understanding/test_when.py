"""Which day an hours question is about."""

from __future__ import annotations

import pytest

from okla.chatbot.inventory.domain import Catalog
from okla.chatbot.understanding.intents import Intent
from okla.chatbot.understanding.understand import Understanding, understand
from okla.chatbot.understanding.when import (
    DayAsked,
    Holidays,
    InDays,
    Now,
    OnDate,
    OnHoliday,
    OnWeekdays,
    day_asked,
)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("¿a qué hora abren el sábado?", OnWeekdays((5,))),
        ("abren el sabado en la mañana?", OnWeekdays((5,))),  # the morning, not tomorrow
        ("trabajan los domingos?", OnWeekdays((6,))),
        ("abren el fin de semana?", OnWeekdays((5, 6))),
        ("are you open on saturday?", OnWeekdays((5,))),
        ("a q hora abren mañana", InDays(1)),
        ("open tomorrow morning?", InDays(1)),
        ("pasado mañana abren?", InDays(2)),
        ("hasta q hora estan hoy", InDays(0)),
        ("what time do you close today?", InDays(0)),
        ("¿están abiertos ahora?", Now()),
        ("are you open right now?", Now()),
        ("abren el 25 de diciembre?", OnDate(12, 25)),
        ("abren el 1ro de enero?", OnDate(1, 1)),
        ("open on december 24th?", OnDate(12, 24)),
        ("abren el día de reyes?", OnHoliday("Día de los Santos Reyes")),
        ("trabajan en semana santa?", OnHoliday("Viernes Santo")),
        ("abren los días feriados?", Holidays()),
        ("horario??", None),
        # Which days: the week, whatever days the customer says of themselves.
        ("q dias trabajan? yo trabajo de lunes a viernes", None),
        ("what days are you open? I work monday to friday", None),
        # "Mercedes" alone is the make, not the holiday.
        ("busco una mercedes, abren el sabado?", OnWeekdays((5,))),
    ],
)
def test_the_day_asked(text: str, asked: DayAsked | None) -> None:
    assert day_asked(text) == asked


def test_understanding_carries_the_day_of_an_hours_question_only() -> None:
    def read(text: str) -> Understanding:
        return understand(
            text, catalog=Catalog(), previous_query=None, earlier_messages=(), today_year=2026
        )

    hours = read("¿abren el sábado?")
    assert Intent.HOURS in hours.intents
    assert hours.when == OnWeekdays((5,))
    assert read("quiero ver la yipeta el sábado").when is None
