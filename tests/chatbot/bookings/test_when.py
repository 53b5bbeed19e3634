"""Reading when a customer wants to come, in Spanish and English, from a fixed 'now'."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from okla.chatbot.bookings.domain import PartOfDay
from okla.chatbot.bookings.when import (
    DayOnly,
    DayPart,
    Exact,
    PartOnly,
    TimeOnly,
    When,
    read_when,
)
from tests.utils.bookings import NOW, SANTO_DOMINGO, local

MORNING, AFTERNOON, EVENING = PartOfDay.MORNING, PartOfDay.AFTERNOON, PartOfDay.EVENING
TODAY, TOMORROW = date(2026, 11, 30), date(2026, 12, 1)
SATURDAY = date(2026, 12, 5)


def read(text: str) -> When | None:
    return read_when(text, NOW, SANTO_DOMINGO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("¿puedo ir a ver la Bronco mañana a las 10?", Exact(local(1, 10))),
        ("mañana a las 10 de la mañana", Exact(local(1, 10))),
        ("mañana a las 4", Exact(local(1, 16))),
        ("mañana las 3", Exact(local(1, 15))),
        ("Mañana 10am", Exact(local(1, 10))),
        ("mañana a las 10:30", Exact(local(1, 10, 30))),
        ("mañana a las 10 y media", Exact(local(1, 10, 30))),
        ("mañana a las 11 menos cuarto", Exact(local(1, 10, 45))),
        ("mañana a las 3 y 15", Exact(local(1, 15, 15))),
        ("mañana a la una", Exact(local(1, 13))),
        ("mañana a las diez", Exact(local(1, 10))),
        ("mañana al mediodía", Exact(local(1, 12))),
        ("hoy a las 5", Exact(local(30, 17, month=11))),
        ("hoy a las 5 de la tarde", Exact(local(30, 17, month=11))),
        ("sábado 3pm", Exact(local(5, 15))),
        ("el sábado a las 9 a. m.", Exact(local(5, 9))),
        ("el viernes a las 4 de la tarde", Exact(local(4, 16))),
        ("el viernes a las 8 de la noche", Exact(local(4, 20))),
        ("5 de diciembre a las 10", Exact(local(5, 10))),
        ("el sábado 5 de diciembre a las 10", Exact(local(5, 10))),
        ("pasado mañana a las 9", Exact(local(2, 9))),
        ("next Saturday at 3pm", Exact(local(5, 15))),
        ("tomorrow 10am", Exact(local(1, 10))),
        ("tomorrow at 10:30 am", Exact(local(1, 10, 30))),
        ("tonight at 7", Exact(local(30, 19, month=11))),
        ("Dec 5th at 10:30 am", Exact(local(5, 10, 30))),
        ("2026-12-05 10:00", Exact(local(5, 10))),
        ("el 5/12 a las 9", Exact(local(5, 9))),
        ("el lunes a las 8", Exact(local(7, 8))),
    ],
)
def test_a_day_and_an_hour_are_an_exact_start(text: str, expected: Exact) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el sábado en la tarde", DayPart(SATURDAY, AFTERNOON)),
        ("el sábado por la mañana", DayPart(SATURDAY, MORNING)),
        ("mañana en la mañana", DayPart(TOMORROW, MORNING)),
        ("mañana temprano", DayPart(TOMORROW, MORNING)),
        ("mañana en la tardecita", DayPart(TOMORROW, AFTERNOON)),
        ("mañana después del almuerzo", DayPart(TOMORROW, AFTERNOON)),
        ("esta tarde", DayPart(TODAY, AFTERNOON)),
        ("hoy en la noche", DayPart(TODAY, EVENING)),
        ("tonight", DayPart(TODAY, EVENING)),
        ("saturday morning", DayPart(SATURDAY, MORNING)),
        ("tomorrow afternoon", DayPart(TOMORROW, AFTERNOON)),
        ("saturday in the morning", DayPart(SATURDAY, MORNING)),
        ("after lunch tomorrow", DayPart(TOMORROW, AFTERNOON)),
    ],
)
def test_a_day_and_a_part_of_it(text: str, expected: DayPart) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mañana", TOMORROW),
        ("pasado mañana", date(2026, 12, 2)),
        ("the day after tomorrow", date(2026, 12, 2)),
        ("hoy", TODAY),
        ("el sábado", SATURDAY),
        ("este sábado", SATURDAY),
        ("el próximo sábado", SATURDAY),
        ("el sábado que viene", SATURDAY),
        ("this friday", date(2026, 12, 4)),
        ("el lunes", date(2026, 12, 7)),  # said on a Monday: next week's
        ("este lunes", TODAY),
        ("el domingo", date(2026, 12, 6)),
        ("el miércoles", date(2026, 12, 2)),
        ("el 5 de diciembre", SATURDAY),
        ("5 de diciembre de 2026", SATURDAY),
        ("diciembre 5", SATURDAY),
        ("el jueves 3 de diciembre", date(2026, 12, 3)),  # the date wins
        ("el 30 de noviembre", TODAY),
        ("el 29 de noviembre", date(2027, 11, 29)),  # passed: next year's
        ("el 2 de enero", date(2027, 1, 2)),
        ("el 5/12", SATURDAY),
        ("el 5", SATURDAY),
        ("el día 15", date(2026, 12, 15)),
        ("dentro de 3 días", date(2026, 12, 3)),
        ("en 2 días", date(2026, 12, 2)),
        ("in 2 days", date(2026, 12, 2)),
        ("december 5", SATURDAY),
        ("on 5/12/2026", SATURDAY),
    ],
)
def test_a_day_alone(text: str, expected: date) -> None:
    assert read(text) == DayOnly(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a las 10", time(10)),
        ("mejor a las 11", time(11)),
        ("mejor a las 3", time(15)),
        ("a las 8", time(8)),
        ("a las 12", time(12)),
        ("a las 15:30", time(15, 30)),
        ("10:30", time(10, 30)),
        ("las 4:30 pm", time(16, 30)),
        ("a las 7 de la noche", time(19)),
        ("a las 12 de la noche", time(0)),
        ("mediodía", time(12)),
        ("al medio día", time(12)),
        ("at noon", time(12)),
        ("at 3", time(15)),
        ("3 pm", time(15)),
        ("a las 10 a.m.", time(10)),
        ("12 pm", time(12)),
        ("12 am", time(0)),
        ("después de las 6", time(18)),  # from then on: that hour first
        ("after 5", time(17)),
    ],
)
def test_an_hour_alone_is_for_the_day_under_discussion(text: str, expected: time) -> None:
    assert read(text) == TimeOnly(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en la tarde", AFTERNOON),
        ("mejor por la mañana", MORNING),
        ("in the evening", EVENING),
        ("mejor temprano", MORNING),
    ],
)
def test_a_part_of_the_day_alone(text: str, expected: PartOfDay) -> None:
    assert read(text) == PartOnly(expected)


def test_an_hour_or_a_part_alone_lands_on_the_day_under_discussion() -> None:
    assert TimeOnly(time(11)).on(SATURDAY, SANTO_DOMINGO) == Exact(local(5, 11))
    assert PartOnly(AFTERNOON).on(SATURDAY) == DayPart(SATURDAY, AFTERNOON)


@pytest.mark.parametrize(
    "text",
    [
        "tienes una del 2020",
        "a 2 millones",
        "la de 10 mil km",
        "¿Tienen algo de 1.5 millones?",
        "una 4x4 del 2022 por 2 millones",
        "financiamiento a 60 meses",
        "la de las 3 filas",
        "¿cuánto cuesta la de 7 pasajeros?",
        "tienes las 2?",
        "la de 2.5 millones con 30,000 km",
        "5/7 pasajeros",
        "2020",
        "2027",
        "estoy en Santo Domingo",
        "una yipeta de 15",
        "tienes algo entre 1 y 2 millones",
        "a las 25",
        "la semana que viene",
        "next week",
        "hola",
        "",
    ],
)
def test_stock_talk_and_chatter_are_no_time(text: str) -> None:
    assert read(text) is None


def test_relative_days_are_the_dealers_days_not_the_servers() -> None:
    # 22:00 in Santo Domingo is already tomorrow in UTC: "mañana" is still the 1st.
    late = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert read_when("mañana a las 10", late, SANTO_DOMINGO) == Exact(local(1, 10))
    tokyo = ZoneInfo("Asia/Tokyo")
    assert read_when("mañana", late, tokyo) == DayOnly(date(2026, 12, 2))


def test_an_exact_start_is_in_the_dealers_zone() -> None:
    found = read_when("mañana a las 10", NOW, ZoneInfo("America/New_York"))
    assert isinstance(found, Exact)
    assert found.start.utcoffset() is not None
    assert found.start.astimezone(UTC) == datetime(2026, 12, 1, 15, tzinfo=UTC)
