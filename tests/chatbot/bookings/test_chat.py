"""Test drives booked in the chat, through the whole turn on SQLite: the demo dealers, a fixed
clock (Monday 30 November 2026, 10:00 in Santo Domingo) and templated answers.

Auto Dominicana Premium opens Monday to Friday 8:00-18:00 and Saturday 9:00-13:00, is closed on
Sunday, and books test drives by the hour, two at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from okla.chatbot.bookings.domain import AppointmentStatus, AwaitingTime, Booked
from okla.chatbot.chat.events import EventName
from okla.chatbot.dealers.domain import DealerProfile
from okla.chatbot.dealers.repository import apply_profile
from okla.chatbot.errors import NotFoundError
from okla.chatbot.inventory.demo import DEFAULT_DEALER_SLUG
from okla.chatbot.leads.domain import AwaitingContact, LeadInterest
from okla.chatbot.leads.phrases import consent
from okla.chatbot.models import Appointment, Dealer, OutboxEvent, Vehicle
from okla.chatbot.models import Lead as LeadRow
from okla.chatbot.outbox.domain import EventKind
from tests.utils.bookings import local
from tests.utils.desk import database_url
from tests.utils.pipeline import Customer, Pipeline, customer, pipeline

NOW = local(30, 10, month=11)  # a Monday, 10:00
DEALER = "Auto Dominicana Premium"
ADDRESS = "Av. Abraham Lincoln 1052, Ensanche Piantini"
ASKS = "tu nombre y tu teléfono"


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline(clock=lambda: NOW, answer_mode="template") as built:
        yield built


async def appointments(chat: Pipeline) -> list[Appointment]:
    async with chat.sessions() as db:
        return list((await db.scalars(select(Appointment).order_by(Appointment.created_at))).all())


async def leads(chat: Pipeline) -> list[LeadRow]:
    async with chat.sessions() as db:
        return list((await db.scalars(select(LeadRow))).all())


async def vehicle_id(chat: Pipeline, model: str) -> str:
    async with chat.sessions() as db:
        found = await db.scalar(
            select(Vehicle.id)
            .join(Dealer, Dealer.id == Vehicle.dealer_id)
            .where(Dealer.slug == DEFAULT_DEALER_SLUG, Vehicle.model == model)
        )
    assert found is not None
    return found


async def calendar_of(chat: Pipeline, ics_url: str | None) -> bytes:
    """Open a card's calendar link the way the route does."""
    assert ics_url is not None
    parts = urlsplit(ics_url)
    appointment_id = parts.path.rsplit("/", 1)[1].removesuffix(".ics")
    token = parse_qs(parts.query)["token"][0]
    return await chat.services.bookings.calendar(appointment_id, token)


async def known(chat: Pipeline, name: str = "Ana Gómez", phone: str = "809-555-2222") -> Customer:
    """A customer who gave their contact in their first message."""
    someone = await customer(chat)
    await someone.say(f"hola, soy {name}, {phone}")
    return someone


# -- booking -------------------------------------------------------------------------------------


async def test_a_known_contact_books_at_once_with_its_card_lead_and_events(chat: Pipeline) -> None:
    ana = await known(chat)
    reply = await ana.say("quiero probar la RAV4 el jueves a las 10")
    assert reply.startswith(
        "Listo, Ana: te esperamos el jueves 3 de diciembre, 10:00 a. m. para probar la Toyota "
        f"RAV4 2022 en {DEALER}, {ADDRESS}."
    )
    assert ASKS not in reply
    rav4 = await vehicle_id(chat, "RAV4")
    [booked] = await appointments(chat)
    assert (booked.start, booked.vehicle_id, booked.name, booked.phone_e164) == (
        local(3, 10),
        rav4,
        "Ana Gómez",
        "+18095552222",
    )
    assert booked.session_id == await ana.id() and booked.status == AppointmentStatus.BOOKED
    card = ana.reply.appointment
    assert card is not None
    assert (card.appointment_id, card.status, card.start) == (
        booked.id,
        AppointmentStatus.BOOKED,
        local(3, 10),
    )
    assert card.start_text == "jueves 3 de diciembre, 10:00 a. m."
    assert card.vehicle is not None and card.vehicle.model == "RAV4"
    assert card.dealer.name == DEALER
    assert b"DTSTART:20261203T140000Z" in await calendar_of(chat, card.ics_url)
    [lead] = await leads(chat)
    assert (lead.interest, lead.vehicle_id, lead.phone_e164) == (
        LeadInterest.TEST_DRIVE,
        rav4,
        "+18095552222",
    )
    state = await ana.state()
    assert (state.appointment, state.awaiting, state.focus) == (booked.id, None, rav4)
    async with chat.sessions() as db:
        kinds = set((await db.scalars(select(OutboxEvent.kind))).all())
    assert {EventKind.APPOINTMENT_BOOKED, EventKind.LEAD_CREATED} <= kinds
    # Reloaded, the transcript shows the card with the message that made it.
    transcript = await chat.services.session.transcript(ana.token, "t")
    assert transcript.messages[-1].appointment == card


async def test_the_contact_is_asked_for_once_and_the_booking_completes_when_it_arrives(
    chat: Pipeline,
) -> None:
    juan = await customer(chat)
    asked = await juan.say("¿puedo ir a ver la Bronco mañana a las 10?")
    shown = consent(DEALER, "es")
    assert asked == (
        "El martes 1 de diciembre, 10:00 a. m. está libre para probar la Ford Bronco Sport "
        f"2024: te lo agendo en cuanto me des tu nombre y tu teléfono. {shown}"
    )
    assert juan.reply.appointment is None and not await appointments(chat)
    state = await juan.state()
    assert isinstance(state.awaiting, AwaitingContact)
    assert (state.awaiting.start, state.awaiting.interest) == (
        local(1, 10),
        LeadInterest.TEST_DRIVE,
    )
    name_only = await juan.say("me llamo Juan Rodríguez")
    assert "teléfono" in name_only and not await appointments(chat)
    done = await juan.say("829-555-1234")
    assert done.startswith("Listo, Juan: te esperamos el martes 1 de diciembre, 10:00 a. m.")
    [booked] = await appointments(chat)
    assert booked.vehicle_id == await vehicle_id(chat, "Bronco Sport")
    assert juan.reply.appointment is not None
    [lead] = await leads(chat)
    assert lead.consent == shown  # the sentence shown when the contact was asked for
    assert (await juan.state()).awaiting is None


@pytest.mark.parametrize(
    ("pick", "hour"),
    [("la primera", 9), ("la de las 10", 10), ("a las 11", 11), ("3", 11), ("la última", 11)],
)
async def test_a_day_without_an_hour_offers_its_free_slots_and_a_pick_books_one(
    chat: Pipeline, pick: str, hour: int
) -> None:
    ana = await known(chat)
    offer = await ana.say("quiero agendar una prueba de manejo el sábado")
    assert offer == (
        "El sábado 5 de diciembre tengo libre:\n"
        "1. sábado 5 de diciembre, 9:00 a. m.\n"
        "2. sábado 5 de diciembre, 10:00 a. m.\n"
        "3. sábado 5 de diciembre, 11:00 a. m.\n"
        "¿Cuál te queda mejor?"
    )
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (local(5, 9), local(5, 10), local(5, 11))
    done = await ana.say(pick)
    assert done.startswith(f"Listo, Ana: te esperamos el sábado 5 de diciembre, {hour}:00 a. m.")
    [booked] = await appointments(chat)
    assert booked.start == local(5, hour) and booked.vehicle_id is None


async def test_a_part_of_a_day_offers_that_part_only(chat: Pipeline) -> None:
    ana = await known(chat)
    await ana.say("quiero agendar una prueba")
    offer = await ana.say("el jueves en la tarde")
    assert "jueves 3 de diciembre en la tarde" in offer
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (local(3, 12), local(3, 13), local(3, 14))


async def test_a_yes_to_several_starts_asks_which(chat: Pipeline) -> None:
    ana = await known(chat)
    await ana.say("quiero agendar una prueba el sábado")
    again = await ana.say("sí")
    assert again.startswith("¿Cuál de estos horarios prefieres?")
    assert not await appointments(chat)


async def test_an_english_customer_books_in_english(chat: Pipeline) -> None:
    peter = await customer(chat)
    asked = await peter.say("can I book a test drive for tomorrow at 3pm?")
    assert asked.startswith("Tuesday, December 1, 3:00 PM is free for your test drive")
    assert "name and phone number" in asked
    done = await peter.say("Peter Smith 809-555-4321")
    assert done.startswith("Done, Peter: we'll expect you on Tuesday, December 1, 3:00 PM")
    assert peter.reply.appointment is not None
    # The card's words are the dealer's Spanish, as the calendar file's.
    assert peter.reply.appointment.start_text == "martes 1 de diciembre, 3:00 p. m."


# -- why not, and what instead --------------------------------------------------------------


async def test_a_closed_day_says_why_and_offers_the_next_free_slots(chat: Pipeline) -> None:
    ana = await known(chat)
    reply = await ana.say("quiero probar la RAV4 el domingo a las 10")
    assert reply.startswith("El domingo estamos cerrados; abrimos el lunes 7 de diciembre")
    assert "1. lunes 7 de diciembre, 8:00 a. m." in reply
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (local(7, 8), local(7, 9), local(7, 10))
    assert not await appointments(chat)
    await ana.say("la segunda")
    [booked] = await appointments(chat)
    assert booked.start == local(7, 9)


async def test_an_hour_after_closing_offers_that_days_free_hours(chat: Pipeline) -> None:
    ana = await known(chat)
    reply = await ana.say("puedo ir el sábado a las 4 de la tarde?")
    assert reply.startswith(
        "A esa hora estamos cerrados. El sábado abrimos de 9:00 a. m. a 1:00 p. m."
    )
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (local(5, 10), local(5, 11), local(5, 12))


async def test_a_past_hour_offers_the_next_free_ones(chat: Pipeline) -> None:
    ana = await known(chat)
    reply = await ana.say("quiero ir hoy a las 9 a probarla")
    assert reply.startswith("Esa hora ya pasó.")
    assert "1. lunes 30 de noviembre, 11:00 a. m." in reply
    assert not await appointments(chat)


async def test_a_full_slot_says_so_and_offers_the_nearest_free_ones(chat: Pipeline) -> None:
    dealer = (await chat.services.session.transcript(await chat.start(), "t")).dealer.id
    for phone in ("+18095550001", "+18095550002"):  # the slot's two seats
        taken = await chat.services.bookings.book(dealer, None, None, local(5, 10), "X", phone)
        assert isinstance(taken, Booked)
    ana = await known(chat)
    reply = await ana.say("quiero agendar una prueba de manejo el sábado a las 10")
    assert reply.startswith("A esa hora ya no quedan cupos.")
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingTime)
    assert state.awaiting.offered == (local(5, 9), local(5, 11), local(5, 12))
    assert len(await appointments(chat)) == 2


async def test_a_vehicle_in_another_test_drive_is_said_so(chat: Pipeline) -> None:
    first = await known(chat)
    await first.say("quiero probar la RAV4 el jueves a las 10")
    second = await known(chat, "Luis Peña", "809-555-3333")
    reply = await second.say("quiero probar la RAV4 el jueves a las 10")
    assert reply.startswith("La Toyota RAV4 2022 ya tiene una prueba de manejo a esa hora.")
    assert len(await appointments(chat)) == 1


# -- moving and cancelling ----------------------------------------------------------------------


async def test_a_booking_moves_by_the_hour_and_by_the_day(chat: Pipeline) -> None:
    carla = await known(chat, "Carla Díaz", "809-555-4444")
    await carla.say("puedo ir el viernes a las 10 a ver la tacoma?")
    first = carla.reply.appointment
    assert first is not None
    moved = await carla.say("mejor a las 11")
    assert moved.startswith(
        "Listo, Carla: cambié tu prueba de manejo de la Toyota Tacoma 2020 al viernes 4 de "
        "diciembre, 11:00 a. m. Te esperamos"
    )
    card = carla.reply.appointment
    assert card is not None and card.appointment_id == first.appointment_id
    assert card.start == local(4, 11) and card.ics_url != first.ics_url
    with pytest.raises(NotFoundError):
        await calendar_of(chat, first.ics_url)  # the old link is gone with the old time
    assert b"SEQUENCE:1" in await calendar_of(chat, card.ics_url)
    offer = await carla.say("¿lo podemos pasar para el lunes?")
    assert offer.startswith("El lunes 7 de diciembre tengo libre para probar la Toyota Tacoma")
    await carla.say("la primera")
    [booked] = await appointments(chat)
    assert (booked.id, booked.start, booked.status) == (
        first.appointment_id,
        local(7, 8),
        AppointmentStatus.BOOKED,
    )
    assert (await carla.state()).appointment == booked.id


async def test_asking_for_a_visit_again_moves_the_booking_in_place(chat: Pipeline) -> None:
    ana = await known(chat)
    await ana.say("quiero probar la RAV4 el jueves a las 10")
    asked = await ana.say("quiero ir a verla")
    assert asked.startswith(
        "Tu prueba de manejo es el jueves 3 de diciembre, 10:00 a. m. ¿Para qué día y hora la "
        "cambio?"
    )
    await ana.say("el viernes a las 9")
    [booked] = await appointments(chat)
    assert booked.start == local(4, 9)
    assert booked.vehicle_id == await vehicle_id(chat, "RAV4")


async def test_a_move_to_a_closed_hour_keeps_the_booking_and_offers_others(
    chat: Pipeline,
) -> None:
    ana = await known(chat)
    await ana.say("quiero probar la RAV4 el sábado a las 10")
    reply = await ana.say("mejor a las 3")
    assert reply.startswith("A esa hora estamos cerrados.")
    [booked] = await appointments(chat)
    assert booked.start == local(5, 10)
    await ana.say("la de las 11")
    [booked] = await appointments(chat)
    assert booked.start == local(5, 11)


async def test_cancelling_says_what_was_cancelled(chat: Pipeline) -> None:
    ana = await known(chat)
    await ana.say("quiero probar la RAV4 el jueves a las 10")
    reply = await ana.say("cancela la cita")
    assert reply.startswith(
        "Listo: cancelé tu prueba de manejo de la Toyota RAV4 2022 del jueves 3 de diciembre, "
        "10:00 a. m. "
    )
    [booked] = await appointments(chat)
    assert booked.status == AppointmentStatus.CANCELLED
    card = ana.reply.appointment
    assert card is not None
    assert (card.status, card.ics_url) == (AppointmentStatus.CANCELLED, None)
    assert (await ana.state()).appointment is None
    again = await ana.say("cancela la cita")
    assert again.startswith("No tienes ninguna prueba de manejo agendada")
    assert ana.reply.appointment is None
    async with chat.sessions() as db:
        kinds = list((await db.scalars(select(OutboxEvent.kind))).all())
    assert kinds.count(EventKind.APPOINTMENT_CANCELLED) == 1


# -- no, or something else -------------------------------------------------------------------


async def test_a_no_drops_the_booking_under_way(chat: Pipeline) -> None:
    ana = await customer(chat)
    await ana.say("quiero agendar una prueba para el sábado a las 10")
    reply = await ana.say("no gracias")
    assert reply.startswith("Está bien, no agendo nada.")
    state = await ana.state()
    assert state.awaiting is None and state.contact is None
    await ana.say("¿qué yipetas tienen?")
    assert ana.reply.vehicles
    assert not await appointments(chat) and not await leads(chat)


async def test_another_question_mid_way_is_answered_and_books_nothing(chat: Pipeline) -> None:
    eva = await customer(chat)
    await eva.say("quiero agendar una prueba para el sábado a las 10")
    reply = await eva.say("¿qué yipetas tienen?")
    assert eva.reply.vehicles and ASKS not in reply
    assert (await eva.state()).awaiting is None
    await eva.say("el sábado")  # a date alone: nothing asked for it any more
    assert not isinstance((await eva.state()).awaiting, AwaitingTime)
    assert not await appointments(chat)


async def test_another_time_mid_way_is_checked_and_the_contact_still_asked(
    chat: Pipeline,
) -> None:
    eva = await customer(chat)
    await eva.say("quiero agendar una prueba para el sábado a las 10")
    reply = await eva.say("mejor el lunes a las 9")
    assert reply.startswith("El lunes 7 de diciembre, 9:00 a. m. está libre")
    await eva.say("Eva Núñez 809-555-6666")
    [booked] = await appointments(chat)
    assert booked.start == local(7, 9)


@pytest.mark.parametrize(
    "text", ["el sábado", "el sábado en la tarde", "a las 10", "tienen la bronco del 2024?"]
)
async def test_a_date_or_a_stock_question_is_no_booking_when_none_was_asked_for(
    chat: Pipeline, text: str
) -> None:
    nadie = await customer(chat)
    reply = await nadie.say(text)
    assert "tengo libre" not in reply and "prueba de manejo" not in reply
    assert (await nadie.state()).awaiting is None


async def test_a_dealer_without_hours_has_an_advisor_confirm_the_visit(chat: Pipeline) -> None:
    async with chat.sessions() as db:
        dealer = await db.scalar(select(Dealer).where(Dealer.slug == DEFAULT_DEALER_SLUG))
        assert dealer is not None
        apply_profile(dealer, DealerProfile(address="Av. Abraham Lincoln 1052"))
        await db.commit()
    ana = await customer(chat)
    reply = await ana.say("quiero agendar una prueba de manejo el sábado a las 10")
    assert "Un asesor de ventas te confirma el día y la hora de tu visita" in reply
    assert not await appointments(chat)


# -- the card in the stream ------------------------------------------------------------------


async def test_the_stream_sends_the_card_before_the_stored_response(chat: Pipeline) -> None:
    ana = await known(chat)
    events = [
        event
        async for event in chat.services.chat.message_events(
            chat.request(ana.token, "quiero probar la RAV4 el jueves a las 10"), None, "t", None
        )
    ]
    names = [event.name for event in events]
    assert names[-3:] == [EventName.VEHICLES, EventName.APPOINTMENT, EventName.DONE]
    card = events[-2].data["appointment"]
    done = events[-1].data["reply"]
    assert isinstance(card, dict) and isinstance(done, dict)
    assert card == done["appointment"]
    assert card["startText"] == "jueves 3 de diciembre, 10:00 a. m."
    assert str(card["icsUrl"]).startswith(f"/api/chat/appointments/{card['appointmentId']}.ics")


async def test_a_reply_without_a_booking_streams_no_card(chat: Pipeline) -> None:
    token = await chat.start()
    events = [
        e
        async for e in chat.services.chat.message_events(
            chat.request(token, "hola"), None, "t", None
        )
    ]
    assert EventName.APPOINTMENT not in [e.name for e in events]
    done = events[-1].data["reply"]
    assert isinstance(done, dict) and done["appointment"] is None


# -- on both databases ------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def stored(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, and the real PostgreSQL."""
    with database_url(request.param, tmp_path) as url:
        yield url


async def test_book_move_and_cancel_in_the_chat_on_both_databases(stored: str) -> None:
    async with pipeline(clock=lambda: NOW, answer_mode="template", database_url=stored) as chat:
        ana = await customer(chat)
        await ana.say("quiero probar la RAV4 el jueves a las 10")
        await ana.say("Ana Gómez 809-555-2222")
        assert ana.reply.appointment is not None
        await ana.say("mejor a las 11")
        [booked] = await appointments(chat)
        assert booked.start == local(3, 11) and booked.sequence == 1
        await ana.say("cancela la cita")
        [booked] = await appointments(chat)
        assert booked.status == AppointmentStatus.CANCELLED
        transcript = await chat.services.session.transcript(ana.token, "t")
        cards = [m.appointment for m in transcript.messages if m.appointment is not None]
        assert [(c.status, c.start) for c in cards] == [
            (AppointmentStatus.BOOKED, local(3, 10)),
            (AppointmentStatus.BOOKED, local(3, 11)),
            (AppointmentStatus.CANCELLED, local(3, 11)),
        ]
        [lead] = await leads(chat)
        assert lead.interest == LeadInterest.TEST_DRIVE
