"""What the bot says while it books: the day, the hour, the vehicle and the place, in words."""

from __future__ import annotations

from datetime import date

from okla.chatbot.bookings import phrases
from okla.chatbot.bookings.domain import (
    AppointmentStatus,
    AppointmentView,
    PartOfDay,
    Refusal,
    VehicleRef,
)
from okla.chatbot.inventory.domain import BodyType
from tests.utils.bookings import PROFILE, local, profile
from tests.utils.factories import CIVIC, card

BRONCO_2023 = card("Ford", "Bronco", 2023, 2_500_000)
ADDRESS = "Av. Winston Churchill 1099"
TODAY = date(2026, 11, 30)


def test_the_confirmation_names_the_day_the_hour_the_vehicle_and_the_place() -> None:
    text = phrases.confirmed(
        "María Pérez", local(5, 10), PROFILE, BRONCO_2023, "Auto Dominicana Premium", "es"
    )
    assert text.startswith(
        "Listo, María: te esperamos el sábado 5 de diciembre, 10:00 a. m. para probar la Ford "
        f"Bronco 2023 en Auto Dominicana Premium, {ADDRESS}."
    )
    english = phrases.confirmed("María", local(5, 10), PROFILE, None, "ADP", "en")
    assert english.startswith(
        f"Done, María: we'll expect you on Saturday, December 5, 10:00 AM for your test drive "
        f"at ADP, {ADDRESS}."
    )


def test_a_dealer_without_an_address_is_named_alone() -> None:
    text = phrases.confirmed("Ana", local(5, 10), profile(address=None), None, "ADP", "es")
    assert "en ADP. " in text


def test_vehicles_take_the_article_of_their_kind() -> None:
    assert phrases.vehicle_name(BRONCO_2023, "es") == "la Ford Bronco 2023"
    assert phrases.vehicle_name(CIVIC, "es") == "el Honda Civic 2021"
    assert phrases.vehicle_name(CIVIC, "en") == "the Honda Civic 2021"
    assert phrases.vehicle_name(None, "es") is None
    pickup = card("Toyota", "Hilux", 2022, 1, body=BodyType.PICKUP)
    assert phrases.vehicle_name(pickup, "es") == "la Toyota Hilux 2022"


def test_moving_and_cancelling_say_the_new_time_and_what_was_cancelled() -> None:
    moved = phrases.moved("Carla Díaz", local(7, 8), PROFILE, CIVIC, "ADP", "es")
    assert moved.startswith(
        "Listo, Carla: cambié tu prueba de manejo del Honda Civic 2021 al lunes 7 de diciembre, "
        "8:00 a. m. Te esperamos en ADP"
    )
    view = AppointmentView(
        "a1", "d1", "s1", VehicleRef("v1", "Honda", "Civic", 2021), local(3, 10), local(3, 11),
        AppointmentStatus.CANCELLED, "Carla", "+18095551234", 1, local(1, 9), local(1, 9),
    )  # fmt: skip
    assert phrases.cancelled(view, PROFILE, CIVIC, "es") == (
        "Listo: cancelé tu prueba de manejo del Honda Civic 2021 del jueves 3 de diciembre, "
        "10:00 a. m. Si quieres agendar otro día, me dices."
    )


def test_why_a_start_is_refused() -> None:
    sunday = phrases.refused(Refusal.CLOSED, local(6, 10), PROFILE, TODAY, None, "es")
    assert sunday == "El domingo estamos cerrados; abrimos el lunes 7 de diciembre a las 8:00 a. m."
    late = phrases.refused(Refusal.CLOSED, local(5, 16), PROFILE, TODAY, None, "es")
    assert late == "A esa hora estamos cerrados. El sábado abrimos de 9:00 a. m. a 1:00 p. m."
    christmas = phrases.refused(Refusal.CLOSED, local(25, 10), PROFILE, TODAY, None, "es")
    assert christmas.startswith("El viernes 25 de diciembre estamos cerrados (Navidad)")
    full = phrases.refused(Refusal.FULL, local(5, 10), PROFILE, TODAY, None, "es")
    assert full == "A esa hora ya no quedan cupos."
    taken = phrases.refused(Refusal.VEHICLE_TAKEN, local(5, 10), PROFILE, TODAY, CIVIC, "en")
    assert taken == "The Honda Civic 2021 already has a test drive at that time."
    odd = phrases.refused(Refusal.MISALIGNED, local(5, 10, 30), PROFILE, TODAY, None, "es")
    assert "cada 60 minutos" in odd


def test_why_a_window_has_nothing_free() -> None:
    afternoon = phrases.window_refused(
        date(2026, 12, 5), PartOfDay.EVENING, PROFILE, TODAY, open_then=False, past=False,
        lang="es",
    )  # fmt: skip
    assert afternoon.startswith("Ese día no abrimos en la noche. El sábado abrimos de 9:00 a. m.")
    full = phrases.window_refused(
        date(2026, 12, 5), PartOfDay.MORNING, PROFILE, TODAY, open_then=True, past=False,
        lang="es",
    )  # fmt: skip
    assert full == "El sábado 5 de diciembre en la mañana ya no quedan cupos."


def test_the_starts_offered_are_numbered_for_picking_and_none_means_an_advisor() -> None:
    listed = phrases.alternatives((local(5, 9), local(7, 8)), PROFILE, "es")
    assert listed == (
        "Te puedo ofrecer:\n1. sábado 5 de diciembre, 9:00 a. m.\n"
        "2. lunes 7 de diciembre, 8:00 a. m.\n¿Cuál te queda mejor?"
    )
    assert "asesor" in phrases.alternatives((), PROFILE, "es")
    assert "advisor" in phrases.alternatives((), PROFILE, "en")
