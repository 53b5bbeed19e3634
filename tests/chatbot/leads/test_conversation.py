"""The contact form through the chat turn: offered, filled as customers write, never a trap."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from okla.chatbot.chat.domain import SessionStatus
from okla.chatbot.leads.domain import AwaitingContact, LeadInterest, LeadStatus
from okla.chatbot.leads.phrases import consent
from okla.chatbot.models import Dealer, OutboxEvent, Vehicle
from okla.chatbot.models import Lead as LeadRow
from okla.chatbot.outbox.domain import EventKind
from okla.chatbot.text.fold import fold
from tests.utils.pipeline import Pipeline, customer, pipeline

DEALER = "Auto Dominicana Premium"
CONSENT = consent(DEALER, "es")
ASKS = "tu nombre y tu teléfono"


@pytest.fixture
async def chat() -> AsyncIterator[Pipeline]:
    async with pipeline(answer_mode="template") as built:
        yield built


async def leads(chat: Pipeline) -> list[LeadRow]:
    async with chat.sessions() as db:
        return list((await db.scalars(select(LeadRow).order_by(LeadRow.created_at))).all())


async def event_kinds(chat: Pipeline) -> list[EventKind]:
    async with chat.sessions() as db:
        rows = (await db.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at))).all()
    return [row.kind for row in rows]


async def test_a_call_back_is_offered_and_the_contact_taken_in_two_messages(
    chat: Pipeline,
) -> None:
    ana = await customer(chat)
    offer = await ana.say("llámame porfa")
    assert CONSENT in offer
    state = await ana.state()
    assert isinstance(state.awaiting, AwaitingContact)
    assert state.awaiting.interest == LeadInterest.CALLBACK
    assert state.awaiting.consent == CONSENT
    asked = await ana.say("8095551234")
    assert "nombre" in asked and not await leads(chat)  # only the phone: the name is asked
    done = await ana.say("Ana Martínez")
    assert done.startswith("Listo, Ana: ") and "809-555-1234" in done
    [lead] = await leads(chat)
    assert (lead.name, lead.phone_e164, lead.interest) == (
        "Ana Martínez",
        "+18095551234",
        LeadInterest.CALLBACK,
    )
    assert lead.consent == CONSENT  # exactly as shown
    assert lead.session_id == await ana.id() and lead.status == LeadStatus.NEW
    state = await ana.state()
    assert state.awaiting is None
    assert state.contact is not None and state.contact.complete
    assert await event_kinds(chat) == [EventKind.LEAD_CREATED]


async def test_name_first_then_the_phone(chat: Pipeline) -> None:
    pedro = await customer(chat)
    await pedro.say("q me llamen x favor")
    asked = await pedro.say("me llamo Pedro")
    assert "Pedro" in asked and "teléfono" in asked
    done = await pedro.say("mi cel es 829 555 1234")
    assert done.startswith("Listo, Pedro: ") and "829-555-1234" in done
    assert [lead.name for lead in await leads(chat)] == ["Pedro"]


async def test_an_invalid_number_is_asked_again_with_an_example(chat: Pipeline) -> None:
    luis = await customer(chat)
    await luis.say("me pueden llamar?")
    again = await luis.say("Luis 809-555-12")
    assert "809-555-12" in again and "por ejemplo: 809-555-1234" in again
    assert not await leads(chat)
    assert (await luis.state()).awaiting is not None
    done = await luis.say("809 555 1234")  # the name given with the bad number is kept
    assert done.startswith("Listo, Luis: ")
    assert [lead.phone_e164 for lead in await leads(chat)] == ["+18095551234"]


async def test_an_invalid_email_is_asked_again_and_can_be_skipped(chat: Pipeline) -> None:
    juan = await customer(chat)
    await juan.say("llamame")
    bad = await juan.say("Juan 8095551234 juan@gmail")
    assert "juan@gmail" in bad and "sin correo" in bad and not await leads(chat)
    done = await juan.say("sin correo")
    assert done.startswith("Listo, Juan: ")
    [lead] = await leads(chat)
    assert lead.email is None


async def test_a_valid_email_is_kept(chat: Pipeline) -> None:
    rosa = await customer(chat)
    await rosa.say("me pueden llamar?")
    await rosa.say("Rosa Peña, 849-555-1234, Rosa.Pena@Gmail.com")
    [lead] = await leads(chat)
    assert lead.email == "Rosa.Pena@gmail.com"


@pytest.mark.parametrize("no", ["no gracias", "ahora no", "No, gracias.", "mejor no"])
async def test_a_no_is_taken_for_an_answer(chat: Pipeline, no: str) -> None:
    carla = await customer(chat)
    await carla.say("¿cuánto es lo menos de la RAV4?")
    assert (await carla.state()).awaiting is not None
    reply = await carla.say(no)
    assert "no hay problema" in reply and ASKS not in reply
    assert (await carla.state()).awaiting is None
    # Free to go on: the next question is answered, with no form in the way.
    search = await carla.say("¿qué yipetas tienen?")
    assert carla.last.reply is not None and carla.last.reply.vehicles
    assert CONSENT not in search
    assert not await leads(chat)


async def test_a_no_forgets_the_half_given_contact(chat: Pipeline) -> None:
    carla = await customer(chat)
    await carla.say("llámame")
    await carla.say("Carla")
    assert (await carla.state()).contact is not None
    await carla.say("ahora no")
    state = await carla.state()
    assert state.awaiting is None and state.contact is None


async def test_a_no_with_a_question_gets_the_question_answered(chat: Pipeline) -> None:
    mario = await customer(chat)
    await mario.say("llámenme")
    await mario.say("no, gracias. ¿tienen yipetas?")
    assert mario.last.reply is not None and mario.last.reply.vehicles
    assert CONSENT not in mario.last.reply.content
    assert (await mario.state()).awaiting is None


async def test_another_question_drops_the_offer_and_is_answered(chat: Pipeline) -> None:
    eva = await customer(chat)
    await eva.say("llamame")
    reply = await eva.say("¿qué yipetas tienen?")
    assert eva.last.reply is not None and eva.last.reply.vehicles
    assert ASKS not in reply
    state = await eva.state()
    assert state.awaiting is None and state.search is not None
    # "Juan" is now just a word: no name is taken out of the blue, nothing stored.
    await eva.say("Juan")
    assert not await leads(chat)


async def test_a_price_talk_offers_a_call_about_the_vehicle_in_focus(chat: Pipeline) -> None:
    async with chat.sessions() as db:
        rav4 = await db.scalar(select(Vehicle.id).where(Vehicle.model == "RAV4"))
    luz = await customer(chat)
    reply = await luz.say("¿cuánto es lo menos de la RAV4?")
    assert "RAV4" in reply and reply.endswith(CONSENT)
    state = await luz.state()
    assert state.focus == rav4
    assert isinstance(state.awaiting, AwaitingContact)
    assert (state.awaiting.interest, state.awaiting.vehicle_id) == (LeadInterest.PRICE, rav4)
    done = await luz.say("Luz Díaz 809-555-7777")
    assert "para hablar del precio de la Toyota RAV4 2022" in done
    [lead] = await leads(chat)
    assert (lead.vehicle_id, lead.interest) == (rav4, LeadInterest.PRICE)


@pytest.mark.parametrize(
    ("text", "interest"),
    [
        ("¿tienen financiamiento?", LeadInterest.FINANCING),
        ("¿me lo dejan en 1.8?", LeadInterest.PRICE),
        ("¿aceptan mi corolla 2012 como parte de pago?", LeadInterest.TRADE_IN),
        ("cuanto es el inicial pa financiar?", LeadInterest.FINANCING),
    ],
)
async def test_financing_price_and_trade_in_offer_a_call(
    chat: Pipeline, text: str, interest: LeadInterest
) -> None:
    someone = await customer(chat)
    reply = await someone.say(text)
    assert reply.endswith(CONSENT)
    # One offer: not "shall I put you through?" as well, which a "sí" couldn't tell apart.
    assert "comunique" not in reply
    state = await someone.state()
    assert isinstance(state.awaiting, AwaitingContact) and state.awaiting.interest == interest


async def test_a_contact_given_once_is_never_asked_for_again(chat: Pipeline) -> None:
    ana = await customer(chat)
    await ana.say("llamame")
    await ana.say("Ana 8095551234")
    reply = await ana.say("¿y tienen financiamiento?")
    assert ASKS not in reply and "Listo, Ana" in reply and "financiamiento" in reply
    [lead] = await leads(chat)
    assert lead.interest == LeadInterest.FINANCING
    assert lead.consent == CONSENT  # what she agreed to the first time
    assert await event_kinds(chat) == [EventKind.LEAD_CREATED, EventKind.LEAD_UPDATED]
    assert (await ana.state()).awaiting is None


async def test_a_returning_customer_updates_their_lead(chat: Pipeline) -> None:
    first = await customer(chat)
    await first.say("llamame")
    await first.say("Ana 8095551234")
    again = await customer(chat)  # another day, another session
    await again.say("quisiera que me llamen sobre el financiamiento")
    await again.say("Ana María, 809-555-1234")
    [lead] = await leads(chat)
    assert lead.name == "Ana María"
    assert lead.session_id == await again.id()
    assert lead.interest == LeadInterest.FINANCING
    assert await event_kinds(chat) == [EventKind.LEAD_CREATED, EventKind.LEAD_UPDATED]


async def test_contact_given_with_the_request_is_taken_at_once(chat: Pipeline) -> None:
    ana = await customer(chat)
    reply = await ana.say("hola, soy Ana, llámame al 829-555-1234")
    assert "Listo, Ana" in reply and "829-555-1234" in reply
    [lead] = await leads(chat)
    # Nothing was shown before: what she was told is the confirmation itself.
    assert lead.consent == reply.split("\n\n")[-1]


async def _open_weekdays(chat: Pipeline) -> None:
    hours = {day: [{"opens": "08:00", "closes": "18:00"}] for day in ("mon", "tue", "wed")}
    async with chat.sessions() as db:
        await db.execute(update(Dealer).values(hours=hours))
        await db.commit()


@asynccontextmanager
async def _chat_at(when: datetime) -> AsyncIterator[Pipeline]:
    """The chat of an app whose clock (the one it gives every service) stands at `when`."""
    async with pipeline(answer_mode="template", clock=lambda: when) as built:
        await _open_weekdays(built)
        yield built


async def test_asking_for_an_advisor_while_closed_offers_a_call() -> None:
    # Monday 30 Nov 2026, 23:00 in Santo Domingo (UTC-4): closed; opens Tuesday 8:00.
    async with _chat_at(datetime(2026, 12, 1, 3, 0, tzinfo=UTC)) as chat:
        nora = await customer(chat)
        reply = await nora.say("quiero hablar con un asesor")
        assert "no hay un asesor disponible" in reply and "mañana a las 8:00 a. m." in reply
        assert CONSENT in reply
        assert nora.last.session_status == SessionStatus.ACTIVE  # no hand-over to nobody
        await nora.say("Nora Gil 809-555-3333")
        [lead] = await leads(chat)
        assert lead.interest == LeadInterest.CALLBACK


async def test_asking_for_an_advisor_while_open_hands_the_chat_over() -> None:
    async with _chat_at(datetime(2026, 11, 30, 14, 0, tzinfo=UTC)) as chat:  # Monday 10:00
        nora = await customer(chat)
        reply = await nora.say("quiero hablar con un asesor")
        assert nora.last.session_status == SessionStatus.PENDING_TRANSFER
        assert CONSENT not in reply


async def test_a_call_back_in_english(chat: Pipeline) -> None:
    john = await customer(chat)
    offer = await john.say("can you call me back?")
    assert consent(DEALER, "en") in offer
    done = await john.say("John Smith 809-555-4321")
    assert done.startswith("Done, John: ") and "809-555-4321" in done


async def test_no_personal_data_reaches_the_logs(
    chat: Pipeline, caplog: pytest.LogCaptureFixture
) -> None:
    # Ours at every level; other libraries at the level a deployment logs (their DEBUG
    # echoes SQL parameters, which no deployment turns on).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="okla")
    zoe = await customer(chat)
    await zoe.say("llamame")
    await zoe.say("Zoe Quisqueya 809-555-9876 zoe.q@example.com")
    assert await leads(chat)
    logged = fold(caplog.text)
    for secret in ("quisqueya", "9876", "zoe.q@"):
        assert secret not in logged
